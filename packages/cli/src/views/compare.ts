import type { PnlSummary, ScenarioComparison } from "@simcel/insights";
import { formatDelta, formatDeltaPercent, formatMeta, formatNumber, formatPercent, formatPoints } from "../format.js";
import { renderTable } from "../table.js";
import type { ViewContext } from "./context.js";
import { PNL_LINES } from "./pnl.js";

/**
 * `simcel compare`: one row per P&L line; the base value, then per compared scenario its value,
 * delta and delta % (percent lines compare in points, with no delta %).
 */
export function renderComparison(comparison: ScenarioComparison, summary: PnlSummary, ctx: ViewContext): string {
  const { style, nowMs } = ctx;
  const title = `Scenario comparison (base: ${comparison.baseScenarioName}, ${comparison.baseScenarioId})`;
  const head = style("bold", formatMeta(title, summary.meta, nowMs));
  if (comparison.rows.length === 0) return `${head}\n\nNothing to compare: the summary holds the base scenario only.\n`;
  const rows = PNL_LINES.map(([label, field]) => {
    const cells = [label];
    const first = comparison.rows[0]?.kpis.find((k) => k.kpi === field);
    cells.push(first ? (first.percent ? formatPercent : formatNumber)(first.base) : "—");
    for (const row of comparison.rows) {
      const k = row.kpis.find((x) => x.kpi === field);
      if (!k) cells.push("—", "—", "—");
      else if (k.percent) cells.push(formatPercent(k.value), formatPoints(k.delta), "—");
      else cells.push(formatNumber(k.value), formatDelta(k.delta), formatDeltaPercent(k.deltaRatio));
    }
    return cells;
  });
  const header = [
    comparison.currency,
    comparison.baseScenarioName,
    ...comparison.rows.flatMap((r) => [
      r.period ? `${r.scenarioName} ${r.period}` : r.scenarioName,
      "DELTA",
      "DELTA %",
    ]),
  ];
  return `${head}\n\n${renderTable(rows, {
    header,
    align: ["l", ...header.slice(1).map(() => "r" as const)],
    styleHeader: (t) => style("bold", t),
  })}`;
}
