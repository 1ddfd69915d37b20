// `pnpm contract:proxy` against the planted SIMCEL whose answers differ from the spec in exactly three
// ways — an extra field, a field only our spec requires (by inference) left out, a documented field of
// the wrong type: Prism, proxying and validating, reports exactly those, and nothing for a SIMCEL that
// answers as the spec says. The answers themselves pass through unchanged.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type ContractViolation, startContractProxy } from "../contract-proxy.mjs";
import { repoRoot } from "../prism.mjs";
import { PLANTED_KEYS, PROXY_REALITY, startPlantedServer } from "./planted-server.js";

const dir = mkdtempSync(join(tmpdir(), "simcel-contract-proxy-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = resolve(repoRoot, "packages/cli/dist/cli.js");

/** The planted differences, as the report must list them. */
const PLANTED = [
  { operation: "listPlans", pointer: "/plans/0/owner", code: "additionalProperties", inferred: false, count: 1 },
  {
    operation: "getDemandForecast",
    pointer: "/scenarios/0/series/0/fillRate",
    code: "type",
    inferred: false,
    count: 4,
  },
  {
    operation: "getSustainability",
    pointer: "/scenarios/0/summary/totalCO2",
    code: "required",
    inferred: true,
    count: 2,
  },
];
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
    const planted = await startPlantedServer({ deviations: PROXY_REALITY });
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
    const planted = await startPlantedServer({ deviations: [] });
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
    const planted = await startPlantedServer({ deviations: PROXY_REALITY });
    const out = join(dir, "violations.json");
    try {
      const r = await runNode(
        ["scripts/contract-proxy.mjs", `--report=${out}`, "--", process.execPath, cli, "doctor"],
        { SIMCEL_CONTRACT_BASE_URL: planted.url, SIMCEL_API_KEY: PLANTED_KEYS.full },
      );
      // the workload's exit code (the doctor found a problem), and the report's summary line
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/contract:proxy: 5 answers, 7 violations \(3 distinct\) → /);
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
