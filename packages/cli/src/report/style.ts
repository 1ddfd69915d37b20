// The report's stylesheet, inlined into the page: system fonts only (no web font to fetch), light
// colours on screen and paper, and print rules that keep every chart, card and table row whole.

/** The CSS of the report page. */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1b2230; --muted: #5c6678; --line: #e3e6ec; --soft: #f5f6f9; --accent: #0b5cad; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #eef0f4; color: var(--ink); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; font-variant-numeric: tabular-nums; }
main { max-width: 980px; margin: 24px auto; background: #fff; padding: 32px 40px 24px; border-radius: 10px; box-shadow: 0 1px 3px rgba(20, 30, 50, .08); }
h1 { font-size: 28px; line-height: 1.15; margin: 2px 0 14px; letter-spacing: -.01em; }
h2 { font-size: 19px; margin: 34px 0 10px; padding-bottom: 6px; border-bottom: 2px solid var(--ink); }
code { font: 12px/1 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: var(--muted); }
.eyebrow { margin: 0; text-transform: uppercase; letter-spacing: .08em; font-size: 11px; font-weight: 600; color: var(--accent); }
.muted { color: var(--muted); }
.meta { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 10px 20px; margin: 0 0 14px; }
.meta dt { font-size: 11px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
.meta dd { margin: 2px 0 0; }
.chips { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 6px 8px; }
.chip { border: 1px solid var(--line); border-radius: 999px; padding: 3px 10px 3px 8px; background: var(--soft); font-size: 13px; }
.chip.out { opacity: .75; }
.chip-name { font-weight: 600; }
.tag { display: inline-block; font-size: 11px; border-radius: 4px; padding: 0 5px; margin-left: 3px; background: #e4e8f0; color: #384256; }
.tag.base { background: var(--ink); color: #fff; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px; margin: 22px 0 4px; }
.card { border: 1px solid var(--line); border-top: 4px solid #999; border-radius: 8px; padding: 10px 14px 12px; break-inside: avoid; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.card-name { font-weight: 600; }
.card-label { font-size: 11px; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; margin-top: 6px; }
.card-value { font-size: 24px; font-weight: 650; letter-spacing: -.01em; }
.card-sub { font-size: 12.5px; color: var(--muted); }
.up { color: #00704f; font-weight: 600; }
.down { color: #b54700; font-weight: 600; }
.lede { margin: 6px 0 12px; color: var(--muted); max-width: 72ch; }
figure.chart { margin: 14px 0 18px; break-inside: avoid; page-break-inside: avoid; }
figcaption { margin-bottom: 6px; }
.fig-title { display: block; font-weight: 650; font-size: 15px; }
figure svg { display: block; width: 100%; height: auto; max-width: 100%; overflow: visible; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 6px 0; font-size: 12.5px; color: var(--muted); }
.legend svg { display: inline-block; width: 28px; height: 14px; vertical-align: -2px; margin-right: 6px; }
.note { background: var(--soft); border-left: 3px solid #9aa3b5; padding: 7px 12px; margin: 8px 0; color: #384256; }
.failure { background: #fdf0ec; border-left: 3px solid #c2410c; padding: 8px 12px; margin: 8px 0; }
.table-wrap { overflow-x: auto; margin: 8px 0 4px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
caption { text-align: left; font-weight: 600; padding: 4px 0 6px; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: bottom; }
thead th { font-size: 12px; color: var(--muted); font-weight: 600; border-bottom: 1px solid #c9ced8; }
thead tr.sub th { font-weight: 500; font-size: 11px; padding-top: 0; }
th.group { border-bottom: 0; }
tbody th { font-weight: 500; white-space: nowrap; }
.num { text-align: right; white-space: nowrap; }
tr.indent th { padding-left: 22px; color: var(--muted); }
tr.ratio th, tr.ratio td { color: var(--muted); font-size: 12px; }
tr.strong th, tr.strong td, td.strong { font-weight: 700; }
tr.strong th, tr.strong td { background: #f2f5fa; }
tbody tr { break-inside: avoid; page-break-inside: avoid; }
.foot { font-size: 12px; color: var(--muted); margin: 4px 0 0; }
footer { margin-top: 32px; padding-top: 10px; border-top: 1px solid var(--line); font-size: 12px; color: var(--muted); }
@media (max-width: 640px) { main { padding: 18px 14px; margin: 0; border-radius: 0; } }
@page { margin: 12mm 11mm; }
@media print {
  body { background: #fff; font-size: 10pt; }
  main { max-width: none; margin: 0; padding: 0; box-shadow: none; border-radius: 0; }
  h2 { break-after: avoid; page-break-after: avoid; margin-top: 20px; }
  /* Keep a heading or lead-in with what follows; never a legend that closes a figure (that would glue two figures). */
  .lede, .legend.lead, caption { break-after: avoid; page-break-after: avoid; }
  figure.chart, .cards, .note, .failure, thead { break-inside: avoid; page-break-inside: avoid; }
  figure svg { max-height: 120mm; }
  .table-wrap { overflow: visible; }
  table { font-size: 9pt; }
}
`;
