// Colour for people, by the conventions every good CLI shares, first match wins: `--color=always|never` (or
// `--no-color`); FORCE_COLOR (0 or false: off; 1–3, true or empty: on, even when piped; force-color.org);
// NO_COLOR set to anything non-empty: off (no-color.org); TERM=dumb: off; else on a terminal only. Never without
// util.styleText (added in Node 20.12).
import * as util from "node:util";

/** The styles the CLI uses. */
export type StyleName = "bold" | "dim" | "red" | "green" | "yellow" | "cyan";

/** Applies a style, or returns the text unchanged when colour is off. */
export type Styler = (style: StyleName, text: string) => string;

/** A stream the CLI writes to; `isTTY` decides colour and the spinner, `columns` the width tables fit in. */
export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** `--color`: `auto` follows the environment and the terminal. */
export type ColorMode = "auto" | "always" | "never";
export const COLOR_MODES: readonly ColorMode[] = ["auto", "always", "never"];

/** FORCE_COLOR as on/off, or undefined when it is unset or says nothing we know (then the next rule decides). */
function forced(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (v === "" || v === "true" || v === "1" || v === "2" || v === "3") return true;
  if (v === "0" || v === "false") return false;
  return undefined;
}

/** Whether to colour `stream`, given the environment and `--color`. */
export function colorEnabled(
  stream: OutStream,
  env: Record<string, string | undefined>,
  mode: ColorMode = "auto",
): boolean {
  if (typeof util.styleText !== "function" || mode === "never") return false;
  if (mode === "always") return true;
  const force = forced(env.FORCE_COLOR);
  if (force !== undefined) return force;
  if (env.NO_COLOR) return false;
  if (env.TERM === "dumb") return false;
  return stream.isTTY === true;
}

/** Whether a terminal can take cursor movement (the spinner's `\r` and erase): a TTY whose TERM is not dumb. */
export function cursorEnabled(stream: OutStream, env: Record<string, string | undefined>): boolean {
  return stream.isTTY === true && env.TERM !== "dumb";
}

/** The width tables fit in: the terminal's columns when `stream` is one, else none (piped output is not cut). */
export function terminalColumns(stream: OutStream): number | undefined {
  return stream.isTTY === true && typeof stream.columns === "number" && stream.columns > 0 ? stream.columns : undefined;
}

/** A styler for `stream`: identity unless {@link colorEnabled}. */
export function createStyler(
  stream: OutStream,
  env: Record<string, string | undefined>,
  mode: ColorMode = "auto",
): Styler {
  if (!colorEnabled(stream, env, mode)) return (_style, text) => text;
  // validateStream: false because the decision is made above, for the stream actually written to.
  return (style, text) => util.styleText(style, text, { validateStream: false } as never);
}
