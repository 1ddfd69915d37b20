// The CO2 answer as the charts draw it: one summary row per scenario, and one row per group and scenario.
import type { Sustainability } from "@simcel/insights";
import type { Co2GroupRow, Co2Row } from "./charts.js";

/** The summary rows (`co2SummaryChart`) and the group rows (`co2BreakdownChart`) of a CO2 answer. */
export function co2Rows(body: Sustainability): { summary: Co2Row[]; groups: Co2GroupRow[] } {
  return {
    summary: body.scenarios.map((s) => ({
      id: s.scenarioId,
      name: s.scenarioName,
      inbound: s.summary.inboundCO2,
      storage: s.summary.storageCO2,
      outbound: s.summary.outboundCO2,
      total: s.summary.totalCO2,
    })),
    groups: body.scenarios.flatMap((s) =>
      s.breakdown.map((b) => ({ groupKey: b.groupKey, scenarioId: s.scenarioId, total: b.totalCO2 })),
    ),
  };
}
