// Text from the API shown to a person: the one home of how it is made safe. A plan name, an id, a period or a
// server's message may hold characters a terminal (or a browser) acts on instead of showing: ESC starts a control
// sequence (clear the screen, move the cursor, OSC 52 writes the clipboard), BEL ends one, CR rewrites the line,
// an 8-bit C1 byte such as U+009B is a CSI on its own, and the bidi overrides and isolates reorder what follows
// (Trojan Source, CVE-2021-42574). kubectl had the same flaw (CVE-2021-25743, fixed by escaping in its printers).
// No library fits: jsesc in its minimal mode leaves ESC alone and otherwise escapes every non-ASCII letter, and
// util.inspect and stripVTControlCharacters leave C1 and bidi characters alone.

/** Controls JSON.stringify already escapes (C0), kept apart because JSON's own layout uses `\n`. */
const C0 = "\\u0000-\\u001f";
/**
 * The rest: DEL and C1; the Arabic letter mark and the left-to-right / right-to-left marks (invisible, yet after
 * one a bidi-aware terminal lays out the numbers that follow right to left, so a name ending in U+200F can swap
 * the figures printed after it on its row); the line and paragraph separators (a paragraph separator restarts
 * the bidi algorithm, and some terminals break the line there); the bidi embeddings, overrides and isolates.
 */
const OTHERS = "\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069";

/** What safeText escapes: the above, the backslash (so an escape cannot be forged) and lone surrogates. */
const UNSAFE_TEXT = new RegExp(`[${C0}${OTHERS}\\\\\\ud800-\\udfff]`, "gu");
/** What safeJson escapes beyond JSON.stringify: DEL, C1, the bidi characters and separators. */
const UNSAFE_IN_JSON = new RegExp(`[${OTHERS}]`, "g");

const SHORT: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };
const hex = (c: string, digits: number) => (c.codePointAt(0) as number).toString(16).padStart(digits, "0");

/**
 * `text` as a person may see it: every control character (C0 — tab and newline too, so a value never breaks a
 * table row or a line —, DEL, C1), bidi mark, embedding, override and isolate, line or paragraph separator and
 * lone surrogate written as an escape (`\n`, `\t`, `\r`, `\x1b`, `\x9b`, `\u202e`), never as itself; everything
 * else, accented letters, CJK and emoji included, as is. A backslash is doubled, as in a JavaScript or JSON
 * string, so every backslash shown starts an escape: a name cannot pass the text `\x1b` off as an escaped ESC,
 * and distinct values always look distinct. Use it on every API string printed for a person (terminal, log
 * line, HTML text); never twice on the same text.
 */
export function safeText(text: string): string {
  return text.replace(UNSAFE_TEXT, (c) => SHORT[c] ?? (c < "\u0100" ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`));
}

/**
 * `JSON.stringify(value, replacer, space)` with DEL, C1 and the bidi characters written as `\u` escapes too
 * (JSON.stringify escapes C0 and lone surrogates, not these). The text parses to exactly the same value —
 * the API's body stays the API's body — and no terminal acts on it.
 */
export function safeJson(
  value: unknown,
  replacer?: ((this: unknown, key: string, value: unknown) => unknown) | null,
  space?: number,
): string {
  return JSON.stringify(value, replacer ?? undefined, space).replace(UNSAFE_IN_JSON, (c) => `\\u${hex(c, 4)}`);
}
