// What the tests of issue 16 (part 3) look for in anything shown to a person: the code points a terminal or a
// browser acts on instead of showing, written here independently of safeText (packages/commands/src/safe-text.ts)
// so that a test of it can fail; hostile strings to plant in API data; and a reader of safeText's escapes.

/**
 * The code points that must never reach a person as themselves: C0, DEL, C1, the bidi marks, line and
 * paragraph separators, embeddings, overrides and isolates, and surrogates (only a lone one shows up as a
 * code point of its own).
 */
export const DANGEROUS_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x00, 0x1f],
  [0x7f, 0x9f],
  [0x061c, 0x061c],
  [0x200e, 0x200f],
  [0x2028, 0x2029],
  [0x202a, 0x202e],
  [0x2066, 0x2069],
  [0xd800, 0xdfff],
];

const dangerous = (cp: number) => DANGEROUS_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi);

/**
 * The dangerous code points in `text`, as `U+XXXX` strings (empty when there is none). `allow` lists code
 * points the text may hold on its own account, such as the newlines between a program's output lines.
 */
export function dangerousIn(text: string, allow: readonly string[] = []): string[] {
  const allowed = new Set(allow.map((c) => c.codePointAt(0)));
  return [...text]
    .map((c) => c.codePointAt(0) as number)
    .filter((cp) => dangerous(cp) && !allowed.has(cp))
    .map((cp) => `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`);
}

/**
 * A hostile suffix for API strings: clear the screen, an OSC 52 clipboard write ended by BEL, an 8-bit CSI,
 * NEL, a newline and a tab (to break a table row), DEL, each bidi override and isolate and the marks.
 */
export const HOSTILE =
  "\u001b[2J\u001b]52;c;aGk=\u0007\u009b31m\u0085\n\t\u007f\u0000\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c";

/** HOSTILE as safeText shows it. */
export const HOSTILE_SHOWN =
  "\\x1b[2J\\x1b]52;c;aGk=\\x07\\x9b31m\\x85\\n\\t\\x7f\\x00\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c";

/** Reads safeText's output back: `\\`, `\n`, `\r`, `\t`, `\xHH`, `\uHHHH`; any other backslash throws. */
export function readEscaped(shown: string): string {
  return shown.replace(/\\(?:x([0-9a-f]{2})|u([0-9a-f]{4})|(.))/gsu, (whole, x?: string, u?: string, c?: string) => {
    if (x) return String.fromCharCode(Number.parseInt(x, 16));
    if (u) return String.fromCharCode(Number.parseInt(u, 16));
    const short: Record<string, string> = { "\\": "\\", n: "\n", r: "\r", t: "\t" };
    if (c !== undefined && short[c] !== undefined) return short[c];
    throw new Error(`not an escape of safeText: ${JSON.stringify(whole)}`);
  });
}
