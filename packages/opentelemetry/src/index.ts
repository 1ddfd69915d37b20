// OpenTelemetry tracing for every SIMCEL client in the process. The libraries (@simcel/auth, @simcel/insights)
// depend on no tracing library: they report each operation to a process-wide slot (a registered symbol on
// globalThis). This package fills that slot with a tracer built on the application's own @opentelemetry/api, so
// spans join the application's traces and go wherever its SDK exports them.
import {
  type Attributes,
  type Context,
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  type TracerProvider,
  trace,
} from "@opentelemetry/api";
import {
  type AttemptEvent,
  type EndEvent,
  instrumentationSlot,
  type OperationStart,
  type OperationTrace,
  type RetryTraceEvent,
  type SimcelInstrumentation,
} from "@simcel/core";

/** Options of {@link enableSimcelTracing}; all optional. */
export interface SimcelTracingOptions {
  /** Where spans are made; default the global provider (`trace.getTracerProvider()`), set by your OTel set-up. */
  tracerProvider?: TracerProvider | undefined;
}

/** The instrumentation scope of the spans: a backend shows it as the library that made them. */
export const TRACER_NAME = "@simcel/opentelemetry";

type Slot = { [instrumentationSlot]?: SimcelInstrumentation | undefined };

/**
 * Makes every SIMCEL client in the process trace: each API operation a client span (`simcel.operation`, the HTTP
 * semantic-convention attributes, its status, retries as events), each token sign-in its own span under the
 * operation that needed it, and each request to SIMCEL carries `traceparent` for that span. Call it once at
 * start-up, after your own OpenTelemetry set-up (the spans use the context manager and propagator registered
 * there). Returns a function that turns tracing off again (it restores whatever tracer was there before).
 */
export function enableSimcelTracing(options: SimcelTracingOptions = {}): () => void {
  if (options === null || typeof options !== "object")
    throw new TypeError("enableSimcelTracing(options): options must be an object, e.g. { tracerProvider }");
  const provider = options.tracerProvider ?? trace.getTracerProvider();
  if (typeof provider?.getTracer !== "function")
    throw new TypeError("enableSimcelTracing: tracerProvider must be an OpenTelemetry TracerProvider (getTracer)");
  const tracer = provider.getTracer(TRACER_NAME);
  let on = true;
  const instrumentation: SimcelInstrumentation = {
    // turned off while a later enable held the slot, it may come back when that one is turned off: stay silent
    startOperation: (start) => (on ? startOperationSpan(tracer, start) : undefined),
  };
  const slot = globalThis as Slot;
  const previous = slot[instrumentationSlot];
  slot[instrumentationSlot] = instrumentation;
  return () => {
    on = false;
    // a later enable owns the slot now: leave it to that one
    if (slot[instrumentationSlot] !== instrumentation) return;
    if (previous) slot[instrumentationSlot] = previous;
    else delete slot[instrumentationSlot];
  };
}

/** The span of one operation, a child of the active context; its trace is what the libraries report to. */
function startOperationSpan(tracer: Tracer, start: OperationStart): OperationTrace {
  const parent = context.active();
  const span = tracer.startSpan(
    start.kind === "token" ? "simcel signIn" : `simcel ${start.operation}`,
    { kind: SpanKind.CLIENT, attributes: startAttributes(start) },
    parent,
  );
  const spanContext = trace.setSpan(parent, span);
  return {
    run: (fn) => context.with(spanContext, fn),
    headers: () => traceHeaders(spanContext),
    attempt: (event) => recordAttempt(span, event),
    retry: (event) => recordRetry(span, event),
    end: (outcome) => endSpan(span, outcome),
  };
}

/** `simcel.*` and the HTTP client attributes known before the request goes out. The URL has no query or secret. */
function startAttributes(start: OperationStart): Attributes {
  const attributes: Attributes = {
    "simcel.operation": start.operation,
    "simcel.sdk.version": start.sdkVersion,
    "http.request.method": start.method,
    "url.full": start.url,
  };
  try {
    const url = new URL(start.url);
    attributes["server.address"] = url.hostname;
    attributes["server.port"] = Number(url.port) || (url.protocol === "http:" ? 80 : 443);
  } catch {
    // the libraries give an unreadable URL as a placeholder; the span keeps it as url.full
  }
  return attributes;
}

/** The propagation headers (`traceparent`, `tracestate`, baggage…) of the operation's span, by the global propagator. */
function traceHeaders(spanContext: Context): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(spanContext, carrier);
  return carrier;
}

/** The last attempt's status, and how many times the request was sent again (a retry or a 401 replay). */
function recordAttempt(span: Span, event: AttemptEvent): void {
  if (event.status !== undefined) span.setAttribute("http.response.status_code", event.status);
  if (event.attempt > 1) span.setAttribute("http.request.resend_count", event.attempt - 1);
}

/** A retry as a span event: which attempt failed, why, and the wait before the next one. */
function recordRetry(span: Span, event: RetryTraceEvent): void {
  span.addEvent("simcel.retry", {
    "simcel.retry.attempt": event.attempt,
    "simcel.retry.delay_ms": event.delayMs,
    ...(event.status !== undefined && { "http.response.status_code": event.status }),
    ...(event.code !== undefined && { "error.type": event.code }),
  });
}

/** Ends the span: the final status code and request id, and for a failure `error.type` and an error status. */
function endSpan(span: Span, outcome: EndEvent): void {
  if (outcome.status !== undefined) span.setAttribute("http.response.status_code", outcome.status);
  if (outcome.requestId !== undefined) span.setAttribute("simcel.request_id", outcome.requestId);
  const error = outcome.error;
  if (error) {
    span.setAttribute("error.type", error.code);
    span.setStatus({ code: SpanStatusCode.ERROR, message: `${error.name}: ${error.message}` });
  }
  span.end();
}
