// Aligned plain-text tables: a hand-written ~30 lines beat a table library here (no borders, no
// wrapping, just padded columns with right-aligned numbers). Cells hold API text (names, ids, periods,
// group keys): every cell is shown through safeText, and widths are those of what is shown.
import { safeText } from "@simcel/commands";

/** Column alignment: `l` left, `r` right (numbers). */
export type Align = "l" | "r";

/** Options of {@link renderTable}. */
export interface TableOptions {
  /** Column titles, printed first. */
  header?: string[];
  /** Per-column alignment; missing columns align left. */
  align?: Align[];
  /** Styles the header line after padding (padding must not count escape codes). */
  styleHeader?: (text: string) => string;
  /** Styles one body cell after padding, e.g. a red negative delta. */
  styleCell?: (text: string, row: number, column: number) => string;
  /** Spaces before each line. */
  indent?: number;
}

/**
 * Renders rows as lines of padded columns separated by two spaces; trailing spaces are trimmed. Cells are
 * raw text: each is escaped here (a control or bidi character shown as `\x1b`, `\u202e`), never before.
 */
export function renderTable(rawRows: string[][], options: TableOptions = {}): string {
  const rows = rawRows.map((r) => r.map(safeText));
  const header = options.header?.map(safeText);
  const all = header ? [header, ...rows] : rows;
  const columns = Math.max(0, ...all.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(0, ...all.map((r) => width(r[c] ?? ""))));
  const pad = " ".repeat(options.indent ?? 0);
  const line = (cells: string[], style: (text: string, column: number) => string) =>
    (
      pad +
      widths
        .map((w, c) => {
          const cell = cells[c] ?? "";
          const right = options.align?.[c] === "r";
          // The last left-aligned column needs no padding (and a styled one could not be trimmed).
          const padding = !right && c === columns - 1 ? "" : " ".repeat(w - width(cell));
          const aligned = right ? padding + cell : cell + padding;
          return cell ? style(aligned, c) : aligned;
        })
        .join("  ")
    ).trimEnd();
  const out: string[] = [];
  if (header) out.push(line(header, (t) => options.styleHeader?.(t) ?? t));
  rows.forEach((r, i) => {
    out.push(line(r, (t, c) => options.styleCell?.(t, i, c) ?? t));
  });
  return `${out.join("\n")}\n`;
}

/** Display width of escaped text: code points, so `—` and accented names count as one column. */
function width(text: string): number {
  return [...text].length;
}
