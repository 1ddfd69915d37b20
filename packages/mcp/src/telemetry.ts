// Traces of simcel-mcp, when OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set: a span
// per tool call, with the SIMCEL SDK's spans (@simcel/opentelemetry: each API operation and sign-in) as its
// children, exported over OTLP/HTTP. The OpenTelemetry SDK and exporter are loaded by import() only then: a server
// without the variable loads none of it. The exporter reads the standard OTEL_EXPORTER_OTLP_* variables itself
// (headers, timeout); OTEL_SERVICE_NAME names the service (default simcel-mcp); OTEL_SDK_DISABLED=true turns it off.
import type { Span, Tracer } from "@opentelemetry/api";

/** What the server needs of tracing: the tracer and the API's helpers, set while tracing is on. */
interface Active {
  tracer: Tracer;
  api: typeof import("@opentelemetry/api");
}

let active: Active | undefined;

/** An OTLP endpoint that cannot be used; the message says which variable and what it must be. */
export class TelemetryConfigError extends Error {
  override name = "TelemetryConfigError";
}

/** Where OpenTelemetry's own warnings go (an export that failed, a collector that refused): the server's log. */
export interface TelemetryLogger {
  warn?(message: string, fields?: Record<string, unknown>): void;
  error?(message: string, fields?: Record<string, unknown>): void;
}

/** Tracing as started: how to flush and stop it (at shutdown, so the last spans are not lost). */
export interface Telemetry {
  /** Where spans go, for a log line: origin and path, never user info or a query. */
  endpoint: string;
  shutdown(): Promise<void>;
}

/**
 * The OTLP endpoint `env` asks traces to go to (the traces-only variable first), or `undefined` when none is set or
 * OTEL_SDK_DISABLED=true. Throws a {@link TelemetryConfigError} for a value that is not an http(s) URL.
 */
export function tracingRequested(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === "true") return undefined;
  for (const name of ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"]) {
    const value = env[name]?.trim();
    if (!value) continue;
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {}
    // the value itself is not repeated: it may carry credentials
    if (url?.protocol !== "http:" && url?.protocol !== "https:")
      throw new TelemetryConfigError(
        `${name} must be the http:// or https:// URL of an OTLP/HTTP collector (such as http://localhost:4318)`,
      );
    return value;
  }
  return undefined;
}

/**
 * Starts tracing when `env` asks for it (see {@link tracingRequested}); `undefined` when it does not, with nothing
 * loaded. Registers the provider, context manager and W3C propagator globally (this process is the server), then
 * turns on @simcel/opentelemetry so the SDK's calls become children of the tool call that made them.
 */
export async function startTelemetry(
  env: Readonly<Record<string, string | undefined>>,
  options: { version: string; logger?: TelemetryLogger | undefined },
): Promise<Telemetry | undefined> {
  const { version, logger } = options;
  const endpoint = tracingRequested(env);
  if (!endpoint) return undefined;
  const [api, { AsyncLocalStorageContextManager }, { W3CTraceContextPropagator }, sdk, otlp, resources, simcel] =
    await Promise.all([
      import("@opentelemetry/api"),
      import("@opentelemetry/context-async-hooks"),
      import("@opentelemetry/core"),
      import("@opentelemetry/sdk-trace-base"),
      import("@opentelemetry/exporter-trace-otlp-http"),
      import("@opentelemetry/resources"),
      import("@simcel/opentelemetry"),
    ]);
  const provider = new sdk.BasicTracerProvider({
    resource: resources.resourceFromAttributes({
      "service.name": env.OTEL_SERVICE_NAME?.trim() || "simcel-mcp",
      "service.version": version,
    }),
    spanProcessors: [new sdk.BatchSpanProcessor(new otlp.OTLPTraceExporter())],
  });
  api.diag.setLogger(
    {
      error: (message) => logger?.error?.("opentelemetry", { message }),
      warn: (message) => logger?.warn?.("opentelemetry", { message }),
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    api.DiagLogLevel.WARN,
  );
  api.trace.setGlobalTracerProvider(provider);
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const disableSdkTracing = simcel.enableSimcelTracing({ tracerProvider: provider });
  active = { tracer: provider.getTracer("simcel-mcp", version), api };
  return {
    endpoint: describeEndpoint(endpoint),
    async shutdown() {
      disableSdkTracing();
      active = undefined;
      await provider.shutdown();
    },
  };
}

/** The endpoint as a log line may show it. */
function describeEndpoint(endpoint: string): string {
  const url = new URL(endpoint);
  return `${url.origin}${url.pathname}`;
}

/**
 * Runs one tool call in its own span (`tools/call <tool>`, kind SERVER, the MCP semantic-convention attributes),
 * continuing the host's trace when the request's `_meta` carries a `traceparent`. Without tracing, just `call()`.
 */
export function traceToolCall<T>(tool: string, meta: unknown, call: () => Promise<T>): Promise<T> {
  if (!active) return call();
  const { tracer, api } = active;
  const carrier = meta !== null && typeof meta === "object" ? (meta as Record<string, unknown>) : {};
  const parent = api.propagation.extract(api.context.active(), carrier, {
    keys: (c) => Object.keys(c),
    get: (c, key) => (typeof c[key] === "string" ? (c[key] as string) : undefined),
  });
  const attributes = {
    "mcp.method.name": "tools/call",
    "gen_ai.operation.name": "execute_tool",
    "gen_ai.tool.name": tool,
  };
  return tracer.startActiveSpan(
    `tools/call ${tool}`,
    { kind: api.SpanKind.SERVER, attributes },
    parent,
    async (span: Span) => {
      try {
        return await call();
      } catch (error) {
        // the error's class and code, never its message: the tool's reply carries the (redacted) words
        const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
        span.setAttribute("error.type", typeof code === "string" ? code : typeof name === "string" ? name : "Error");
        span.setStatus({ code: api.SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
