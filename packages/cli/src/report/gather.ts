// The report's data, all through the typed InsightsClient: the plan (for names and flags), then the
// fiscal-year P&L, the monthly demand and the CO2 side by side. A section that fails is kept as a
// failure, so the rest of the report is still written.
import {
  checkOperationParams,
  chooseBaseScenario,
  type DemandForecast,
  type DemandForecastParams,
  type InsightsClient,
  operations,
  type Plan,
  type PnlSummary,
  type PnlSummaryParams,
  SimcelApiError,
  type Sustainability,
  type SustainabilityParams,
} from "@simcel/insights";
import { UsageError } from "../errors.js";

/** What the report is about, from the command line. */
export interface ReportRequest {
  planId: string;
  /** Scenarios as typed (`--scenarios`); the base is put first when it is missing. */
  scenarioIds?: string[];
  /** `--base`; default the rule of `simcel compare`. */
  baseScenarioId?: string;
  dateFrom?: string;
  dateTo?: string;
  currency?: string;
  /** Dimension of the CO2 breakdown (`--group-by`). */
  groupBy?: string;
}

/** The outcome of one section's request. */
export type SectionResult<T> =
  | { status: "ok"; data: T }
  | { status: "failed"; error: unknown }
  /** The endpoint does not exist (yet): said in one line, not a failure. */
  | { status: "unavailable"; error: SimcelApiError }
  | { status: "skipped"; reason: string };

/** Everything the report shows. */
export interface ReportData {
  request: ReportRequest;
  plan: Plan;
  /** Undefined only for a plan without scenarios. */
  baseScenarioId: string | undefined;
  /** The scenario ids sent (undefined: the API's default, the plan's scenarios). */
  scenarioIds: string[] | undefined;
  pnl: SectionResult<PnlSummary>;
  demand: SectionResult<DemandForecast>;
  co2: SectionResult<Sustainability>;
}

/** The three data requests of a report. */
export function reportQueries(request: ReportRequest, scenarioIds = request.scenarioIds) {
  const common = {
    planId: request.planId,
    ...(scenarioIds && { scenarioIds }),
    ...(request.dateFrom && { dateFrom: request.dateFrom }),
    ...(request.dateTo && { dateTo: request.dateTo }),
  };
  const currency = request.currency ? { currency: request.currency } : {};
  return {
    pnl: { ...common, ...currency, interval: "FY" } as PnlSummaryParams,
    demand: { ...common, ...currency, interval: "M" } as DemandForecastParams,
    co2: {
      ...common,
      interval: "FY",
      ...(request.groupBy && { groupBy: request.groupBy }),
    } as SustainabilityParams,
  };
}

/**
 * Runs the insights client's own parameter checks (generated from the spec) on the report's three
 * requests without sending anything, so a bad flag is a usage error before the first request.
 * Throws the client's `InvalidRequestError`.
 */
export function preflight(request: ReportRequest): void {
  const ids = request.scenarioIds;
  const max = operations.getPnlSummary.query.scenarioIds.maxItems;
  const base = request.baseScenarioId;
  if (ids && base && !ids.includes(base) && ids.length + 1 > max)
    throw new UsageError(
      `simcel report: --scenarios and the base ${base} make ${ids.length + 1} scenarios, the API takes at most ${max}: name at most ${max - 1} besides the base`,
    );
  const q = reportQueries(request, ids && base && !ids.includes(base) ? [base, ...ids] : ids);
  checkOperationParams("getPnlSummary", q.pnl);
  checkOperationParams("getDemandForecast", q.demand);
  checkOperationParams("getSustainability", q.co2);
}

/** Statuses that mean "this endpoint is not there (yet)" for the CO2 endpoint documented as coming soon. */
const NOT_THERE = [404, 405, 410, 501];

const settle = <T>(promise: Promise<T>): Promise<SectionResult<T>> =>
  promise.then(
    (data) => ({ status: "ok", data }),
    (error: unknown) => ({ status: "failed", error }),
  );

/**
 * Fetches the report's data. Throws when the plan cannot be read (nothing to report) or the
 * scenario choice is wrong; any later failure stays in its section.
 */
export async function gatherReport(client: InsightsClient, request: ReportRequest): Promise<ReportData> {
  const plan = await client.getPlan(request.planId);
  const known = plan.scenarios.map((s) => s.id);
  // the rule of simcel compare and the MCP server's compare_scenarios: committed, else primary, else first
  const base = request.baseScenarioId ?? chooseBaseScenario(plan)?.id;
  if (request.baseScenarioId && !known.includes(request.baseScenarioId))
    throw new UsageError(
      `simcel report: --base ${request.baseScenarioId} is not a scenario of plan ${plan.id}; its scenarios: ${known.join(", ") || "none"}`,
    );
  if (!base) {
    const reason = `plan ${plan.id} has no scenarios`;
    const skipped = { status: "skipped", reason } as const;
    return { request, plan, baseScenarioId: undefined, scenarioIds: [], pnl: skipped, demand: skipped, co2: skipped };
  }
  let ids = request.scenarioIds;
  if (ids) {
    // As `simcel compare`: the base must be in the summary to compare against it.
    ids = [base, ...ids.filter((s) => s !== base)];
    const max = operations.getPnlSummary.query.scenarioIds.maxItems;
    if (ids.length > max)
      throw new UsageError(
        `simcel report: --scenarios and the base ${base} make ${ids.length} scenarios, the API takes at most ${max}: name at most ${max - 1} besides the base`,
      );
  }
  const q = reportQueries(request, ids);
  const [pnl, demand, co2] = await Promise.all([
    settle(client.getPnlSummary(q.pnl)),
    settle(client.getDemandForecast(q.demand)),
    settle(client.getSustainability(q.co2)),
  ]);
  const co2Result: SectionResult<Sustainability> =
    co2.status === "failed" &&
    co2.error instanceof SimcelApiError &&
    co2.error.status !== undefined &&
    NOT_THERE.includes(co2.error.status)
      ? { status: "unavailable", error: co2.error }
      : co2;
  return { request, plan, baseScenarioId: base, scenarioIds: ids, pnl, demand, co2: co2Result };
}
