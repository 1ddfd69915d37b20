// One call of an operation: local parameter checks, the trace, the retry loop (core's), and each attempt through the
// transport (core's), its body read and checked. The client's state is passed in, visible, as `ClientState`.
import {
  type Attempt,
  abortable,
  createAttempt,
  endTraceWithError,
  log,
  type OperationTrace,
  parseErrorBody,
  sendAttempt,
  sleep,
  startTrace,
  traceAttempt,
  traceRetries,
  withRetries,
} from "@simcel/core";
import type { Client } from "openapi-fetch";
import { checkParams, type ParamRule } from "./checks.js";
import { BodyCutOff, errorFromResponse, type OperationId, typedFailure } from "./error-mapping.js";
import { ConfigError, ConnectionError, ResponseValidationError, SimcelApiError } from "./errors.js";
import type { paths } from "./generated/openapi.js";
import { operations } from "./generated/operations.js";
import { type CallOptions, type ClientSettings, isTimeout } from "./options.js";
import type { SpecReports } from "./spec-reports.js";

const RETRYABLE = [429, 500, 502, 503, 504];
const TIMING = { baseDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 60_000 };
const MAX_REDIRECTS = 5;

/** What a client's calls share. */
export interface ClientState {
  settings: ClientSettings;
  /** The openapi-fetch client calls go through, with the caller's middleware. */
  client: Client<paths>;
  reports: SpecReports;
  /** Aborted by close(). */
  closing: AbortSignal;
  /** Attempts and waits in flight, for close() to abort one by one. */
  live: Set<{ abort(reason: unknown): void }>;
}

/** One call in flight: what its attempts need, and what a trace learns from them. */
interface Call {
  state: ClientState;
  id: OperationId;
  query: Record<string, unknown> | undefined;
  limit: number;
  caller: AbortSignal | undefined;
  trace: OperationTrace | undefined;
  /** The URL of the last request sent, and the request id of the last answer, for the trace. */
  url: string;
  requestId?: string | undefined;
}

// openapi-fetch types GET by path literal; one untyped path for all operations, each public method fixes its type
type Get = (path: string, init: object) => Promise<{ error?: unknown; response: Response }>;

/** Runs operation `id` with `query`: checked, traced, retried; typed data or a typed error. */
export async function callOperation<T>(
  state: ClientState,
  id: OperationId,
  query: Record<string, unknown> | undefined,
  opts: CallOptions = {},
): Promise<T> {
  const { method, path } = operations[id];
  const { settings } = state;
  const rules = (operations[id] as { query?: Record<string, ParamRule> }).query;
  if (rules)
    for (const broken of checkParams(rules, query ?? {}, method, path, { strict: settings.strict }))
      state.reports.reportParam(id, broken);
  const { signal: caller, timeoutMs: limit = settings.timeoutMs } = opts;
  if (!isTimeout(limit))
    throw new ConfigError("timeoutMs must be a number of ms > 0", {
      setting: "timeoutMs",
      operation: id,
      method,
      path,
    });
  if (state.closing.aborted) throw state.closing.reason;
  const url = settings.baseUrl + path;
  const trace = startTrace(id, "api", method, url);
  const call: Call = { state, id, query, limit, caller, trace, url };
  if (!trace) return retried<T>(call);
  try {
    const data = await trace.run(() => retried<T>(call));
    trace.end({ status: 200, ...(call.requestId && { requestId: call.requestId }) });
    return data;
  } catch (error) {
    endTraceWithError(trace, error);
    throw error;
  }
}

/** The attempts of one call through the one retry loop. */
function retried<T>(call: Call): Promise<T> {
  const { settings } = call.state;
  return withRetries({
    operation: call.id,
    attempts: settings.maxRetries + 1,
    timing: TIMING,
    signal: call.caller,
    run: (n) => attemptOnce<T>(call, n),
    retryable: (error) =>
      error instanceof ConnectionError ||
      (error instanceof SimcelApiError && RETRYABLE.includes(error.status as number))
        ? { retryAfterMs: (error as SimcelApiError).retryAfterMs }
        : false,
    onRetry: traceRetries(call.trace, settings.hooks?.onRetry),
    logger: settings.logger,
    wait: (ms) => waitBetweenAttempts(call.state, ms, call.caller),
  });
}

/** One attempt: through the middleware and the transport, the body read and checked, every failure typed. */
async function attemptOnce<T>(call: Call, n: number): Promise<T> {
  const { state, id, limit, caller, trace } = call;
  const { settings } = state;
  const { method, path } = operations[id];
  // the one AbortController of an attempt: its timeout, the caller's abort, close()
  const attempt = createAttempt(limit, caller);
  state.live.add(attempt);
  const debug = typeof settings.logger?.debug === "function";
  const started = debug || trace ? performance.now() : 0;
  let status: number | undefined;
  let failure: unknown;
  try {
    const fetch = (request: Request) => {
      call.url = request.url;
      return sendAttempt(request, {
        fetch: settings.fetch,
        attempt,
        redirect: { follow: "same-origin", origin: settings.origin, maxHops: MAX_REDIRECTS },
        trace,
        boundErrorBody: true,
      });
    };
    // The Request carries the attempt's signal only when the caller gave one (the caller's abort is what a
    // middleware's sign-in should heed; the attempt's clock is not armed before the fetch). The fetch always gets it.
    const init = { params: { query: call.query }, parseAs: "stream", fetch };
    const get = state.client.GET as unknown as Get;
    const { error, response } = await get(path, caller ? { ...init, signal: attempt.signal } : init);
    status = response.status;
    if (trace) call.requestId = response.headers.get("x-request-id") ?? undefined;
    if (!response.ok)
      throw errorFromResponse(
        response,
        parseErrorBody(typeof error === "string" ? error : JSON.stringify(error ?? "")),
        id,
      );
    const data = await readData(response, attempt, call);
    state.reports.checkBody(id, data);
    return data as T;
  } catch (error) {
    if (error instanceof SimcelApiError && error.status) status = error.status;
    failure = typedFailure(error, { id, attempt, limit, caller, closing: state.closing, origin: settings.origin });
    throw failure;
  } finally {
    attempt.end();
    state.live.delete(attempt);
    if (trace) traceAttempt(trace, n, status, failure, performance.now() - started, call.url);
    if (debug)
      log(
        settings.logger,
        "debug",
        `${id}: ${method} ${path} → ${status ?? "failed"} in ${Math.round(performance.now() - started)} ms`,
      );
  }
}

/** Reads a 2xx body as JSON: a body cut off is a network failure, an empty or non-JSON one breaks the spec. */
async function readData(response: Response, attempt: Attempt, call: Call): Promise<unknown> {
  const { method, path } = operations[call.id];
  const where = { operation: call.id, method, path, status: response.status, pointer: "" };
  let text: string;
  try {
    text = await (call.state.settings.fetch ? abortable(response.text(), attempt.signal) : response.text());
  } catch (cause) {
    if (attempt.signal.aborted) throw cause;
    throw new BodyCutOff("the response body was cut off", { cause });
  }
  if (!text)
    throw new ResponseValidationError(`${method} ${path} answered ${response.status} with an empty body`, where);
  try {
    return JSON.parse(text);
  } catch {
    throw new ResponseValidationError(
      `${method} ${path} answered ${response.status} with a body that is not JSON`,
      where,
    );
  }
}

/**
 * The wait before a retry: the caller's abort and close() end it at once. An attempt's signal that is never armed is
 * exactly that: linked to the caller, abortable by close(), unlinked by `end()`.
 */
async function waitBetweenAttempts(state: ClientState, ms: number, caller: AbortSignal | undefined): Promise<void> {
  if (state.closing.aborted) throw state.closing.reason;
  const waiting = createAttempt(ms, caller);
  state.live.add(waiting);
  try {
    await sleep(ms, waiting.signal);
  } finally {
    waiting.end();
    state.live.delete(waiting);
  }
}
