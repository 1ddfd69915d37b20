// The hook surface a tracer (such as @simcel/opentelemetry) plugs into. The libraries depend on no tracing
// library: they look in one process-wide slot, a registered symbol on globalThis, so every copy of them (ESM or
// CJS build, any version) finds the same tracer. With the slot empty an operation costs one property read.
import { callHook } from "./logger.js";
import type { RetryEvent } from "./retry.js";
import { redactSecrets } from "./secrets.js";
import { SDK_VERSION } from "./version.js";

/** A process-wide slot every copy of the libraries (ESM or CJS, any version) reads; a tracer fills it. */
export const instrumentationSlot: unique symbol = Symbol.for("simcel.instrumentation/v1") as never;

/** What a tracer puts in the slot: called once per operation (an API call, or a token request). */
export interface SimcelInstrumentation {
  /** Starts tracing one operation; `undefined` leaves it untraced. */
  startOperation(start: OperationStart): OperationTrace | undefined;
}

/** An operation about to start. No field holds a secret. */
export interface OperationStart {
  /** The operation id (`getPnlSummary`, `listPlans`, …), or `signIn` for a token request. */
  operation: string;
  /** `api` for a SIMCEL API call, `token` for a token request. */
  kind: "api" | "token";
  /** The HTTP method. */
  method: string;
  /** The URL without query string, credentials in it, or any registered secret. */
  url: string;
  /** The version of the library making the call. */
  sdkVersion: string;
}

/** One HTTP attempt that ended, as {@link OperationTrace.attempt} receives it. */
export interface AttemptEvent {
  /** 1-based. */
  attempt: number;
  /** The HTTP status, when a response came. */
  status?: number;
  /** Why the attempt failed, as an SDK error code (`timeout`, `connection_failed`, `server_error`, …). */
  error?: { code: string };
  durationMs: number;
  /** The URL the attempt went to, without query string or credentials. */
  url: string;
}

/** A retry about to happen, as {@link OperationTrace.retry} receives it. */
export interface RetryTraceEvent {
  /** The attempt that failed, 1-based. */
  attempt: number;
  /** The wait before the next attempt, in ms. */
  delayMs: number;
  status?: number;
  /** The SDK error code of the failed attempt. */
  code?: string;
}

/** How an operation ended, as {@link OperationTrace.end} receives it: only an error's safe fields. */
export interface EndEvent {
  status?: number;
  requestId?: string;
  error?: { name: string; code: string; status?: number; requestId?: string; message: string };
}

/** A traced operation: what the tracer wants to hear while it runs. */
export interface OperationTrace {
  /** Runs the operation inside the trace's context, so a sign-in it triggers nests under it. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Headers added to each HTTP attempt (e.g. `traceparent`); read when the attempt is sent. */
  headers(): Record<string, string>;
  /** An HTTP attempt ended. */
  attempt(event: AttemptEvent): void;
  /** A failed attempt is about to be retried. */
  retry(event: RetryTraceEvent): void;
  /** The operation ended; called once. */
  end(outcome: EndEvent): void;
}

type Slot = { [instrumentationSlot]?: SimcelInstrumentation | undefined };

/** The URL as a trace may show it: no query string, fragment or user info, secrets redacted. */
export function traceUrl(url: string): string {
  try {
    const u = new URL(url);
    return redactSecrets(`${u.origin}${u.pathname}`);
  } catch {
    return "(unreadable URL)";
  }
}

/**
 * The trace of an operation about to start, or `undefined` when no tracer is installed (one property read) or the
 * tracer declines or throws: a tracer's failure never fails the call. The trace's methods are guarded the same way.
 */
export function startTrace(
  operation: string,
  kind: "api" | "token",
  method: string,
  url: string,
): OperationTrace | undefined {
  const tracer = (globalThis as Slot)[instrumentationSlot];
  if (!tracer) return undefined;
  try {
    const trace = tracer.startOperation({ operation, kind, method, url: traceUrl(url), sdkVersion: SDK_VERSION });
    return trace && guarded(trace);
  } catch {
    return undefined;
  }
}

/** `trace` with each method isolated: what the tracer throws is dropped, and `run` falls back to a plain call. */
function guarded(trace: OperationTrace): OperationTrace {
  const quiet =
    <E>(fn: (event: E) => void) =>
    (event: E) => {
      try {
        fn.call(trace, event);
      } catch {
        // a tracer's failure is not the caller's failure
      }
    };
  return {
    run<T>(fn: () => Promise<T>): Promise<T> {
      let ran = false;
      const once = () => {
        ran = true;
        return fn();
      };
      try {
        return trace.run(once);
      } catch (error) {
        if (ran) throw error;
        return fn();
      }
    },
    headers() {
      try {
        const headers = trace.headers();
        return headers && typeof headers === "object" ? headers : {};
      } catch {
        return {};
      }
    },
    attempt: quiet(trace.attempt),
    retry: quiet(trace.retry),
    end: quiet(trace.end),
  };
}

/** Sets the trace's headers on a request about to be sent (an attempt, or a replay of it). */
export function addTraceHeaders(trace: OperationTrace | undefined, headers: Headers): void {
  if (!trace) return;
  for (const [name, value] of Object.entries(trace.headers())) headers.set(name, value);
}

/** The fields of a thrown error a trace may show: `name`, `code`, `status`, `requestId`, `message` (all redacted). */
export function traceError(error: unknown): NonNullable<EndEvent["error"]> {
  const e = (typeof error === "object" && error !== null ? error : {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === "string" ? redactSecrets(v) : undefined);
  return {
    name: text(e.name) ?? "Error",
    code: text(e.code) ?? (isAbort(error) ? "aborted" : "unknown"),
    ...(typeof e.status === "number" && { status: e.status }),
    ...(typeof e.requestId === "string" && { requestId: text(e.requestId) as string }),
    message: text(e.message) ?? redactSecrets(String(error)),
  };
}

const isAbort = (error: unknown) =>
  error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");

/** Tells the trace an attempt ended: its status when a response came, the SDK code of its failure if it failed. */
export function traceAttempt(
  trace: OperationTrace,
  attempt: number,
  status: number | undefined,
  failure: unknown,
  durationMs: number,
  url: string,
): void {
  const code = (failure as { code?: unknown } | undefined)?.code;
  trace.attempt({
    attempt,
    ...(status !== undefined && { status }),
    ...(failure !== undefined && { error: { code: typeof code === "string" ? code : "unknown" } }),
    durationMs,
    url: traceUrl(url),
  });
}

/** An `onRetry` for the retry loop that tells the trace first, then the caller's hook (isolated). */
export function traceRetries(
  trace: OperationTrace | undefined,
  hook: ((event: RetryEvent) => void) | undefined,
): ((event: RetryEvent) => void) | undefined {
  if (!trace) return hook;
  return (event) => {
    const { status, code } = (event.error ?? {}) as { status?: unknown; code?: unknown };
    trace.retry({
      attempt: event.attempt,
      delayMs: event.delayMs,
      ...(typeof status === "number" && { status }),
      ...(typeof code === "string" && { code }),
    });
    callHook(hook, event);
  };
}

/** Ends the trace of an operation that failed with `error`: its status when it has one, and its safe fields. */
export function endTraceWithError(trace: OperationTrace, error: unknown): void {
  const safe = traceError(error);
  trace.end({
    ...(safe.status !== undefined && { status: safe.status }),
    ...(safe.requestId !== undefined && { requestId: safe.requestId }),
    error: safe,
  });
}
