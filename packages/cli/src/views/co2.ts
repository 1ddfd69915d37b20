import type { InsightsComponents, Sustainability } from "@simcel/insights";
import { formatMeta, formatNumber } from "../format.js";
import { renderTable } from "../table.js";
import type { ViewContext } from "./context.js";

type Co2Figures = InsightsComponents["schemas"]["Co2Figures"];

const figures = (f: Co2Figures) => [
  formatNumber(f.inboundCO2),
  formatNumber(f.storageCO2),
  formatNumber(f.outboundCO2),
  formatNumber(f.totalCO2),
];
const FIGURE_HEADER = ["INBOUND", "STORAGE", "OUTBOUND", "TOTAL"];

/** `simcel co2`: a summary per scenario, then the breakdown by the chosen dimension, in tCO2e. */
export function renderCo2(body: Sustainability, { style, nowMs, columns }: ViewContext, groupBy = "dc"): string {
  const options = {
    maxWidth: columns,
    flex: [0, 1],
    align: ["l", "l", "r", "r", "r", "r"] as const,
    styleHeader: (t: string) => style("bold", t),
  };
  const summary = renderTable(
    body.scenarios.map((s) => [s.scenarioName, s.scenarioId, ...figures(s.summary)]),
    { ...options, align: [...options.align], header: ["SCENARIO", "ID", ...FIGURE_HEADER] },
  );
  const breakdown = renderTable(
    body.scenarios.flatMap((s) => s.breakdown.map((b) => [s.scenarioName, b.groupKey, ...figures(b)])),
    { ...options, align: [...options.align], header: ["SCENARIO", groupBy.toUpperCase(), ...FIGURE_HEADER] },
  );
  return [
    style("bold", formatMeta("CO2 (tCO2e)", body.meta, nowMs, columns)),
    "",
    summary,
    style("bold", `Breakdown by ${groupBy}`),
    "",
    breakdown,
  ].join("\n");
}
