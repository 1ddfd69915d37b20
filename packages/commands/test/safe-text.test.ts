// safeText and safeJson, the one home of how API text is shown to a person: each class of character a
// terminal or a browser would act on, by example; and by property, that none ever comes out as itself, that
// distinct inputs stay distinct (the tests' reader of the escapes gives every input back), and that
// safeJson's text parses to the very value it was given.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dangerousIn, readEscaped as decode, HOSTILE, HOSTILE_SHOWN } from "../../../scripts/test/untrusted-text.js";
import { safeJson, safeText } from "../src/index.js";

const dangerous = (text: string) => dangerousIn(text).length > 0;

/** One unit of a generated string: any code point, a lone surrogate, or a character that tempts a forger. */
const unit = fc.oneof(
  fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((cu) => String.fromCharCode(cu)),
  fc.constantFrom(
    "\\",
    "x",
    "u",
    "1",
    "b",
    "n",
    "\u001b",
    "\u0007",
    "\u009b",
    "\u202e",
    "\u2066",
    "\u200f",
    "\n",
    "é",
    "漢",
    "😀",
    "\u200d",
  ),
);
const text = fc.string({ unit, maxLength: 40 });

describe("safeText", () => {
  it.each([
    ["ESC, clear screen", "a\u001b[2Jb", "a\\x1b[2Jb"],
    ["OSC 52 clipboard write ended by BEL", "\u001b]52;c;aGk=\u0007", "\\x1b]52;c;aGk=\\x07"],
    ["NUL", "a\u0000b", "a\\x00b"],
    ["newline (a value never breaks its row)", "Price\nincrease", "Price\\nincrease"],
    ["tab", "a\tb", "a\\tb"],
    ["carriage return (rewriting the line)", "ok\rEVIL", "ok\\rEVIL"],
    ["backspace", "a\u0008", "a\\x08"],
    ["unit separator, the last C0", "\u001f", "\\x1f"],
    ["DEL", "a\u007fb", "a\\x7fb"],
    ["C1 CSI (U+009B, an 8-bit ESC [)", "\u009b2J", "\\x9b2J"],
    ["C1 NEL (U+0085)", "a\u0085b", "a\\x85b"],
    ["C1 first and last", "\u0080\u009f", "\\x80\\x9f"],
    ["C1 OSC (U+009D)", "\u009d52;c;aGk=\u009c", "\\x9d52;c;aGk=\\x9c"],
    ["left-to-right embedding", "\u202a", "\\u202a"],
    ["right-to-left embedding", "\u202b", "\\u202b"],
    ["pop directional formatting", "\u202c", "\\u202c"],
    ["left-to-right override", "\u202d", "\\u202d"],
    ["right-to-left override", "plan\u202Efdp.exe", "plan\\u202efdp.exe"],
    ["left-to-right isolate", "\u2066", "\\u2066"],
    ["right-to-left isolate", "\u2067", "\\u2067"],
    ["first strong isolate", "\u2068", "\\u2068"],
    ["pop directional isolate", "\u2069", "\\u2069"],
    ["left-to-right mark", "\u200e", "\\u200e"],
    ["right-to-left mark (would swap the figures after it)", "Q3\u200f", "Q3\\u200f"],
    ["Arabic letter mark", "\u061c", "\\u061c"],
    ["line and paragraph separators", "a\u2028b\u2029c", "a\\u2028b\\u2029c"],
    ["a lone high surrogate", "a\ud800b", "a\\ud800b"],
    ["a lone low surrogate", "a\udc00", "a\\udc00"],
    ["a backslash, doubled so no escape can be forged", "C:\\x1b", "C:\\\\x1b"],
  ])("escapes %s", (_, input, shown) => {
    expect(safeText(input)).toBe(shown);
    expect(dangerousIn(safeText(input))).toEqual([]);
    expect(decode(safeText(input))).toBe(input);
  });

  it("escapes the whole hostile mix the CLI tests plant in API data", () => {
    expect(safeText(`Q3 ${HOSTILE} plan`)).toBe(`Q3 ${HOSTILE_SHOWN} plan`);
  });

  it.each([
    ["accented letters", "Hausse des prix +3 % — été"],
    ["CJK", "価格引き上げ 漢字"],
    ["emoji, a ZWJ family and a flag (U+200D joins, it stays)", "📈 👩‍👩‍👧 🇫🇷"],
    ["right-to-left letters themselves", "זה בסדר العربية"],
    ["the neighbours of the escaped ranges", "\u0020~\u00a0\u061b\u061d\u200d\u2010\u2027\u202f\u2065\u206a"],
    ["an ordinary name", "FY2025 Annual Plan"],
    ["an empty string", ""],
  ])("leaves %s as they are", (_, input) => {
    expect(safeText(input)).toBe(input);
  });

  it("never lets a dangerous code point through", () => {
    fc.assert(
      fc.property(text, (input) => {
        expect(dangerousIn(safeText(input))).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it("is injective: the output reads back to exactly the input, so distinct inputs look distinct", () => {
    fc.assert(
      fc.property(text, (input) => {
        expect(decode(safeText(input))).toBe(input);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(text, text, (a, b) => {
        if (a !== b) expect(safeText(a)).not.toBe(safeText(b));
      }),
      { numRuns: 2000 },
    );
    // the forger's try: the text `\x1b` against a real ESC
    expect(safeText("\\x1b")).not.toBe(safeText("\u001b"));
  });

  it("changes nothing in text without a dangerous character or a backslash", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (input) => {
        fc.pre(!dangerous(input) && !input.includes("\\"));
        expect(safeText(input)).toBe(input);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("safeJson", () => {
  const body = {
    plans: [{ id: "plan\u009b1", name: "Q3\u202E \u001b[2J\u0007", flags: ["\u2066x\u2069", "a\u007fb\u0085"] }],
  };

  it("escapes DEL, C1 and bidi characters as \\u escapes, and parses back to the same value", () => {
    const json = safeJson(body, null, 2);
    expect(json).toContain("plan\\u009b1");
    expect(json).toContain("Q3\\u202e \\u001b[2J\\u0007");
    expect(json).toContain("\\u2066x\\u2069");
    expect(json).toContain("a\\u007fb\\u0085");
    // the layout's newlines are JSON's own, and the only control left
    expect(dangerousIn(json, ["\n"])).toEqual([]);
    expect(JSON.parse(json)).toEqual(body);
    expect(JSON.parse(json).plans[0].name).toBe("Q3\u202E \u001b[2J\u0007");
  });

  it("is JSON.stringify where there is nothing to escape (and a replacer still applies)", () => {
    const plain = { a: 'é 漢 😀 \\ "q"', n: [1, 2.5, null, true] };
    expect(safeJson(plain)).toBe(JSON.stringify(plain));
    expect(safeJson(plain, null, 2)).toBe(JSON.stringify(plain, null, 2));
    expect(safeJson({ a: 1, b: 2 }, (k, v) => (k === "b" ? undefined : v))).toBe('{"a":1}');
  });

  it("always parses back to the exact value, and holds no dangerous code point", () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: unit, maxDepth: 3 }), (value) => {
        const json = safeJson(value);
        expect(dangerousIn(json)).toEqual([]);
        // what JSON itself gives back (it writes -0 as 0), every string exactly
        expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 1000 },
    );
  });
});
