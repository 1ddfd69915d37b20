// TypeScript consumers of the packed tarballs (offline install, outside the workspace), strict:
// `node16` — tsc type-checks and compiles, Node runs the output; `bundler` — tsc type-checks, esbuild bundles
// (as a bundler-based app would), Node runs the bundle. Both sign in with an API key and read a P&L summary.
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, describe, expect, inject, it } from "vitest";
import {
  type Consumer,
  consumerApiKey,
  createConsumer,
  expectedCalls,
  mockPnl,
  programOutput,
  workspaceVersion,
} from "../consumer.js";

const baseUrl = inject("simcelBaseUrl");
const env = { SIMCEL_API_KEY: consumerApiKey, SIMCEL_BASE_URL: baseUrl };
const consumers: Consumer[] = [];
afterAll(() => {
  for (const c of consumers) c.remove();
});

function tsConsumer(fixture: string) {
  const consumer = createConsumer(fixture, inject("packed"), {
    packages: ["@simcel/auth", "@simcel/insights"],
    dependencies: { typescript: workspaceVersion("typescript"), "@types/node": workspaceVersion("@types/node") },
    fixture,
  });
  consumers.push(consumer);
  return consumer;
}

/** tsc of the consumer project; its diagnostics are the failure message. */
function typecheck(consumer: Consumer) {
  const tsc = consumer.run(process.execPath, [join(consumer.dir, "node_modules/typescript/bin/tsc"), "-p", "."]);
  expect(`${tsc.stdout}${tsc.stderr}`, "tsc reported errors").toBe("");
  expect(tsc.status).toBe(0);
  return tsc.ms;
}

describe("TypeScript consumers (tarballs, offline install, strict)", () => {
  it("node16: type-checks, compiles, runs: API key → token → P&L summary equal to the mock's", async () => {
    const consumer = tsConsumer("ts-node16");
    const tscMs = typecheck(consumer);
    const run = consumer.runOk(process.execPath, ["dist/main.js"], env);
    process.stderr.write(`[consumer ts-node16] install ${consumer.installMs} ms, tsc ${tscMs} ms, run ${run.ms} ms\n`);
    const out = programOutput(run);
    expect(out.calls).toEqual(expectedCalls);
    expect({ planId: out.planId, ebit: out.ebit }).toEqual(await mockPnl(baseUrl));
  });

  it("bundler: type-checks, bundles with esbuild, runs: API key → token → P&L summary equal to the mock's", async () => {
    const consumer = tsConsumer("ts-bundler");
    const tscMs = typecheck(consumer);
    const started = performance.now();
    await build({
      absWorkingDir: consumer.dir,
      entryPoints: ["main.ts"],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      outfile: "dist/main.mjs",
      logLevel: "silent",
    });
    const bundleMs = Math.round(performance.now() - started);
    const run = consumer.runOk(process.execPath, ["dist/main.mjs"], env);
    process.stderr.write(
      `[consumer ts-bundler] install ${consumer.installMs} ms, tsc ${tscMs} ms, esbuild ${bundleMs} ms, run ${run.ms} ms\n`,
    );
    const out = programOutput(run);
    expect(out.calls).toEqual(expectedCalls);
    expect({ planId: out.planId, ebit: out.ebit }).toEqual(await mockPnl(baseUrl));
  });
});
