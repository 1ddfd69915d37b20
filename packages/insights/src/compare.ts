import { InvalidRequestError } from "./errors.js";
import type { Meta, Plan, PlanScenario, PnlFigures, PnlKpi, PnlScenario, PnlSummary } from "./types.js";

/** One KPI of one scenario against the base. */
export interface KpiComparison {
  /** The KPI, e.g. `ebit` or `ebitPercent`. */
  kpi: PnlKpi;
  /** `*Percent` KPIs are decimals (0.3 = 30 %): `delta` is then in points and `deltaRatio` is null. */
  percent: boolean;
  /** The base scenario's value. */
  base: number;
  /** This scenario's value. */
  value: number;
  /** `value − base` (for a percent KPI, in points as a decimal: 0.005 = 0.5 pp). */
  delta: number;
  /** `delta / |base|` (0.1 = +10 %); null for a percent KPI or a zero base (never Infinity or NaN). */
  deltaRatio: number | null;
}

/** The KPIs of one scenario (and, with `interval: "M"`, one month) against the base. */
export interface ComparisonRow {
  scenarioId: string;
  scenarioName: string;
  /** The month (`2025-01`) with `interval: "M"`; null for a fiscal-year summary. */
  period: string | null;
  kpis: KpiComparison[];
}

/** What `compareScenarios` returns: rows in the order of the summary's scenarios (and months). */
export interface ScenarioComparison {
  baseScenarioId: string;
  baseScenarioName: string;
  interval: Meta["interval"];
  currency: string;
  rows: ComparisonRow[];
}

/** Options of `compareScenarios`. */
export interface CompareOptions {
  /** The scenario to compare against; default {@link chooseBaseScenario}'s pick among the summary's scenarios. */
  baseScenarioId?: string;
  /** The plan (or its scenarios) from `listPlans`/`getPlan`: the P&L response carries no flags. */
  plan?: Plan | Pick<Plan, "scenarios"> | readonly PlanScenario[];
}

/** A scenario as {@link chooseBaseScenario} reads it: its id and, when known, the plan's flags for it. */
export interface BaseCandidate {
  readonly id: string;
  readonly flags?: readonly string[];
}

/**
 * The one rule for "which scenario is the base" of a comparison, shared by `compareScenarios`, the
 * `simcel` CLI and the MCP server. With `requested`, the scenario with that id (undefined when there
 * is none: each caller says where it looked). Otherwise the scenario flagged `committed`, else the one
 * flagged `primary`, else the first; undefined only when there are no scenarios.
 */
export function chooseBaseScenario<S extends BaseCandidate>(
  from: { readonly scenarios: readonly S[] } | readonly S[],
  requested?: string,
): S | undefined {
  const scenarios: readonly S[] = "scenarios" in from ? from.scenarios : from;
  if (requested !== undefined) return scenarios.find((s) => s.id === requested);
  const flagged = (flag: string) => scenarios.find((s) => s.flags?.includes(flag));
  return flagged("committed") ?? flagged("primary") ?? scenarios[0];
}

/** A scenario's figures by period: one `null` period for FY (`pnl`), one per month for M (`series`). */
const byPeriod = (s: PnlScenario): [string | null, PnlFigures][] =>
  s.pnl ? [[null, s.pnl]] : (s.series ?? []).map((p) => [p.period, p]);

/**
 * Compares each scenario of a P&L summary with a base scenario, KPI by KPI: value, delta and
 * delta ratio. FY summaries give one row per scenario; monthly ones compare month by month
 * (a month the base lacks is left out). `*Percent` KPIs compare in points, never as ratios.
 */
export function compareScenarios(summary: PnlSummary, options: CompareOptions = {}): ScenarioComparison {
  const { scenarios, meta } = summary;
  const planScenarios = Array.isArray(options.plan) ? options.plan : (options.plan as Plan | undefined)?.scenarios;
  const flags = new Map(planScenarios?.map((s) => [s.id, s.flags]));
  // The base is chosen among the summary's scenarios, with the flags the plan gives them.
  const candidates = scenarios.map((s) => ({ id: s.scenarioId, flags: flags.get(s.scenarioId) ?? [], s }));
  const base = chooseBaseScenario(candidates, options.baseScenarioId)?.s;
  if (!base)
    throw new InvalidRequestError(
      `baseScenarioId must be one of the summary's scenarios: ${scenarios.map((s) => s.scenarioId).join(", ") || "none"}`,
      { param: "baseScenarioId" },
    );
  const baseFigures = new Map(byPeriod(base));
  const rows: ComparisonRow[] = [];
  for (const s of scenarios) {
    if (s === base) continue;
    for (const [period, figures] of byPeriod(s)) {
      const b = baseFigures.get(period) as Record<string, unknown> | undefined;
      if (!b) continue;
      const kpis: KpiComparison[] = [];
      for (const kpi in b) {
        const base = b[kpi];
        const value = (figures as Record<string, unknown>)[kpi];
        if (typeof base !== "number" || typeof value !== "number") continue;
        const percent = kpi.endsWith("Percent");
        const delta = value - base;
        // A zero (or subnormal) base has no meaningful ratio: null, never Infinity or NaN.
        const ratio = delta / Math.abs(base);
        kpis.push({
          kpi: kpi as PnlKpi,
          percent,
          base,
          value,
          delta,
          deltaRatio: percent || !Number.isFinite(ratio) ? null : ratio,
        });
      }
      rows.push({ scenarioId: s.scenarioId, scenarioName: s.scenarioName, period, kpis });
    }
  }
  return {
    baseScenarioId: base.scenarioId,
    baseScenarioName: base.scenarioName,
    interval: meta.interval,
    currency: meta.currency,
    rows,
  };
}
