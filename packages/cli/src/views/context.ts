import type { Styler } from "../style.js";

/** What a view needs besides the data: colour, the clock (for the generatedAt age) and the terminal's width. */
export interface ViewContext {
  style: Styler;
  nowMs: number;
  /** The terminal's columns, which tables fit in; undefined when piped (tables keep their natural width). */
  columns?: number | undefined;
}
