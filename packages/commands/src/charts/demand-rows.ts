// The demand forecast as the charts draw it: one point per scenario and period, whatever the API's grouping.
import type { DemandForecast } from "@simcel/insights";

/** Demand of one scenario in one period, as the demand charts draw it. */
export interface DemandRow {
  scenarioId: string;
  period: string;
  volume: number;
  fillRate: number;
  accuracy: number | null;
}

/** One point per scenario and month; rows split by a group are summed (fill rate and accuracy weighted by volume). */
export function demandRows(body: DemandForecast): DemandRow[] {
  const rows = new Map<string, DemandRow & { fillW: number; accW: number; accVol: number }>();
  for (const s of body.scenarios)
    for (const p of s.series) {
      const key = `${s.scenarioId}\u0000${p.period}`;
      const row = rows.get(key) ?? {
        scenarioId: s.scenarioId,
        period: p.period,
        volume: 0,
        fillRate: 0,
        accuracy: null,
        fillW: 0,
        accW: 0,
        accVol: 0,
      };
      row.volume += p.demandVolume;
      row.fillW += p.fillRate * p.demandVolume;
      if (typeof p.forecastAccuracy === "number") {
        row.accW += p.forecastAccuracy * p.demandVolume;
        row.accVol += p.demandVolume;
        row.accuracy = 0;
      }
      rows.set(key, row);
    }
  return [...rows.values()].map((r) => {
    const single = body.scenarios
      .find((s) => s.scenarioId === r.scenarioId)
      ?.series.filter((p) => p.period === r.period);
    // A single row keeps its own figures exactly (no weighting round trip).
    if (single?.length === 1)
      return {
        scenarioId: r.scenarioId,
        period: r.period,
        volume: single[0]!.demandVolume,
        fillRate: single[0]!.fillRate,
        accuracy: typeof single[0]!.forecastAccuracy === "number" ? single[0]!.forecastAccuracy : null,
      };
    return {
      scenarioId: r.scenarioId,
      period: r.period,
      volume: r.volume,
      fillRate: r.volume ? r.fillW / r.volume : 0,
      accuracy: r.accuracy === null || !r.accVol ? null : r.accW / r.accVol,
    };
  });
}
