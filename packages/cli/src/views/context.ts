import type { Styler } from "../style.js";

/** What a view needs besides the data: colour and the clock (for the generatedAt age). */
export interface ViewContext {
  style: Styler;
  nowMs: number;
}
