import type { PnlSummary, ScenarioComparison } from "@simcel/insights";
import { formatDelta, formatDeltaPercent, formatMeta, formatNumber, formatPercent, formatPoints } from "../format.js";
import { displayWidth, renderTable } from "../table.js";
import type { ViewContext } from "./context.js";
import { PNL_LINES } from "./pnl.js";

type Kpi = ScenarioComparison["rows"][number]["kpis"][number];

/** Value, delta and delta % of one P&L line of one compared scenario (percent lines in points, no delta %). */
function cellsOf(k: Kpi | undefined): string[] {
  if (!k) return ["—", "—", "—"];
  if (k.percent) return [formatPercent(k.value), formatPoints(k.delta), "—"];
  return [formatNumber(k.value), formatDelta(k.delta), formatDeltaPercent(k.deltaRatio)];
}

/** The comparison of `compared` against the base as one table: a row per P&L line, three columns per scenario. */
function comparisonTable(
  comparison: ScenarioComparison,
  compared: ScenarioComparison["rows"],
  { style }: ViewContext,
  maxWidth: number | undefined,
): string {
  const rows = PNL_LINES.map(([label, field]) => {
    const first = comparison.rows[0]?.kpis.find((k) => k.kpi === field);
    const base = first ? (first.percent ? formatPercent : formatNumber)(first.base) : "—";
    return [label, base, ...compared.flatMap((row) => cellsOf(row.kpis.find((x) => x.kpi === field)))];
  });
  const header = [
    comparison.currency,
    comparison.baseScenarioName,
    ...compared.flatMap((r) => [r.period ? `${r.scenarioName} ${r.period}` : r.scenarioName, "DELTA", "DELTA %"]),
  ];
  return renderTable(rows, {
    header,
    align: ["l", ...header.slice(1).map(() => "r" as const)],
    styleHeader: (t) => style("bold", t),
    maxWidth,
    flex: [0],
  });
}

/**
 * `simcel compare`: one row per P&L line; the base value, then per compared scenario its value, delta and delta %.
 * On a terminal too narrow for all of it, one such table per compared scenario (each fitted in its turn).
 */
export function renderComparison(comparison: ScenarioComparison, summary: PnlSummary, ctx: ViewContext): string {
  const { style, nowMs, columns } = ctx;
  const title = `Scenario comparison (base: ${comparison.baseScenarioName}, ${comparison.baseScenarioId})`;
  const head = style("bold", formatMeta(title, summary.meta, nowMs, columns));
  if (comparison.rows.length === 0) return `${head}\n\nNothing to compare: the summary holds the base scenario only.\n`;
  const wide = comparisonTable(comparison, comparison.rows, ctx, undefined);
  const fits = columns === undefined || wide.split("\n").every((line) => displayWidth(line) <= columns);
  if (fits || comparison.rows.length === 1)
    return `${head}\n\n${fits ? wide : comparisonTable(comparison, comparison.rows, ctx, columns)}`;
  const parts = comparison.rows.map((row) => comparisonTable(comparison, [row], ctx, columns));
  return `${head}\n\n${parts.join("\n")}`;
}
