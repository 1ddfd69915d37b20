import type { DemandForecast } from "@simcel/insights";
import { formatMeta, formatNumber, formatPercent } from "../format.js";
import { renderTable } from "../table.js";
import type { ViewContext } from "./context.js";

/** `simcel demand`: one row per scenario, period (and group when grouped). */
export function renderDemand(body: DemandForecast, { style, nowMs, columns }: ViewContext): string {
  const grouped = body.scenarios.some((s) => s.series.some((p) => p.groupKey !== undefined));
  const rows = body.scenarios.flatMap((s) =>
    s.series.map((p) => [
      s.scenarioName,
      p.period,
      ...(grouped ? [p.groupKey ?? ""] : []),
      formatNumber(p.demandVolume),
      formatNumber(p.demandValue),
      formatPercent(p.fillRate),
      formatPercent(p.forecastAccuracy),
    ]),
  );
  const table = renderTable(rows, {
    header: [
      "SCENARIO",
      "PERIOD",
      ...(grouped ? ["GROUP"] : []),
      "VOLUME",
      `VALUE (${body.meta.currency})`,
      "FILL RATE",
      "FORECAST ACCURACY",
    ],
    align: ["l", "l", ...(grouped ? ["l" as const] : []), "r", "r", "r", "r"],
    maxWidth: columns,
    flex: grouped ? [0, 2] : [0],
    styleHeader: (t) => style("bold", t),
  });
  return `${style("bold", formatMeta("Demand forecast", body.meta, nowMs, columns))}\n\n${rows.length ? table : "No data.\n"}`;
}
