// `pnpm contract:proxy` against the planted SIMCEL (a sandbox) whose answers differ from the spec in exactly
// three ways — an extra field, a field only our spec requires (by inference) left out, a documented field of
// the wrong type: Prism, proxying and validating, reports exactly those, and nothing for a SIMCEL that
// answers as the spec says. The answers themselves pass through unchanged.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKeyCredential, createAuthMiddleware } from "../../packages/auth/src/index.js";
import { createInsightsClient } from "../../packages/insights/src/index.js";
import { type ContractViolation, startContractProxy } from "../contract-proxy.mjs";
import { repoRoot } from "../prism.mjs";
import { PLANTED_KEYS, PROXY_REALITY, startPlanted } from "./planted.js";

const dir = mkdtempSync(join(tmpdir(), "simcel-contract-proxy-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = resolve(repoRoot, "packages/cli/dist/cli.js");

/**
 * The planted differences, as the report must list them: each violation once per row it is in, so the counts
 * are the sizes of the sandbox's own answers to the doctor's calls (every plan listed; the first plan's
 * demand, its first scenario by month; its CO2, a summary per scenario), read from a sandbox of the same seed.
 */
let PLANTED: { operation: string; pointer: string; code: string; inferred: boolean; count: number }[];
beforeAll(async () => {
  const clean = await startPlanted({ drifts: [] });
  const auth = createAuthMiddleware({
    credential: createApiKeyCredential({ apiKey: PLANTED_KEYS.full, baseUrl: clean.url }),
  });
  const insights = createInsightsClient({ middleware: [auth] });
  const demand = await insights.getDemandForecast({ planId: clean.planId });
  const co2 = await insights.getSustainability({ planId: clean.planId });
  await auth.close();
  await clean.close();
  PLANTED = [
    {
      operation: "listPlans",
      pointer: "/plans/0/owner",
      code: "additionalProperties",
      inferred: false,
      count: clean.sandbox.plans.length,
    },
    {
      operation: "getDemandForecast",
      pointer: "/scenarios/0/series/0/fillRate",
      code: "type",
      inferred: false,
      count: demand.scenarios[0]!.series.length,
    },
    {
      operation: "getSustainability",
      pointer: "/scenarios/0/summary/totalCO2",
      code: "required",
      inferred: true,
      count: co2.scenarios.length,
    },
  ];
});
const summary = (violations: ContractViolation[]) =>
  violations.map(({ operation, pointer, code, inferred, count }) => ({ operation, pointer, code, inferred, count }));

/** Runs `simcel doctor --json` (the built CLI) with `env`; resolves to its exit code and stdout. */
function runNode(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(
      process.execPath,
      args,
      // SIMCEL_TOKEN_CACHE=off: without HOME in its environment the CLI would keep its token under the passwd
      // entry's home (the machine's real one); a test never writes there
      { cwd: repoRoot, env: { PATH: process.env.PATH ?? "", SIMCEL_TOKEN_CACHE: "off", ...env }, timeout: 60_000 },
      (error, stdout, stderr) =>
        done({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe("Prism as a validating proxy in front of the planted SIMCEL", () => {
  it("is built (run the build first: pnpm build)", () => {
    expect(existsSync(cli)).toBe(true);
  });

  it("reports exactly the three planted violations, and the answers reach the client unchanged", async () => {
    const planted = await startPlanted({ drifts: PROXY_REALITY });
    const proxy = await startContractProxy({ upstream: planted.url });
    try {
      const r = await runNode([cli, "doctor", "--json"], {
        SIMCEL_API_KEY: PLANTED_KEYS.full,
        SIMCEL_BASE_URL: proxy.url,
      });
      // the doctor saw the server's own answers through Prism: the documented type broke the SDK's call
      expect(r.code, r.stderr).toBe(1);
      const report = JSON.parse(r.stdout);
      expect(report.operations.map((o: { status: number }) => o.status)).toEqual([200, 200, 200, 200]);
      expect(report.spec.map((d: { pointer: string }) => d.pointer)).toEqual([
        "/scenarios/0/series/0/fillRate",
        "/plans/0/owner",
        "/scenarios/0/summary/totalCO2",
      ]);
      expect(summary(proxy.violations())).toEqual(PLANTED);
      // the sign-in and each read operation went through the proxy
      expect(planted.requests).toEqual([
        "POST /auth/v1/token",
        "GET /insights/v1/plans",
        "GET /insights/v1/pnl-summary",
        "GET /insights/v1/demand-forecast",
        "GET /insights/v1/sustainability",
      ]);
    } finally {
      await proxy.stop();
      await planted.close();
    }
  }, 90_000);

  it("reports nothing for a SIMCEL that answers as the spec says", async () => {
    const planted = await startPlanted({ drifts: [] });
    const proxy = await startContractProxy({ upstream: planted.url });
    try {
      const r = await runNode([cli, "doctor", "--json"], {
        SIMCEL_API_KEY: PLANTED_KEYS.full,
        SIMCEL_BASE_URL: proxy.url,
      });
      expect(r.code, r.stdout).toBe(0);
      expect(proxy.violations()).toEqual([]);
      expect(proxy.exchanges()).toBe(5);
    } finally {
      await proxy.stop();
      await planted.close();
    }
  }, 90_000);

  it("pnpm contract:proxy -- <workload>: runs it through the proxy and writes reports/contract-violations.json", async () => {
    const planted = await startPlanted({ drifts: PROXY_REALITY });
    const out = join(dir, "violations.json");
    try {
      const r = await runNode(
        ["scripts/contract-proxy.mjs", `--report=${out}`, "--", process.execPath, cli, "doctor"],
        { SIMCEL_CONTRACT_BASE_URL: planted.url, SIMCEL_API_KEY: PLANTED_KEYS.full },
      );
      // the workload's exit code (the doctor found a problem), and the report's summary line
      expect(r.code).toBe(1);
      const total = PLANTED.reduce((n, v) => n + v.count, 0);
      expect(r.stderr).toContain(`contract:proxy: 5 answers, ${total} violations (3 distinct) → `);
      const report = JSON.parse(readFileSync(out, "utf8"));
      expect(report).toMatchObject({ upstream: planted.url, exitCode: 1, answers: 5, upstreamNotImplemented: [] });
      expect(summary(report.violations)).toEqual(PLANTED);
      expect(readFileSync(out, "utf8")).not.toContain("FAKE");
    } finally {
      await planted.close();
    }
  }, 90_000);

  it("without a server to check or credentials, says what to set and exits 2", async () => {
    const r = await runNode(["scripts/contract-proxy.mjs"], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^contract:proxy: set SIMCEL_CONTRACT_BASE_URL to the server to check/);
  });
});
