// Aligned plain-text tables: a hand-written table beats a table library here (no borders, just padded columns with
// right-aligned numbers), but widths are measured by `string-width` — terminal columns, not code points, so CJK
// names and emoji (two columns each) line up. Cells hold API text (names, ids, periods, group keys): every cell is
// shown through safeText, and widths are those of what is shown. Given a `maxWidth` (a terminal's columns), a
// table that is too wide elides its name columns, and when even that does not fit, lists each row vertically.
import { safeText } from "@simcel/commands";
import stringWidth from "string-width";

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
  /** The widest a line may be (a terminal's columns); none: as wide as the cells (piped output). */
  maxWidth?: number | undefined;
  /** The columns that may be cut to fit `maxWidth` (names: long, and readable from their start); default none. */
  flex?: number[];
}

/** A name column is not cut below this many columns (plus the ellipsis). */
const MIN_FLEX = 8;
const GAP = 2;

/** Display width in terminal columns: East Asian wide characters and emoji count two, combining marks none. */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

/** `text` cut to at most `width` columns, ending in `…` when cut; whole graphemes only. */
export function elide(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = "";
  let used = 0;
  for (const { segment } of new Intl.Segmenter().segment(text)) {
    const w = displayWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return `${out}…`;
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
  const widths = Array.from({ length: columns }, (_, c) => Math.max(0, ...all.map((r) => displayWidth(r[c] ?? ""))));
  const indent = options.indent ?? 0;
  const total = () => indent + widths.reduce((a, b) => a + b, 0) + GAP * Math.max(0, columns - 1);
  if (options.maxWidth !== undefined && total() > options.maxWidth) {
    const body = Array.from({ length: columns }, (_, c) => Math.max(0, ...rows.map((r) => displayWidth(r[c] ?? ""))));
    shrink(widths, body, options.flex ?? [], total() - options.maxWidth);
    if (total() > options.maxWidth) return renderVertical(rows, header, options);
  }
  const pad = " ".repeat(indent);
  const line = (raw: string[], style: (text: string, column: number) => string) =>
    (
      pad +
      widths
        .map((w, c) => {
          const cell = elide(raw[c] ?? "", w);
          const right = options.align?.[c] === "r";
          // The last left-aligned column needs no padding (and a styled one could not be trimmed).
          const padding = !right && c === columns - 1 ? "" : " ".repeat(w - displayWidth(cell));
          const aligned = right ? padding + cell : cell + padding;
          return cell ? style(aligned, c) : aligned;
        })
        .join(" ".repeat(GAP))
    ).trimEnd();
  const out: string[] = [];
  if (header) out.push(line(header, (t) => options.styleHeader?.(t) ?? t));
  rows.forEach((r, i) => {
    out.push(line(r, (t, c) => options.styleCell?.(t, i, c) ?? t));
  });
  return `${out.join("\n")}\n`;
}

/**
 * Takes `excess` columns: first from the flex columns (widest first, none below {@link MIN_FLEX}), then from titles
 * wider than their column's values (a scenario's name over its figures), down to the values' width.
 */
function shrink(widths: number[], body: number[], flex: number[], excess: number): void {
  let left = excess;
  const take = (candidates: number[], floor: (c: number) => number) => {
    while (left > 0) {
      const widest = candidates
        .filter((c) => (widths[c] ?? 0) > floor(c))
        .sort((a, b) => (widths[b] ?? 0) - (widths[a] ?? 0))[0];
      if (widest === undefined) return;
      widths[widest] = (widths[widest] as number) - 1;
      left--;
    }
  };
  take(flex, () => MIN_FLEX);
  take(
    widths.map((_, c) => c),
    (c) => Math.max(body[c] ?? 0, Math.min(MIN_FLEX, widths[c] ?? 0)),
  );
}

/**
 * The table as one block per row, `TITLE  value` on each line: what a narrow terminal can show whatever the number
 * of columns. Names longer than the line are cut (figures never are); empty cells are left out.
 */
function renderVertical(rows: string[][], header: string[] | undefined, options: TableOptions): string {
  const titles = header ?? [];
  const titleWidth = Math.max(0, ...titles.map(displayWidth));
  const pad = " ".repeat(options.indent ?? 0);
  const room = Math.max(MIN_FLEX, (options.maxWidth ?? Infinity) - pad.length - titleWidth - GAP);
  const blocks = rows.map((row, r) =>
    row
      .map((cell, c) => {
        if (!cell) return undefined;
        const title = titles[c] ?? "";
        // only names are cut: a figure cut short would read as another figure
        const value = options.flex?.includes(c) ? elide(cell, room) : cell;
        const shown = options.styleCell?.(value, r, c) ?? value;
        const label = title + " ".repeat(titleWidth - displayWidth(title));
        return `${pad}${options.styleHeader?.(label) ?? label}${" ".repeat(GAP)}${shown}`.trimEnd();
      })
      .filter((l): l is string => l !== undefined)
      .join("\n"),
  );
  return `${blocks.join("\n\n")}\n`;
}
