// enableSimcelTracing with the OpenTelemetry SDK an application would set up (SDK 2, the in-memory exporter, the
// AsyncLocalStorage context manager, the W3C propagator) and the real libraries against a sandbox that records
// each request's headers: spans nest under the application's, the sign-in under the operation, the sandbox receives
// the operation's traceparent, and no attribute, event or status holds the key or a token.
import { context, propagation, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApiKeyCredential, createAuthMiddleware } from "../../auth/src/index.js";
import { createInsightsClient, type InsightsClient } from "../../insights/src/index.js";
import { type Sandbox, startSandbox } from "../../sandbox/src/index.js";
import { enableSimcelTracing } from "../src/index.js";

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let sandbox: Sandbox;

beforeAll(async () => {
  // the application's own OpenTelemetry set-up, before it enables SIMCEL tracing
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  sandbox = await startSandbox({ record: true });
});
afterAll(async () => {
  await sandbox?.close();
  trace.disable();
  context.disable();
  propagation.disable();
});

/** A fresh client with its own API key (so each test signs in), on the sandbox. */
function newClient(apiKey = sandbox.createApiKey()): { insights: InsightsClient; apiKey: string } {
  const credential = createApiKeyCredential({ apiKey, baseUrl: sandbox.url });
  const insights = createInsightsClient({ baseUrl: sandbox.url, middleware: [createAuthMiddleware({ credential })] });
  return { insights, apiKey };
}

const byName = (name: string) => exporter.getFinishedSpans().filter((s) => s.name === name);
const one = (name: string): ReadableSpan => {
  const spans = byName(name);
  expect(spans.map((s) => s.name)).toEqual([name]);
  return spans[0] as ReadableSpan;
};
const traceparentOf = (span: ReadableSpan) => `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`;
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe("enableSimcelTracing", () => {
  let disable: () => void;
  beforeEach(() => {
    exporter.reset();
    disable = enableSimcelTracing();
  });
  afterEach(() => disable());

  it("makes a client span per operation under the application's span, with the sign-in as its child", async () => {
    const { insights } = newClient();
    const planId = sandbox.plans[0]?.id as string;
    const tracer = trace.getTracer("app");
    await tracer.startActiveSpan("handle request", async (appSpan) => {
      await insights.getPnlSummary({ planId, interval: "FY" });
      appSpan.end();
    });

    const app = one("handle request");
    const operation = one("simcel getPnlSummary");
    const signIn = one("simcel signIn");
    expect(parentOf(operation)).toBe(app.spanContext().spanId);
    expect(parentOf(signIn)).toBe(operation.spanContext().spanId);
    expect(new Set([operation, signIn].map((s) => s.spanContext().traceId))).toEqual(
      new Set([app.spanContext().traceId]),
    );

    const host = new URL(sandbox.url);
    expect(operation.kind).toBe(SpanKind.CLIENT);
    expect(operation.instrumentationScope.name).toBe("@simcel/opentelemetry");
    expect(operation.attributes).toEqual({
      "simcel.operation": "getPnlSummary",
      "simcel.sdk.version": expect.stringMatching(/^\d+\.\d+\.\d+/),
      "simcel.request_id": expect.any(String),
      "http.request.method": "GET",
      "url.full": `${sandbox.url}/insights/v1/pnl-summary`,
      "server.address": host.hostname,
      "server.port": Number(host.port),
      "http.response.status_code": 200,
    });
    expect(operation.status.code).toBe(SpanStatusCode.UNSET);
    expect(signIn.kind).toBe(SpanKind.CLIENT);
    expect(signIn.attributes).toMatchObject({
      "simcel.operation": "signIn",
      "http.request.method": "POST",
      "url.full": `${sandbox.url}/auth/v1/token`,
      "http.response.status_code": 200,
    });
  });

  it("sends each request to SIMCEL with the traceparent of its own span", async () => {
    const { insights } = newClient();
    const before = sandbox.requests.length;
    await insights.listPlans();

    const seen = sandbox.requests.slice(before).map((r) => [r.path, r.headers.traceparent]);
    expect(seen).toEqual([
      ["/auth/v1/token", traceparentOf(one("simcel signIn"))],
      ["/insights/v1/plans", traceparentOf(one("simcel listPlans"))],
    ]);
  });

  it("records a retry as an event and the resend count, ending with the final status", async () => {
    const { insights } = newClient();
    await insights.listPlans(); // signed in: the next operation is one request, then its retry
    exporter.reset();
    sandbox.fail({ status: 503, retryAfterS: 0, operation: "getPnlSummary", times: 1 });
    await insights.getPnlSummary({ planId: sandbox.plans[0]?.id as string, interval: "FY" });

    const operation = one("simcel getPnlSummary");
    expect(operation.events.map((e) => [e.name, e.attributes])).toEqual([
      [
        "simcel.retry",
        {
          "simcel.retry.attempt": 1,
          "simcel.retry.delay_ms": 0,
          "http.response.status_code": 503,
          "error.type": expect.any(String),
        },
      ],
    ]);
    expect(operation.attributes).toMatchObject({ "http.request.resend_count": 1, "http.response.status_code": 200 });
    expect(operation.status.code).toBe(SpanStatusCode.UNSET);
  });

  it("marks a failed operation and a refused sign-in as errors, with error.type and no secret anywhere", async () => {
    const revoked = sandbox.createApiKey();
    sandbox.revokeApiKey(revoked);
    const { insights, apiKey } = newClient(revoked);
    await expect(insights.listPlans()).rejects.toThrow();
    const good = newClient();
    await expect(good.insights.getPnlSummary({ planId: "plan_does_not_exist" })).rejects.toThrow();

    const signIns = byName("simcel signIn");
    const refused = signIns.find((s) => s.status.code === SpanStatusCode.ERROR);
    expect(refused?.attributes).toMatchObject({ "http.response.status_code": 401, "error.type": expect.any(String) });
    const missing = one("simcel getPnlSummary");
    expect(missing.status.code).toBe(SpanStatusCode.ERROR);
    expect(missing.attributes).toMatchObject({ "http.response.status_code": 404, "error.type": expect.any(String) });

    const everything = JSON.stringify(
      exporter.getFinishedSpans().map((s) => [s.name, s.attributes, s.events, s.status, s.links]),
    );
    for (const secret of [apiKey, good.apiKey, ...sandbox.issuedTokens]) expect(everything).not.toContain(secret);
  });

  it("stops tracing when turned off: no span, and no traceparent sent", async () => {
    disable();
    const { insights } = newClient();
    const before = sandbox.requests.length;
    await insights.listPlans();

    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(sandbox.requests.slice(before).map((r) => r.headers.traceparent)).toEqual([undefined, undefined]);
  });

  it("leaves the slot to a later enable, and restores the earlier one when the later is turned off", async () => {
    const other = new InMemorySpanExporter();
    const disableOther = enableSimcelTracing({
      tracerProvider: new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(other)] }),
    });
    disable(); // the first one's off switch: the later enable keeps the slot
    await newClient().insights.listPlans();
    expect(other.getFinishedSpans().map((s) => s.name)).toEqual(["simcel signIn", "simcel listPlans"]);
    expect(exporter.getFinishedSpans()).toEqual([]);

    disableOther();
    await newClient().insights.listPlans();
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it("refuses options that are not an object or a provider without getTracer, saying what to pass", () => {
    expect(() => enableSimcelTracing("yes" as never)).toThrow(/options must be an object/);
    expect(() => enableSimcelTracing({ tracerProvider: {} as never })).toThrow(/TracerProvider \(getTracer\)/);
  });
});
