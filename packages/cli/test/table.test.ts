import { describe, expect, it } from "vitest";
import { dangerousIn } from "../../../scripts/test/untrusted-text.js";
import { renderTable } from "../src/table.js";

describe("renderTable", () => {
  it("pads columns to the widest cell, two spaces apart, numbers right-aligned", () => {
    const text = renderTable(
      [
        ["Committed", "12,500,000", "30.0 %"],
        ["Price increase +3%", "1", "5.5 %"],
      ],
      { header: ["SCENARIO", "EBIT", "EBIT %"], align: ["l", "r", "r"] },
    );
    expect(text).toBe(
      [
        "SCENARIO                  EBIT  EBIT %",
        "Committed           12,500,000  30.0 %",
        "Price increase +3%           1   5.5 %",
        "",
      ].join("\n"),
    );
  });

  it("counts code points, not UTF-16 units, and leaves no trailing spaces", () => {
    const text = renderTable([
      ["—", "a"],
      ["Lyon", ""],
    ]);
    expect(text).toBe("—     a\nLyon\n");
  });

  it("styles header and cells after padding so escape codes never break alignment", () => {
    const text = renderTable([["x", "1"]], {
      header: ["NAME", "N"],
      align: ["l", "r"],
      indent: 2,
      styleHeader: (t) => `<${t}>`,
      styleCell: (t, row, column) => (column === 1 ? `[${t}@${row}]` : t),
    });
    expect(text).toBe("  <NAME>  <N>\n  x     [1@0]\n");
  });

  it("shows control and bidi characters in a cell escaped, and aligns on what is shown", () => {
    const text = renderTable(
      [
        ["Q3\u001b[2J", "1"],
        ["a\tb\nc\u202e", "22"],
        ["漢字 é 😀", "333"],
      ],
      { header: ["NAME\u009b", "N"], align: ["l", "r"] },
    );
    // widths count the escaped text: the widest name shows as 13 characters, `a\tb\nc\u202e`
    expect(text).toBe(
      [
        `NAME\\x9b${" ".repeat(5 + 2 + 2)}N`,
        `Q3\\x1b[2J${" ".repeat(4 + 2 + 2)}1`,
        `a\\tb\\nc\\u202e${" ".repeat(0 + 2 + 1)}22`,
        // terminal columns: each CJK character and the emoji take two
        `漢字 é 😀${" ".repeat(4 + 2 + 0)}333`,
        "",
      ].join("\n"),
    );
    // one line per row: the newline inside a name did not break its row
    expect(text.split("\n")).toHaveLength(5);
    expect(dangerousIn(text, ["\n"])).toEqual([]);
  });
});
