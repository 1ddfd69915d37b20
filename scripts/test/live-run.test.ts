// The live mode of the contract suites, rehearsed: `SIMCEL_CONTRACT_BASE_URL` + credentials run the whole
// contract project (every suite: harness, spec, auth, insights, SDK, quickstart, tour, CLI, report in
// Chromium, MCP) against a server that is not the mock — here a sandbox answering as the spec says — and
// every test that needs the mock is skipped with its reason printed and in its name, while the others pass
// on the plan they found (the sandbox's, not the mock's `plan_9xKz2`). Needs the build.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../prism.mjs";
import { PLANTED_KEYS, type Planted, startPlanted } from "./planted.js";

const dir = mkdtempSync(join(tmpdir(), "simcel-live-run-"));
let planted: Planted;
beforeAll(async () => {
  planted = await startPlanted({ drifts: [] });
});
afterAll(async () => {
  await planted.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Assertion {
  title: string;
  fullName: string;
  status: "passed" | "failed" | "skipped" | "pending" | "todo";
}

describe("the contract suites against a live server", () => {
  it("pass on the plan they find; mock-only tests are skipped, each with its reason", async () => {
    const out = join(dir, "live.json");
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = spawn(
        resolve(repoRoot, "node_modules/.bin/vitest"),
        ["run", "--project", "contract", "--reporter=json", `--outputFile.json=${out}`],
        {
          cwd: repoRoot,
          env: {
            ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("SIMCEL_"))),
            SIMCEL_CONTRACT_BASE_URL: planted.url,
            SIMCEL_API_KEY: PLANTED_KEYS.full,
          },
          stdio: ["ignore", "ignore", "pipe"],
        },
      );
      let text = "";
      child.stderr.on("data", (chunk) => {
        text += chunk;
      });
      child.once("close", (exit) => done({ code: exit, stderr: text }));
    });
    const report = JSON.parse(readFileSync(out, "utf8")) as { testResults: { assertionResults: Assertion[] }[] };
    const results = report.testResults.flatMap((file) => file.assertionResults);
    const failed = results.filter((r) => r.status === "failed").map((r) => r.fullName);
    expect(failed, stderr.slice(-3000)).toEqual([]);
    // a file that fails to load, a hook or an unhandled error fails the run without failing a test: show why
    const broken = report.testResults
      .filter((file) => (file as { status?: string }).status === "failed")
      .map((file) => `${(file as { name?: string }).name}: ${(file as { message?: string }).message ?? ""}`);
    expect({ code, broken }, stderr.slice(-4000)).toEqual({ code: 0, broken: [] });
    expect(stderr).toContain(`[contract] LIVE run against ${planted.url} with SIMCEL_API_KEY`);

    const skipped = results.filter((r) => r.status !== "passed");
    // each skipped test (or its group) was printed with why: `[contract] skipped: <name> — <reason>`
    const printed = [...stderr.matchAll(/^\[contract\] skipped: (.+) — ((?:mock only|needs).+)$/gm)].map(
      ([, name, reason]) => ({ name: name as string, reason: reason as string }),
    );
    const reasons = new Set<string>();
    for (const test of skipped) {
      const said = printed.find((p) => test.fullName === p.name || test.fullName.includes(p.name));
      expect(said, test.fullName).toBeDefined();
      reasons.add((said as { reason: string }).reason);
    }
    expect([...reasons].sort()).toEqual([
      "mock only: a snapshot of the spec's example data",
      "mock only: fake keys, a static token and the mock's Prefer: code=401",
      "mock only: needs the mock's Prefer: code=401",
      "mock only: needs the mock's Prefer: code=401 to answer 401 on demand",
      "mock only: needs the mock's Prefer: code=401 to refuse a token on demand",
      "mock only: needs the mock's Prefer: code=403",
      "mock only: needs the mock's Prefer: code=403 (no key to hand lacks a scope)",
      "mock only: needs the mock's Prefer: code=404",
      "mock only: needs the mock's Prefer: code=404 (Prism answers any plan id)",
      "mock only: needs the mock's Prefer: code=429",
      "mock only: needs the mock's Prefer: code=NNN to answer each documented status",
      "mock only: the CLI's own token cache, counted through a plain-http proxy signing in with a fake key",
      "mock only: the budget is set for the mock's plan",
      "mock only: the figures of the spec's examples",
      "mock only: the page count of the mock's plan",
      "mock only: the spec's example generatedAt, a day before the fixed clock",
      "mock only: two fake keys as bearers",
      "needs SIMCEL_CLIENT_ID + SIMCEL_CLIENT_SECRET: this live run has another kind of credential",
    ]);
    if (process.env.SIMCEL_LIVE_RUN_LIST)
      process.stderr.write(`[live-run] skipped live:\n${skipped.map((t) => `  ${t.fullName}`).join("\n")}\n`);
    // the others ran, on the server's plan: the SDK's calls named it
    expect(results.filter((r) => r.status === "passed").length).toBeGreaterThan(60);
    expect(planted.requests).toContain("GET /insights/v1/pnl-summary");
    expect(planted.requests.filter((r) => r === "POST /auth/v1/token").length).toBeGreaterThan(0);
  }, 240_000);
});
