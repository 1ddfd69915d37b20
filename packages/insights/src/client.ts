// The SIMCEL insights client, in named parts: its options (options.ts), the transport every attempt goes through
// (@simcel/core's), the operations (operation-call.ts), the response check (spec-reports.ts, response-check.ts) and
// the error mapping (error-mapping.ts). This file puts them together and holds the client's state.
import { createClient } from "@simcel/core";
import type { Client } from "openapi-fetch";
import { checkParams } from "./checks.js";
import { ClosedError, NotFoundError } from "./errors.js";
import type { paths } from "./generated/openapi.js";
import { operations } from "./generated/operations.js";
import { type ClientState, callOperation } from "./operation-call.js";
import { type CallOptions, type InsightsClientOptions, resolveOptions } from "./options.js";
import { createSpecReports } from "./spec-reports.js";
import type {
  DemandForecast,
  DemandForecastParams,
  Plan,
  PlansResponse,
  PnlSummary,
  PnlSummaryParams,
  Sustainability,
  SustainabilityParams,
} from "./types.js";

export type { CallOptions, Fetch, InsightsClientOptions, InsightsHooks, SpecMismatchEvent } from "./options.js";

/** The typed insights client `createInsightsClient` returns. */
export interface InsightsClient {
  /** Plans the token may read, with their scenarios and flags (scope `plans:read`). */
  listPlans(options?: CallOptions): Promise<PlansResponse>;
  /** One plan, from `listPlans`; `NotFoundError` when the token sees no plan with that id. */
  getPlan(planId: string, options?: CallOptions): Promise<Plan>;
  /** The P&L cascade per scenario: `pnl` with `interval: "FY"` (the default), `series` with `"M"`. */
  getPnlSummary(params: PnlSummaryParams, options?: CallOptions): Promise<PnlSummary>;
  /** Demand volume, value, fill rate and forecast accuracy per period. */
  getDemandForecast(params: DemandForecastParams, options?: CallOptions): Promise<DemandForecast>;
  /** CO2 per scenario (the endpoint is documented as "coming soon"). */
  getSustainability(params: SustainabilityParams, options?: CallOptions): Promise<Sustainability>;
  /** A plain openapi-fetch client with the same base URL, fetch and middleware: no checks, retries or typed errors. */
  raw: Client<paths>;
  /** Aborts calls in flight and refuses new ones (`code` `closed`). Middleware you passed is yours to close. */
  close(): Promise<void>;
}

/**
 * The SIMCEL insights client. Every method checks its parameters against the spec before sending,
 * checks the response against the spec, returns typed data or throws a `SimcelApiError` subclass, and
 * retries GETs on 429/5xx/network failures with backoff, each attempt passing through the middleware again.
 */
export function createInsightsClient(options: InsightsClientOptions = {}): InsightsClient {
  const settings = resolveOptions(options);
  const { baseUrl, fetch, middleware, identity: headers } = settings;
  const querySerializer = { array: { style: "form", explode: false } } as const;
  const raw = createClient<paths>({ baseUrl, headers, querySerializer, ...(fetch && { fetch }) });
  raw.use(...middleware);
  // each attempt gives it its own fetch: the transport, bound to the attempt
  const client: Client<paths> = createClient<paths>({ baseUrl, headers, querySerializer, redirect: "manual" });
  client.use(...middleware);
  // close() aborts the calls in flight one by one, so no call listens on a signal of the client's (a listener
  // per call on one long-lived signal is what Node warns about past ten)
  const closer = new AbortController();
  const state: ClientState = {
    settings,
    client,
    reports: createSpecReports(settings.logger, settings.hooks),
    closing: closer.signal,
    live: new Set(),
  };
  const call = <T>(id: keyof typeof operations, query?: object, o?: CallOptions) =>
    callOperation<T>(state, id, query as Record<string, unknown> | undefined, o);

  return {
    raw,
    listPlans: (o) => call("listPlans", undefined, o),
    getPlan: (planId, o) => getPlan(state, planId, o),
    getPnlSummary: (q, o) => call("getPnlSummary", q, o),
    getDemandForecast: (q, o) => call("getDemandForecast", q, o),
    getSustainability: (q, o) => call("getSustainability", q, o),
    async close() {
      if (closer.signal.aborted) return;
      closer.abort(new ClosedError("the client was closed: create a new one"));
      for (const work of state.live) work.abort(closer.signal.reason);
    },
  };
}

/** One plan, from `listPlans`: its id checked as `getPnlSummary` checks `planId`. */
async function getPlan(state: ClientState, planId: string, o: CallOptions | undefined): Promise<Plan> {
  const { method, path } = operations.listPlans;
  const rule = { planId: operations.getPnlSummary.query.planId };
  for (const broken of checkParams(rule, { planId }, method, path, { strict: state.settings.strict }))
    state.reports.reportParam("listPlans", broken);
  const plan = (await callOperation<PlansResponse>(state, "listPlans", undefined, o)).plans.find(
    (p) => p.id === planId,
  );
  if (!plan)
    throw new NotFoundError(`Plan ${planId} is not among the plans this token can read`, {
      status: 404,
      operation: "listPlans",
      method,
      path,
    });
  return plan;
}
