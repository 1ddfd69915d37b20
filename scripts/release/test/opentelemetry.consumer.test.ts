// @simcel/opentelemetry as a service installs it: the packed tarballs of it and both libraries, beside
// @opentelemetry/api 1.9 and the OpenTelemetry SDK 2, installed offline into a fresh project. A CommonJS program
// enables tracing from the CJS build and uses the libraries' ESM builds against a sandbox on loopback: the spans
// nest, and each request the sandbox records carries the traceparent of its span.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Sandbox, startSandbox } from "../../../packages/sandbox/src/index.js";
import { repoRoot } from "../../prism.mjs";
import { type Consumer, createConsumer } from "../consumer.js";

/** The version the package is developed and tested against (its devDependency), so the store holds it. */
const devVersion = (name: string): string =>
  JSON.parse(readFileSync(resolve(repoRoot, "packages/opentelemetry/node_modules", name, "package.json"), "utf8"))
    .version;

let consumer: Consumer | undefined;
let sandbox: Sandbox | undefined;
beforeAll(async () => {
  sandbox = await startSandbox({ record: true });
});
afterAll(async () => {
  consumer?.remove();
  await sandbox?.close();
});

describe("@simcel/opentelemetry from its packed tarball", () => {
  it("traces the libraries' calls in a CommonJS service, across module formats, with traceparent sent", async () => {
    const sim = sandbox as Sandbox;
    consumer = createConsumer("opentelemetry", inject("packed"), {
      packages: ["@simcel/opentelemetry", "@simcel/auth", "@simcel/insights"],
      dependencies: Object.fromEntries(
        [
          "@opentelemetry/api",
          "@opentelemetry/context-async-hooks",
          "@opentelemetry/core",
          "@opentelemetry/sdk-trace-base",
        ].map((name) => [name, devVersion(name)]),
      ),
      fixture: "opentelemetry",
    });
    const apiKey = sim.createApiKey();
    const run = await consumer.runAsync(process.execPath, ["traced.cjs"], {
      SIMCEL_API_KEY: apiKey,
      SIMCEL_BASE_URL: sim.url,
      SIMCEL_CLIENT_ID: "",
      SIMCEL_CLIENT_SECRET: "",
      SIMCEL_TOKEN: "",
    });
    expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
    const spans = JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "") as {
      name: string;
      traceId: string;
      spanId: string;
      parentSpanId?: string;
      attributes: Record<string, unknown>;
    }[];

    expect(spans.map((s) => s.name)).toEqual(["simcel signIn", "simcel listPlans"]);
    const [signIn, listPlans] = spans as [(typeof spans)[0], (typeof spans)[0]];
    expect(signIn.parentSpanId).toBe(listPlans.spanId);
    expect(listPlans.attributes).toMatchObject({
      "simcel.operation": "listPlans",
      "http.request.method": "GET",
      "url.full": `${sim.url}/insights/v1/plans`,
      "http.response.status_code": 200,
    });
    expect(sim.requests.map((r) => [r.path, r.headers.traceparent])).toEqual([
      ["/auth/v1/token", `00-${signIn.traceId}-${signIn.spanId}-01`],
      ["/insights/v1/plans", `00-${listPlans.traceId}-${listPlans.spanId}-01`],
    ]);
    expect(`${run.stdout}${run.stderr}`).not.toContain(apiKey);
    process.stderr.write(`[consumer opentelemetry] install ${consumer.installMs} ms, run ${run.ms} ms\n`);
  });
});
