import { abortReason, backoffDelay, createClient, parseRetryAfter, readErrorBody, sleep } from "@simcel/core";
import type { Client, Middleware } from "openapi-fetch";
import { checkParams, type ParamRule } from "./checks.js";
import {
  AuthenticationError,
  ConnectionError,
  InvalidRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  SimcelApiError,
  TimeoutError,
} from "./errors.js";
import type { paths } from "./generated/openapi.js";
import { defaultBaseUrl, operations } from "./generated/operations.js";
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

/** Options of `createInsightsClient`. */
export interface InsightsClientOptions {
  /** API root; default the spec's production server, `https://app.simcel.io/api`. */
  baseUrl?: string;
  /** openapi-fetch middleware, e.g. `@simcel/auth`'s, or any that sets `Authorization`. Runs on every attempt. */
  middleware?: Middleware[];
  /** The fetch to use (tests, proxies, instrumentation); default `globalThis.fetch`. */
  fetch?: (request: Request) => Promise<Response>;
  /** Limit of one attempt, in ms, response body included; default 30 000. */
  timeoutMs?: number;
  /** Retries of a failed GET (429, 500, 502, 503, 504, network error, timeout); default 2. */
  maxRetries?: number;
}

/** Per-call options, the last argument of every method. */
export interface CallOptions {
  /** Cancels the call at any point, backoff included; it rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Overrides the client's per-attempt timeout for this call, in ms. */
  timeoutMs?: number;
}

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
  /** The underlying typed openapi-fetch client, with the middleware given; no checks, retries or typed errors. */
  raw: Client<paths>;
}

type OperationId = keyof typeof operations;
const retryable = [429, 500, 502, 503, 504];
const classes: Record<number, typeof SimcelApiError> = {
  400: InvalidRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  422: InvalidRequestError,
  429: RateLimitError,
};
const timing = { baseDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 60_000 };

/** Maps an error response to its typed error; reads at most 64 KiB of the body, JSON or not. */
async function toError(response: Response, id: OperationId): Promise<SimcelApiError> {
  const { method, path, scope } = operations[id];
  const { status, headers } = response;
  const { message, error } = await readErrorBody(response);
  const Class = classes[status] ?? (status >= 500 ? ServerError : SimcelApiError);
  const requestId = headers.get("x-request-id") ?? undefined;
  return new Class(
    `${status} ${error || response.statusText || "error"}: ${message || "(no message)"} (${method} ${path}${
      status === 403 ? ` needs scope ${scope}` : ""
    }${requestId ? `, request ${requestId}` : ""})`,
    {
      status,
      code: error,
      requestId,
      method,
      path,
      retryAfterMs: parseRetryAfter(headers.get("retry-after")),
      ...(status === 403 && { scope }),
    },
  );
}

/**
 * The SIMCEL insights client. Every method checks its parameters against the spec before
 * sending, returns typed data or throws a `SimcelApiError` subclass, and retries GETs on
 * 429/5xx/network errors with backoff, each attempt passing through the middleware again.
 */
export function createInsightsClient(options: InsightsClientOptions = {}): InsightsClient {
  const { baseUrl = defaultBaseUrl, middleware = [], fetch, timeoutMs = 30_000, maxRetries = 2 } = options;
  if (!/^https?:\/\/./.test(baseUrl)) throw new TypeError(`[@simcel/insights] baseUrl must be an http(s) URL`);
  if (!(maxRetries >= 0 && maxRetries % 1 === 0))
    throw new TypeError(`[@simcel/insights] maxRetries must be a whole number ≥ 0`);
  const raw = createClient<paths>({
    baseUrl,
    querySerializer: { array: { style: "form", explode: false } },
    ...(fetch && { fetch }),
  });
  // Our calls' params objects → operation: typed errors only for them, so `raw` stays plain openapi-fetch.
  const ours = new WeakMap<object, OperationId>();
  // Registered first so its onResponse runs last, after e.g. an auth middleware's 401 replay.
  raw.use(
    {
      async onResponse({ response, params }) {
        const id = ours.get(params);
        if (id && !response.ok) throw await toError(response, id);
      },
    },
    ...middleware,
  );

  async function call<T>(id: OperationId, query: Record<string, unknown> | undefined, opts: CallOptions = {}) {
    const { method, path } = operations[id];
    const where = { method, path };
    const rules = (operations[id] as { query?: Record<string, ParamRule> }).query;
    if (rules) checkParams(rules, query ?? {}, method, path);
    const { signal, timeoutMs: limit = timeoutMs } = opts;
    if (!(limit > 0)) throw new TypeError(`[@simcel/insights] timeoutMs must be a number > 0`);
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw abortReason(signal);
      const controller = new AbortController();
      const onAbort = () => controller.abort(abortReason(signal as AbortSignal));
      signal?.addEventListener("abort", onAbort);
      const timer = setTimeout(() => controller.abort(), limit);
      const params = { query };
      ours.set(params, id);
      let failure: unknown;
      try {
        // biome-ignore lint/suspicious/noExplicitAny: one path for all operations; each method fixes the types.
        const { data, error, response } = await raw.GET(path as any, { params, signal: controller.signal } as any);
        // A middleware that answers in onRequest skips every onResponse, ours too: type its error here.
        if (!response.ok)
          throw await toError(new Response(typeof error === "string" ? error : JSON.stringify(error), response), id);
        if (data === undefined) throw new ServerError(`${method} ${path} answered with an empty body`, where);
        return data as T;
      } catch (error) {
        if (signal?.aborted) throw abortReason(signal);
        failure = controller.signal.aborted
          ? new TimeoutError(`${method} ${path} timed out after ${limit} ms`, where)
          : error instanceof TypeError
            ? new ConnectionError(`${method} ${path} failed: ${error.message}`, { ...where, cause: error })
            : error instanceof SyntaxError
              ? new ServerError(`${method} ${path} answered with a body that is not JSON`, where)
              : error;
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      }
      const status = failure instanceof SimcelApiError ? failure.status : 0;
      const retry =
        attempt < maxRetries &&
        (failure instanceof ConnectionError || retryable.includes(status as number)) &&
        backoffDelay(attempt, timing, (failure as SimcelApiError).retryAfterMs);
      if (retry === false || retry === undefined) throw failure;
      await sleep(retry, signal);
    }
  }

  return {
    raw,
    listPlans: (o) => call("listPlans", undefined, o),
    async getPlan(planId, o) {
      const { method, path } = operations.listPlans;
      checkParams({ planId: operations.getPnlSummary.query.planId }, { planId }, method, path);
      const plan = (await call<PlansResponse>("listPlans", undefined, o)).plans.find((p) => p.id === planId);
      if (!plan)
        throw new NotFoundError(`Plan ${planId} is not among the plans this token can read`, {
          status: 404,
          method,
          path,
        });
      return plan;
    },
    getPnlSummary: (q, o) => call("getPnlSummary", q, o),
    getDemandForecast: (q, o) => call("getDemandForecast", q, o),
    getSustainability: (q, o) => call("getSustainability", q, o),
  };
}
