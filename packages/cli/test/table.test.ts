import { describe, expect, it } from "vitest";
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
});
