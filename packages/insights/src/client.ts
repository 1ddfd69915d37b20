import {
  type Attempt,
  abortable,
  addTraceHeaders,
  callHook,
  clientIdentity,
  createAttempt,
  createClient,
  endTraceWithError,
  isProductTokens,
  type Logger,
  log,
  type OperationTrace,
  parseRetryAfter,
  type RetryEvent,
  readErrorBody,
  redactSecrets,
  registerSecret,
  sleep,
  startTrace,
  TOKEN_REFUSED_HEADER,
  traceAttempt,
  traceRetries,
  traceUrl,
  withRetries,
} from "@simcel/core";
import type { Client, Middleware } from "openapi-fetch";
import { checkParams, type InferredRuleBroken, type ParamRule } from "./checks.js";
import {
  ClosedError,
  ConfigError,
  ConnectionError,
  errorFromStatus,
  NotFoundError,
  RedirectError,
  ResponseValidationError,
  SimcelApiError,
  TimeoutError,
} from "./errors.js";
import type { paths } from "./generated/openapi.js";
import { defaultBaseUrl, operations, shapes } from "./generated/operations.js";
import { firstReport } from "./mismatch-reports.js";
import { checkResponse, type Mismatch, type Shape } from "./response-check.js";
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

/**
 * A response, or a parameter, that differed from the spec without failing the call, as `onSpecMismatch`
 * receives it: a response field our spec only inferred, an unknown field or enum value, or a parameter
 * that breaks a rule our spec only inferred (sent anyway outside strict mode).
 */
export interface SpecMismatchEvent {
  /** The operation id, e.g. `listPlans`. */
  operation: string;
  /** `response`: a field of the body; `request`: a query parameter the caller passed. */
  direction: "request" | "response";
  /**
   * JSON pointer of the field in the body, or of the value in the parameters (`/planId`, `/scenarioIds/1`);
   * the first one seen: each is reported once per operation, field (array positions count as one) and `expected`.
   */
  pointer: string;
  /** What the spec says. */
  expected: string;
  /** What came back (secrets redacted, long values cut). */
  actual: string;
  /** The spec only inferred this fact (`x-simcel-inferred`); the API may well be right. */
  inferred: boolean;
}

/** Hooks for metrics or tracing; they never receive a secret or token. */
export interface InsightsHooks {
  /** An attempt failed and is about to be retried. */
  onRetry?(event: RetryEvent): void;
  /**
   * A response or a parameter differed from the spec in a way that does not fail the call. Called once per
   * operation and field for each hook function in the process, however many clients share it.
   */
  onSpecMismatch?(event: SpecMismatchEvent): void;
}

/** Options of `createInsightsClient`. */
export interface InsightsClientOptions {
  /**
   * API root. Default: the `baseUrl` of the first middleware that has one (`@simcel/auth`'s middleware
   * carries its credential's), else the spec's production server, `https://app.simcel.io/api`.
   */
  baseUrl?: string | undefined;
  /** openapi-fetch middleware, e.g. `@simcel/auth`'s, or any that sets `Authorization`. Runs on every attempt. */
  middleware?: Middleware[] | undefined;
  /**
   * The fetch to use (tests, proxies, instrumentation); default `globalThis.fetch`. It is handed each attempt's
   * `{ signal }` as its second argument: pass it on so a timeout or an abort cancels the request (the client
   * stops waiting either way).
   */
  fetch?: Fetch | undefined;
  /** Limit of one attempt in ms, from sending the request to the end of its body; default 30 000. A sign-in before it is not counted. */
  timeoutMs?: number | undefined;
  /** Retries of a failed GET (429, 500, 502, 503, 504, network error, broken body, timeout); default 2. */
  maxRetries?: number | undefined;
  /**
   * Where requests, retries and spec mismatches are reported; default silent. A spec mismatch is logged
   * (`warn`) once per operation and field for each `warn` function in the process, however many clients share it.
   */
  logger?: Logger | undefined;
  /** Hooks for metrics or tracing. */
  hooks?: InsightsHooks | undefined;
  /**
   * Refuse parameters that break a rule the spec only inferred (an id's alphabet, a length limit) with
   * `InvalidRequestError`, as documented rules are refused. Default false: such a value is sent, and
   * reported once through `logger.warn` and `onSpecMismatch`.
   */
  strict?: boolean | undefined;
  /**
   * Your product, named first in the User-Agent of every request (`acme-planner/2.1`): `name/version` tokens
   * separated by spaces. The SDK always names itself: `simcel-sdk-typescript/<version> <runtime>/<version>`.
   */
  userAgent?: string | undefined;
}

/** The fetch the client calls: a Request, and the attempt's signal to honour. */
export type Fetch = (request: Request, init?: { signal?: AbortSignal }) => Promise<Response>;

/** Per-call options, the last argument of every method. */
export interface CallOptions {
  /** Cancels the call at any point, sign-in and backoff included; it rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Overrides the client's per-attempt timeout for this call, in ms. */
  timeoutMs?: number | undefined;
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
  /** A plain openapi-fetch client with the same base URL, fetch and middleware: no checks, retries or typed errors. */
  raw: Client<paths>;
  /** Aborts calls in flight and refuses new ones (`code` `closed`). Middleware you passed is yours to close. */
  close(): Promise<void>;
}

type OperationId = keyof typeof operations;
const RETRYABLE = [429, 500, 502, 503, 504];
const TIMING = { baseDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 60_000 };
const MAX_REDIRECTS = 5;
const REFUSED_HINT =
  "a token issued moments ago was refused too: is the key revoked, or meant for another environment (base URL)?";

/** `fetch` itself failed: the only network failure there is (a middleware's own error is not one). */
class FetchFailed extends Error {
  override name = "FetchFailed";
}
/** A redirect off the base URL's origin (or past the hop limit), not followed. */
class RedirectRefused extends Error {
  constructor(readonly location: string) {
    super(`redirect to ${location} refused`);
  }
}

/** What one attempt of one of our calls shares with the middleware around it (keyed by its params object). */
interface AttemptContext {
  id: OperationId;
  attempt: Attempt;
}

const isRedirect = (r: Response) =>
  r.type === "opaqueredirect" || (r.status >= 300 && r.status < 400 && r.headers.has("location"));
const cut = (text: string) => (text.length > 80 ? `${text.slice(0, 80)}…` : text);

/** A traced call's state: its trace, and what the last attempt learnt for the trace's end. */
interface TracedCall {
  trace: OperationTrace;
  url: string;
  requestId?: string | undefined;
}

/**
 * The SIMCEL insights client. Every method checks its parameters against the spec before sending,
 * checks the response against the spec, returns typed data or throws a `SimcelApiError` subclass, and
 * retries GETs on 429/5xx/network failures with backoff, each attempt passing through the middleware again.
 */
export function createInsightsClient(options: InsightsClientOptions = {}): InsightsClient {
  const { middleware = [], fetch, timeoutMs = 30_000, maxRetries = 2, logger, hooks, strict = false } = options;
  const fromMiddleware = middleware.find((m) => typeof (m as { baseUrl?: unknown })?.baseUrl === "string") as
    | { baseUrl: string }
    | undefined;
  const baseUrl = options.baseUrl ?? fromMiddleware?.baseUrl ?? defaultBaseUrl;
  let origin: string;
  try {
    const url = new URL(baseUrl);
    if (!/^https?:$/.test(url.protocol)) throw new TypeError();
    origin = url.origin;
  } catch {
    throw new ConfigError(`baseUrl must be an absolute http(s) URL such as ${defaultBaseUrl}`, { setting: "baseUrl" });
  }
  if (!(maxRetries >= 0 && maxRetries % 1 === 0))
    throw new ConfigError("maxRetries must be a whole number ≥ 0", { setting: "maxRetries" });
  if (!(timeoutMs > 0 && timeoutMs < Infinity))
    throw new ConfigError("timeoutMs must be a number of ms > 0", { setting: "timeoutMs" });
  if (options.userAgent !== undefined && !isProductTokens(options.userAgent))
    throw new ConfigError("userAgent must be product tokens such as acme-planner/2.1 (name/version, spaces between)", {
      setting: "userAgent",
    });
  const headers = clientIdentity(options.userAgent);
  const doFetch: Fetch = fetch ?? ((request, init) => globalThis.fetch(request, init));
  // close() aborts the calls in flight one by one, so no call listens on a signal of the client's (a listener
  // per call on one long-lived signal is what Node warns about past ten)
  const closer = new AbortController();
  const closing = closer.signal;
  const live = new Set<{ abort(reason: unknown): void }>();
  const contexts = new WeakMap<object, AttemptContext>();

  /**
   * The fetch of one attempt of our calls: starts the attempt's clock (every middleware's onRequest, a sign-in
   * included, is done by now), records the bearer for redaction, hands `fetch` the attempt's signal, marks a
   * failure of `fetch` itself as a network failure, and follows redirects within the base URL's origin only.
   * A 401 replay by an auth middleware comes through here too, on the same clock.
   */
  async function send(request: Request, attempt: Attempt, traced: TracedCall | undefined): Promise<Response> {
    attempt.arm();
    if (traced) {
      addTraceHeaders(traced.trace, request.headers);
      traced.url = request.url;
    }
    const { signal } = attempt;
    const authorization = request.headers.get("authorization");
    if (authorization) registerSecret(authorization.slice(authorization.indexOf(" ") + 1));
    for (let hops = 0; ; hops++) {
      let response: Response;
      try {
        // as a real fetch would: an aborted request is not sent
        signal.throwIfAborted();
        // the signal goes to fetch as init, not into a new Request; a fetch of the user's that ignores it is not
        // waited for (the platform's fetch honours it)
        const answer = doFetch(request, { signal });
        response = await (fetch ? abortable(answer, signal) : answer);
      } catch (error) {
        if (signal.aborted) throw error;
        throw new FetchFailed("fetch failed", { cause: error });
      }
      if (!isRedirect(response)) return response;
      response.body?.cancel().catch(() => {});
      let target: URL | undefined;
      try {
        target = new URL(response.headers.get("location") as string, request.url);
      } catch {}
      if (!target || target.origin !== origin || hops >= MAX_REDIRECTS)
        throw new RedirectRefused(
          response.type === "opaqueredirect"
            ? "a location the browser hides"
            : (target?.origin ?? "an unreadable location"),
        );
      // same origin: the API moved a path, follow it with the same request
      request = new Request(target, request);
    }
  }

  const raw = createClient<paths>({
    baseUrl,
    headers,
    querySerializer: { array: { style: "form", explode: false } },
    ...(fetch && { fetch }),
  });
  raw.use(...middleware);
  // each attempt gives it its own fetch (`send` bound to the attempt)
  const client = createClient<paths>({
    baseUrl,
    headers,
    querySerializer: { array: { style: "form", explode: false } },
    redirect: "manual",
  });
  client.use(
    // first, so its onResponse runs last: after e.g. an auth middleware's 401 replay
    {
      async onResponse({ response, params }) {
        const context = contexts.get(params);
        if (context && !response.ok) throw await toError(response, context.id, context.attempt.signal);
        return undefined;
      },
    },
    ...middleware,
  );

  // One path for all operations; each public method fixes the types.
  const get = client.GET as unknown as (path: string, init: object) => Promise<{ error?: unknown; response: Response }>;

  /** Maps an error response to its typed error; reads at most 64 KiB of the body, JSON or not, redacted. */
  async function toError(response: Response, id: OperationId, signal?: AbortSignal): Promise<SimcelApiError> {
    const { method, path, scope } = operations[id];
    const { status, headers } = response;
    const { message, reason } = await readErrorBody(response, signal);
    const requestIdHeader = headers.get("x-request-id");
    const requestId = requestIdHeader ? cut(redactSecrets(requestIdHeader)) : undefined;
    const hint = status === 401 && headers.has(TOKEN_REFUSED_HEADER) ? REFUSED_HINT : undefined;
    const Class = errorFromStatus(status);
    const phrase = reason || redactSecrets(response.statusText) || "error";
    return new Class(
      `${status} ${phrase}: ${message || "(no message)"} (${method} ${path}${status === 403 ? ` needs scope ${scope}` : ""}${
        requestId ? `, request ${requestId}` : ""
      })${hint ? `; ${hint}` : ""}`,
      {
        status,
        reason,
        serverMessage: message,
        requestId,
        operation: id,
        method,
        path,
        retryAfterMs: parseRetryAfter(headers.get("retry-after")),
        ...(status === 403 && { scope }),
        ...(hint && { hint }),
      },
    );
  }

  /** Fails on documented structure that is wrong; reports the rest once per operation and field. */
  function checkBody(id: OperationId, data: unknown): void {
    const shape = (operations[id] as { response?: Shape }).response;
    if (!shape) return;
    const found = checkResponse(shape, data, shapes as Record<string, Shape>);
    if (found.length === 0) return;
    const { method, path } = operations[id];
    for (const m of found) if (!m.fatal) report(id, m);
    const fatal = found.find((m) => m.fatal);
    if (fatal)
      throw new ResponseValidationError(
        `${method} ${path} answered with a body the spec does not allow: ${fatal.pointer || "the body"} should be ${
          fatal.expected
        }, got ${cut(redactSecrets(fatal.actual))}`,
        { status: 200, operation: id, method, path, pointer: fatal.pointer },
      );
  }

  /** Reports a response field that differs from the spec, once per operation and field for each sink. */
  function report(id: OperationId, m: Mismatch): void {
    const actual = cut(redactSecrets(m.actual));
    tell(
      { operation: id, direction: "response", pointer: m.pointer, expected: m.expected, actual, inferred: m.inferred },
      `${id}: the response differs from the spec at ${m.pointer}: the spec ${m.inferred ? "guessed" : "says"} ${m.expected}, the API sent ${actual}`,
    );
  }

  /** Reports a parameter sent although it breaks a rule the spec only inferred. */
  function reportParam(id: OperationId, b: InferredRuleBroken): void {
    const actual = cut(redactSecrets(b.actual));
    tell(
      { operation: id, direction: "request", pointer: b.pointer, expected: b.expected, actual, inferred: true },
      `${id}: ${b.param} ${actual} breaks a rule the spec only guessed (${b.expected}): sent anyway (strict: true refuses it)`,
    );
  }

  function tell(event: SpecMismatchEvent, message: string): void {
    // array positions count as one field, so a mismatch in every row is one report; what the spec
    // expected is part of the key (a limit and an alphabet broken on one field are two facts to hear)
    const key = `${event.direction} ${event.operation} ${event.pointer.replace(/\/\d+(?=\/|$)/g, "/-")} ${event.expected}`;
    if (hooks?.onSpecMismatch && firstReport(hooks.onSpecMismatch, key)) callHook(hooks.onSpecMismatch, event);
    // keyed by the warn function: clients given `{ warn }` objects of their own around one function share it too
    if (typeof logger?.warn === "function" && firstReport(logger.warn, key)) log(logger, "warn", message, { ...event });
  }

  /** What an attempt's failure is thrown as: the caller's abort or close() as they are, the rest as typed errors. */
  function typedFailure(
    error: unknown,
    attempt: Attempt,
    limit: number,
    id: OperationId,
    caller: AbortSignal | undefined,
  ): unknown {
    const { method, path } = operations[id];
    const where = { operation: id, method, path };
    if (caller?.aborted) return error;
    if (closing.aborted) return closing.reason;
    if (attempt.timedOut) return new TimeoutError(`${method} ${path} timed out after ${limit} ms`, where);
    if (error instanceof FetchFailed) {
      const cause = error.cause instanceof Error ? error.cause : undefined;
      return new ConnectionError(
        `${method} ${path} failed: ${error.message === "fetch failed" ? redactSecrets(cause?.message ?? "network error") : error.message}`,
        { ...where, cause: error.cause },
      );
    }
    if (error instanceof RedirectRefused)
      return new RedirectError(
        `${method} ${path} was redirected to ${error.location}: only ${origin} is followed, so the redirect was refused`,
        { ...where, location: error.location },
      );
    return error;
  }

  /** One attempt: send through the middleware, read and check the body, turn every failure into a typed one. */
  async function attemptOnce<T>(
    id: OperationId,
    query: Record<string, unknown> | undefined,
    limit: number,
    caller: AbortSignal | undefined,
    traced: TracedCall | undefined,
    n: number,
  ) {
    const { method, path } = operations[id];
    const where = { operation: id, method, path };
    // the one AbortController of an attempt: its timeout, the caller's abort, close()
    const attempt = createAttempt(limit, caller);
    live.add(attempt);
    const params = { query };
    contexts.set(params, { id, attempt });
    const debug = typeof logger?.debug === "function";
    const started = debug || traced ? performance.now() : 0;
    let status: number | string = "failed";
    let failure: unknown;
    try {
      // The Request carries the attempt's signal only when the caller gave one (the caller's abort is what a
      // middleware's sign-in should heed; the attempt's clock is not armed before the fetch). The fetch always
      // gets it.
      const init = { params, parseAs: "stream", fetch: (request: Request) => send(request, attempt, traced) };
      const { error, response } = await get(path, caller ? { ...init, signal: attempt.signal } : init);
      status = response.status;
      if (traced) traced.requestId = response.headers.get("x-request-id") ?? undefined;
      // A middleware that answers in onRequest skips every onResponse, ours too: type its error here.
      if (!response.ok)
        throw await toError(new Response(typeof error === "string" ? error : JSON.stringify(error), response), id);
      let text: string;
      try {
        text = await (fetch ? abortable(response.text(), attempt.signal) : response.text());
      } catch (cause) {
        if (attempt.signal.aborted) throw cause;
        throw new FetchFailed("the response body was cut off", { cause });
      }
      if (!text)
        throw new ResponseValidationError(`${method} ${path} answered ${status} with an empty body`, {
          ...where,
          status,
          pointer: "",
        });
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch {
        throw new ResponseValidationError(`${method} ${path} answered ${status} with a body that is not JSON`, {
          ...where,
          status,
          pointer: "",
        });
      }
      checkBody(id, data);
      return data as T;
    } catch (error) {
      if (error instanceof SimcelApiError && error.status) status = error.status;
      failure = typedFailure(error, attempt, limit, id, caller);
      throw failure;
    } finally {
      attempt.end();
      live.delete(attempt);
      if (traced)
        traceAttempt(
          traced.trace,
          n,
          typeof status === "number" ? status : undefined,
          failure,
          performance.now() - started,
          traced.url,
        );
      if (debug)
        log(logger, "debug", `${id}: ${method} ${path} → ${status} in ${Math.round(performance.now() - started)} ms`);
    }
  }

  async function call<T>(
    id: OperationId,
    query: Record<string, unknown> | undefined,
    opts: CallOptions = {},
  ): Promise<T> {
    const { method, path } = operations[id];
    const rules = (operations[id] as { query?: Record<string, ParamRule> }).query;
    if (rules) for (const broken of checkParams(rules, query ?? {}, method, path, { strict })) reportParam(id, broken);
    const { signal: caller, timeoutMs: limit = timeoutMs } = opts;
    if (!(limit > 0 && limit < Infinity))
      throw new ConfigError("timeoutMs must be a number of ms > 0", {
        setting: "timeoutMs",
        operation: id,
        method,
        path,
      });
    if (closing.aborted) throw closing.reason;
    const trace = startTrace(id, "api", method, baseUrl + path);
    if (!trace) return retried<T>(id, query, limit, caller, undefined);
    const traced: TracedCall = { trace, url: traceUrl(baseUrl + path) };
    try {
      const data = await trace.run(() => retried<T>(id, query, limit, caller, traced));
      trace.end({ status: 200, ...(traced.requestId && { requestId: traced.requestId }) });
      return data;
    } catch (error) {
      endTraceWithError(trace, error);
      throw error;
    }
  }

  /** The attempts of one call through the one retry loop. */
  function retried<T>(
    id: OperationId,
    query: Record<string, unknown> | undefined,
    limit: number,
    caller: AbortSignal | undefined,
    traced: TracedCall | undefined,
  ): Promise<T> {
    return withRetries({
      operation: id,
      attempts: maxRetries + 1,
      timing: TIMING,
      signal: caller,
      run: (n) => attemptOnce<T>(id, query, limit, caller, traced, n),
      retryable: (error) =>
        error instanceof ConnectionError ||
        (error instanceof SimcelApiError && RETRYABLE.includes(error.status as number))
          ? { retryAfterMs: (error as SimcelApiError).retryAfterMs }
          : false,
      onRetry: traceRetries(traced?.trace, hooks?.onRetry),
      logger,
      wait: (ms) => waitBetweenAttempts(ms, caller),
    });
  }

  /**
   * The wait before a retry: the caller's abort and close() end it at once. An attempt's signal that is never
   * armed is exactly that: linked to the caller, abortable by close(), unlinked by `end()` (a rare path).
   */
  async function waitBetweenAttempts(ms: number, caller: AbortSignal | undefined): Promise<void> {
    if (closing.aborted) throw closing.reason;
    const waiting = createAttempt(ms, caller);
    live.add(waiting);
    try {
      await sleep(ms, waiting.signal);
    } finally {
      waiting.end();
      live.delete(waiting);
    }
  }

  return {
    raw,
    listPlans: (o) => call("listPlans", undefined, o),
    async getPlan(planId, o) {
      const { method, path } = operations.listPlans;
      for (const broken of checkParams({ planId: operations.getPnlSummary.query.planId }, { planId }, method, path, {
        strict,
      }))
        reportParam("listPlans", broken);
      const plan = (await call<PlansResponse>("listPlans", undefined, o)).plans.find((p) => p.id === planId);
      if (!plan)
        throw new NotFoundError(`Plan ${planId} is not among the plans this token can read`, {
          status: 404,
          operation: "listPlans",
          method,
          path,
        });
      return plan;
    },
    getPnlSummary: (q, o) => call("getPnlSummary", q, o),
    getDemandForecast: (q, o) => call("getDemandForecast", q, o),
    getSustainability: (q, o) => call("getSustainability", q, o),
    async close() {
      if (closing.aborted) return;
      closer.abort(new ClosedError("the client was closed: create a new one"));
      for (const work of live) work.abort(closing.reason);
    },
  };
}
