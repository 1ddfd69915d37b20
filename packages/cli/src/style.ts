// Colour for people on a terminal only: off when the stream is not a TTY, when NO_COLOR is set to
// anything non-empty (no-color.org), or when this Node lacks util.styleText (added in 20.12).
import * as util from "node:util";

/** The styles the CLI uses. */
export type StyleName = "bold" | "dim" | "red" | "green" | "yellow" | "cyan";

/** Applies a style, or returns the text unchanged when colour is off. */
export type Styler = (style: StyleName, text: string) => string;

/** A stream the CLI writes to; `isTTY` decides colour and the spinner. */
export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

/** Whether to colour `stream`, given the environment. */
export function colorEnabled(stream: OutStream, env: Record<string, string | undefined>): boolean {
  return stream.isTTY === true && !env.NO_COLOR && typeof util.styleText === "function";
}

/** A styler for `stream`: identity unless {@link colorEnabled}. */
export function createStyler(stream: OutStream, env: Record<string, string | undefined>): Styler {
  if (!colorEnabled(stream, env)) return (_style, text) => text;
  // validateStream: false because the TTY decision is made above, for the stream actually written to.
  return (style, text) => util.styleText(style, text, { validateStream: false } as never);
}
