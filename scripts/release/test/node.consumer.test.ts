// Node consumers of the packed tarballs, installed offline in a fresh project outside the workspace:
// an ESM program and a CommonJS program each sign in with an API key and read a P&L summary from the mock;
// a third imports and requires the libraries in one process (the dual-package hazard).
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Consumer, consumerApiKey, createConsumer, expectedCalls, mockPnl, programOutput } from "../consumer.js";

const baseUrl = inject("simcelBaseUrl");
const env = { SIMCEL_API_KEY: consumerApiKey, SIMCEL_BASE_URL: baseUrl };
let consumer: Consumer;

beforeAll(() => {
  consumer = createConsumer("node", inject("packed"), {
    packages: ["@simcel/auth", "@simcel/insights"],
    fixture: "node",
  });
  process.stderr.write(`[consumer node] offline install of auth + insights: ${consumer.installMs} ms\n`);
});
afterAll(() => consumer?.remove());

describe("Node consumer (tarballs, offline install)", () => {
  it.each([
    ["ESM", "esm.mjs"],
    ["CommonJS", "cjs.cjs"],
  ])("%s: API key → token → P&L summary equal to the mock's", async (label, file) => {
    const run = consumer.runOk(process.execPath, [file], env);
    process.stderr.write(`[consumer node] ${label} program ran in ${run.ms} ms\n`);
    const out = programOutput(run);
    expect(out.calls).toEqual(expectedCalls);
    expect({ planId: out.planId, ebit: out.ebit }).toEqual(await mockPnl(baseUrl));
    expect(out.ebit.length).toBeGreaterThan(0);
  });

  it("resolves openapi-fetch once, from the project (a peer, not a nested copy)", () => {
    const run = consumer.runOk(process.execPath, [
      "--input-type=module",
      "-e",
      `import { createRequire } from "node:module";
       const r = (from) => createRequire(import.meta.resolve(from)).resolve("openapi-fetch");
       console.log(JSON.stringify([r("@simcel/auth"), r("@simcel/insights")]));`,
    ]);
    const [fromAuth, fromInsights] = JSON.parse(run.stdout) as string[];
    expect(fromAuth).toBe(fromInsights);
  });

  // The error classes carry cross-copy brands (Symbol.for), so instanceof holds between the two copies, and between
  // the two libraries for their shared root, SimcelError.
  it("ESM + CommonJS in one process: errors of one copy are instanceof the other's classes", () => {
    const run = consumer.runOk(process.execPath, ["dual.mjs"], env);
    const out = JSON.parse(run.stdout.trim()) as { twoCopies: boolean; checks: Record<string, boolean> };
    expect(out.twoCopies).toBe(true); // the hazard is real: two copies were loaded
    expect(out.checks).toEqual(Object.fromEntries(Object.keys(out.checks).map((k) => [k, true])));
  });
});
