import { safeText } from "@simcel/commands";
import type { PnlFigures, PnlSummary } from "@simcel/insights";
import { formatMeta, formatNumber, formatPercent } from "../format.js";
import { renderTable } from "../table.js";
import type { ViewContext } from "./context.js";

/** The P&L cascade in order: label, field, whether it is a 0–1 ratio. */
export const PNL_LINES: ReadonlyArray<readonly [label: string, field: keyof PnlFigures, ratio: boolean]> = [
  ["Gross FIE sales", "grossFIESales", false],
  ["Trade expenses", "tradeExpenses", false],
  ["Net FIE sales", "netFIESales", false],
  ["COGS", "cogs", false],
  ["COGS %", "cogsPercent", true],
  ["Gross profit", "grossProfit", false],
  ["Supply-chain cost", "supplyChainCost", false],
  ["  Storage & handling", "storageAndHandling", false],
  ["  Transport", "transport", false],
  ["EBIT", "ebit", false],
  ["EBIT %", "ebitPercent", true],
  ["DPM", "dpm", false],
  ["DPM %", "dpmPercent", true],
];

/** Columns of the monthly table: the cascade without the sub-lines, to stay readable. */
const MONTHLY: ReadonlyArray<readonly [string, keyof PnlFigures, boolean]> = PNL_LINES.filter(
  ([label]) => !label.startsWith(" "),
);

/** `simcel pnl`: with FY one column per scenario; with M one row per scenario and month. */
export function renderPnl(body: PnlSummary, { style, nowMs, columns }: ViewContext): string {
  const out = [style("bold", formatMeta("P&L summary", body.meta, nowMs, columns)), ""];
  const yearly = body.scenarios.filter((s) => s.pnl);
  const monthly = body.scenarios.filter((s) => s.series);
  const empty = body.scenarios.filter((s) => !s.pnl && !s.series);
  if (yearly.length > 0) {
    const rows = [
      ["", ...yearly.map((s) => s.scenarioId)],
      ...PNL_LINES.map(([label, field, ratio]) => [
        label,
        ...yearly.map((s) => (ratio ? formatPercent : formatNumber)(s.pnl?.[field])),
      ]),
    ];
    out.push(
      renderTable(rows, {
        header: [body.meta.currency, ...yearly.map((s) => s.scenarioName)],
        align: ["l", ...yearly.map(() => "r" as const)],
        styleHeader: (t) => style("bold", t),
        styleCell: (t, r) => (r === 0 ? style("dim", t) : t),
        maxWidth: columns,
        flex: [0],
      }),
    );
  }
  if (monthly.length > 0) {
    const rows = monthly.flatMap((s) =>
      (s.series ?? []).map((p) => [
        s.scenarioName,
        p.period,
        ...MONTHLY.map(([, field, ratio]) => (ratio ? formatPercent : formatNumber)(p[field])),
      ]),
    );
    out.push(
      renderTable(rows, {
        header: ["SCENARIO", "PERIOD", ...MONTHLY.map(([label]) => label.toUpperCase())],
        align: ["l", "l", ...MONTHLY.map(() => "r" as const)],
        maxWidth: columns,
        flex: [0],
        styleHeader: (t) => style("bold", t),
      }),
    );
  }
  for (const s of empty) out.push(`${safeText(`${s.scenarioName} (${s.scenarioId})`)}: no computed output\n`);
  return out.join("\n");
}
