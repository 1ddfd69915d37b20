// simcel-mcp's traces: with OTEL_EXPORTER_OTLP_ENDPOINT set, the built server (over stdio) sends a span per tool call
// to an OTLP/HTTP receiver on loopback, with the SIMCEL SDK's spans (each API operation, the sign-in) as its
// children and their traceparent on the requests the sandbox records. Without the variable it loads no
// OpenTelemetry module at all: a module-resolution hook in the server process lists every module it loads.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../../packages/sandbox/src/index.js";
import { until } from "../../../scripts/test/rig.js";
import { callTool, connect, runProcess, serverPath } from "./helpers.js";

/** A span as OTLP/JSON carries it, attributes flattened. */
interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  status?: { code?: number };
  attributes: Record<string, unknown>;
  service: unknown;
}

const flatten = (attributes: { key: string; value: Record<string, unknown> }[] = []) =>
  Object.fromEntries(attributes.map(({ key, value }) => [key, Object.values(value)[0]]));

/** An OTLP/HTTP trace receiver on a free loopback port: it keeps every span posted to /v1/traces. */
async function startReceiver() {
  const spans: ReceivedSpan[] = [];
  const paths: string[] = [];
  const server: Server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => {
      paths.push(`${request.method} ${request.url} ${request.headers["content-type"]}`);
      for (const rs of JSON.parse(body).resourceSpans ?? []) {
        const service = flatten(rs.resource?.attributes)["service.name"];
        for (const ss of rs.scopeSpans ?? [])
          for (const span of ss.spans ?? []) spans.push({ ...span, attributes: flatten(span.attributes), service });
      }
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    paths,
    close: () => new Promise<void>((closed) => server.close(() => closed())),
  };
}

const KEY = "sk_test_FAKE_telemetry_00000000";
const hostTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
const hostSpanId = "00f067aa0ba902b7";
const hostTraceparent = `00-${hostTraceId}-${hostSpanId}-01`;
let sandbox: Sandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox({ record: true });
  sandbox.createApiKey({ key: KEY });
  receiver = await startReceiver();
  // every module the server process resolves, one URL a line (module hooks run on their own thread)
  dir = mkdtempSync(join(tmpdir(), "simcel-mcp-telemetry-"));
  writeFileSync(
    join(dir, "hooks.mjs"),
    `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.SIMCEL_TEST_MODULE_LOG, result.url + "\\n");
  return result;
}
`,
  );
  writeFileSync(
    join(dir, "register.mjs"),
    `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(join(dir, "hooks.mjs")).href)});\n`,
  );
});
afterAll(async () => {
  await receiver?.close();
  await sandbox?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs the built server over stdio with `env`, makes `calls`, closes it; the modules it loaded. */
async function serve(
  name: string,
  env: Record<string, string>,
  calls: [string, Record<string, unknown>, Record<string, unknown>?][],
) {
  const log = join(dir, `${name}.modules`);
  writeFileSync(log, "");
  const c = await connect({
    SIMCEL_API_KEY: KEY,
    SIMCEL_BASE_URL: sandbox.url,
    NODE_OPTIONS: `--import=${pathToFileURL(join(dir, "register.mjs")).href}`,
    SIMCEL_TEST_MODULE_LOG: log,
    ...env,
  });
  const results = [];
  for (const [tool, args, _meta] of calls)
    results.push(await (_meta ? c.client.callTool({ name: tool, arguments: args, _meta }) : callTool(c, tool, args)));
  await c.close();
  return { results, modules: readFileSync(log, "utf8").split("\n").filter(Boolean) };
}

describe("simcel-mcp traces", () => {
  it("sends a span per tool call over OTLP/HTTP, with the SDK's spans as its children", async () => {
    const planId = sandbox.plans[0]?.id as string;
    const before = sandbox.requests.length;
    const { results, modules } = await serve("traced", { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }, [
      ["list_plans", {}],
      ["get_pnl_summary", { planId, interval: "FY" }],
      ["get_pnl_summary", { planId: "plan_not_there" }],
      ["list_plans", {}, { traceparent: hostTraceparent }],
    ]);
    expect(results.map((r) => r.isError ?? false)).toEqual([false, false, true, false]);
    // the server flushes its spans as it shuts down
    await until(() => receiver.spans.filter((s) => s.name.startsWith("tools/call")).length >= 4);
    expect(modules.some((url) => url.includes("/@opentelemetry/exporter-trace-otlp-http/"))).toBe(true);
    expect(new Set(receiver.paths)).toEqual(new Set(["POST /v1/traces application/json"]));

    const spans = receiver.spans;
    const tools = spans.filter((s) => s.name.startsWith("tools/call"));
    expect(tools.map((s) => s.name)).toEqual([
      "tools/call list_plans",
      "tools/call get_pnl_summary",
      "tools/call get_pnl_summary",
      "tools/call list_plans",
    ]);
    // a call whose _meta carries the host's traceparent continues the host's trace
    const continued = tools.pop() as ReceivedSpan;
    expect([continued.traceId, continued.parentSpanId]).toEqual([hostTraceId, hostSpanId]);
    for (const span of tools) {
      expect(span.kind).toBe(2); // SERVER
      expect(span.parentSpanId ?? "").toBe(""); // a root: no trace came with the call
      expect(span.service).toBe("simcel-mcp");
      expect(span.attributes).toMatchObject({
        "mcp.method.name": "tools/call",
        "gen_ai.tool.name": expect.any(String),
      });
    }
    const [list, read, missing] = tools as [ReceivedSpan, ReceivedSpan, ReceivedSpan];
    expect(missing.status?.code).toBe(2); // ERROR
    expect(missing.attributes["error.type"]).toEqual(expect.any(String));

    const childrenOf = (parent: ReceivedSpan) =>
      spans.filter((s) => s.parentSpanId === parent.spanId && s.traceId === parent.traceId).map((s) => s.name);
    expect(childrenOf(list)).toEqual(["simcel listPlans"]);
    expect(childrenOf(continued)).toEqual(["simcel listPlans"]);
    expect(childrenOf(read)).toEqual(["simcel getPnlSummary"]);
    expect(childrenOf(missing)).toEqual(["simcel getPnlSummary"]);
    const listPlans = spans.find(
      (s) => s.name === "simcel listPlans" && s.parentSpanId === list.spanId,
    ) as ReceivedSpan;
    expect(childrenOf(listPlans)).toEqual(["simcel signIn"]);

    // the sandbox received each request with the traceparent of the SDK's span for it
    const traceparents = sandbox.requests.slice(before).map((r) => r.headers.traceparent);
    const sdkSpans = spans.filter((s) => s.name.startsWith("simcel "));
    expect(traceparents).toHaveLength(sdkSpans.length);
    for (const value of traceparents) {
      const [, traceId, spanId] = String(value).split("-");
      expect(sdkSpans.some((s) => s.traceId === traceId && s.spanId === spanId)).toBe(true);
    }
    expect(JSON.stringify(spans)).not.toContain(KEY);
    for (const token of sandbox.issuedTokens) expect(JSON.stringify(spans)).not.toContain(token);
  });

  it("refuses to start with an endpoint that is not an http(s) URL, naming the variable and not echoing it", async () => {
    const value = "collector.internal:4318?token=FAKE_otlp_secret";
    const run = await runProcess(process.execPath, [serverPath], {
      PATH: process.env.PATH ?? "",
      OTEL_EXPORTER_OTLP_ENDPOINT: value,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "simcel-mcp: OTEL_EXPORTER_OTLP_ENDPOINT must be the http:// or https:// URL of an OTLP/HTTP collector",
    );
    expect(run.output).not.toContain("FAKE_otlp_secret");
  });

  it("loads no OpenTelemetry module without OTEL_EXPORTER_OTLP_ENDPOINT", async () => {
    const spansBefore = receiver.spans.length;
    const before = sandbox.requests.length;
    const { results, modules } = await serve("untraced", {}, [["list_plans", {}]]);
    expect(results[0]?.isError ?? false).toBe(false);
    // the hook saw the server's modules, and none of them was OpenTelemetry's
    expect(modules.some((url) => url.includes("/@modelcontextprotocol/sdk/"))).toBe(true);
    expect(modules.filter((url) => url.includes("opentelemetry"))).toEqual([]);
    expect(sandbox.requests.slice(before).map((r) => r.headers.traceparent)).toEqual([undefined, undefined]);
    expect(receiver.spans.length).toBe(spansBefore);
  });
});
