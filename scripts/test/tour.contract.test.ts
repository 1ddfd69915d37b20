// The README's main job end to end: `pnpm start` builds, starts a SIMCEL sandbox (seed 1) in the tour's process,
// runs the tour with the built CLI on the sandbox's data, and stops the sandbox — exit 0, the tour printed with
// the sandbox's plans and months, no age over a week, a report with 24 months of charts, no port left behind.
// Also: Ctrl-C (SIGINT) stops the sandbox, and with credentials set the tour never starts one (it then tours the
// server under test — the mock of the contract run, or a live SIMCEL — on the plan it finds first).
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKeyCredential, createAuthMiddleware } from "../../packages/auth/src/index.js";
import { createInsightsClient } from "../../packages/insights/src/index.js";
import { startSandbox } from "../../packages/sandbox/src/index.js";
import { repoRoot } from "../prism.mjs";
import { baseUrl, credentialEnv, discoverPlan } from "./contract-env.js";

const STEPS = [
  "1/6  Sign in and see who you are",
  "2/6  Plans, their scenarios and flags",
  "3/6  P&L summary of up to three scenarios of the first plan",
  "4/6  Comparison against the committed scenario",
  "5/6  Monthly demand forecast",
  "6/6  A one-file HTML report: EBIT bridge, P&L comparison, monthly demand, CO2",
];

// The tour writes its report here instead of reports/, so a test run leaves nothing behind; and with credentials set,
// the CLI keeps its token in this cache home instead of the machine's (~/.cache/simcel).
const reportDir = mkdtempSync(join(tmpdir(), "simcel-tour-report-"));
const cacheHome = mkdtempSync(join(tmpdir(), "simcel-tour-cache-home-"));
afterAll(() => {
  rmSync(reportDir, { recursive: true, force: true });
  rmSync(cacheHome, { recursive: true, force: true });
});

/** The environment of a newcomer without SIMCEL credentials. */
function cleanEnv(extra: Record<string, string> = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("SIMCEL_")));
  return {
    ...env,
    TURBO_TELEMETRY_DISABLED: "1",
    DO_NOT_TRACK: "1",
    SIMCEL_TOUR_REPORT_DIR: reportDir,
    XDG_CACHE_HOME: cacheHome,
    ...extra,
  } as NodeJS.ProcessEnv;
}

/**
 * What the tour must show, read from a sandbox of the same seed through the SDK: its first plan, the tour's three
 * scenarios (committed first), and the committed scenario's first month of demand.
 */
let oracle: {
  id: string;
  name: string;
  currency: string;
  scenarioIds: string[];
  committed: { id: string; name: string };
  firstMonth: { period: string; volume: number };
};
beforeAll(async () => {
  const sandbox = await startSandbox({ seed: 1 });
  const auth = createAuthMiddleware({
    credential: createApiKeyCredential({ apiKey: sandbox.createApiKey(), baseUrl: sandbox.url }),
  });
  try {
    const plan = (await createInsightsClient({ middleware: [auth] }).listPlans()).plans[0]!;
    const committed = plan.scenarios.find((s) => s.flags.includes("committed"))!;
    const scenarioIds = [committed.id, ...plan.scenarios.filter((s) => s !== committed).map((s) => s.id)].slice(0, 3);
    const demand = await createInsightsClient({ middleware: [auth] }).getDemandForecast({
      planId: plan.id,
      scenarioIds: [committed.id],
      interval: "M",
    });
    const first = demand.scenarios[0]!.series[0]!;
    oracle = {
      id: plan.id,
      name: plan.name,
      currency: plan.currency,
      scenarioIds,
      committed: { id: committed.id, name: committed.name },
      firstMonth: { period: first.period, volume: first.demandVolume },
    };
  } finally {
    await auth.close();
    await sandbox.close();
  }
});
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The report the tour says it wrote: in the report folder, an HTML page of the plan (the sandbox's first by default). */
function reportOf(stdout: string, plan: { id: string; name: string } = oracle) {
  const path = /The report is (\S+)\n/.exec(stdout)?.[1];
  expect(path, stdout).toBeDefined();
  expect(dirname(path!)).toBe(reportDir);
  expect(basename(path!)).toBe(`simcel-${plan.id.replace(/[^A-Za-z0-9_-]/g, "_")}-${basename(path!).slice(-15)}`);
  expect(basename(path!)).toMatch(/-\d{4}-\d\d-\d\d\.html$/);
  const html = readFileSync(path!, "utf8");
  expect(html).toContain(
    `<title>${plan.name.replace(/&/g, "&amp;").replace(/</g, "&lt;")} — SIMCEL scenario report</title>`,
  );
  return path!;
}

/** `pnpm start`: pnpm from PATH, else the pnpm running this test (npm_execpath), else npx with the pinned pnpm. */
function pnpmStart(): [string, string[]] {
  if (spawnSync("pnpm", ["--version"], { stdio: "ignore" }).status === 0) return ["pnpm", ["start"]];
  const execpath = process.env.npm_execpath;
  if (execpath && /pnpm/.test(execpath))
    return /\.[cm]?js$/.test(execpath) ? [process.execPath, [execpath, "start"]] : [execpath, ["start"]];
  const pinned = JSON.parse(readFileSync(resolve(repoRoot, "package.json"), "utf8")).packageManager;
  return ["npx", ["-y", pinned, "start"]];
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function collect(child: ChildProcess, onOutput?: (run: Run) => void): Promise<Run> {
  const run: Run = { code: null, signal: null, stdout: "", stderr: "" };
  child.stdout?.on("data", (c) => {
    run.stdout += c;
    onOutput?.(run);
  });
  child.stderr?.on("data", (c) => {
    run.stderr += c;
    onOutput?.(run);
  });
  return new Promise((done) =>
    child.once("close", (code, signal) => {
      run.code = code;
      run.signal = signal;
      done(run);
    }),
  );
}

/** The sandbox's URL and port, from the tour's stderr notice. */
function sandboxOf(stderr: string) {
  const match =
    /so this tour uses the SIMCEL SANDBOX \(@simcel\/sandbox\) at (http:\/\/127\.0\.0\.1:(\d+)): plans and figures invented from seed 1,/.exec(
      stderr,
    );
  expect(match, stderr).not.toBeNull();
  return { url: match![1]!, port: Number(match![2]) };
}

/** Resolves true when something accepts a TCP connection on the loopback port. */
const listening = (port: number) =>
  new Promise<boolean>((done) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      done(true);
    });
    socket.once("error", () => done(false));
  });

describe("pnpm start (the guided tour)", () => {
  it("runs the whole tour on the sandbox, exits 0 and leaves no port behind", async () => {
    const [command, args] = pnpmStart();
    const run = await collect(
      spawn(command, args, { cwd: repoRoot, env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] }),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("so this tour uses the SIMCEL SANDBOX");
    for (const step of STEPS) expect(run.stdout).toContain(`━━ ${step}`);
    expect(run.stdout).toMatch(/Scopes\s+insights:read plans:read/);
    const { id, name, currency, scenarioIds, committed, firstMonth } = oracle;
    expect(run.stdout).toMatch(new RegExp(`${id}\\s+${literal(name)}\\s+${currency}\\s+${committed.id}`));
    expect(run.stdout).toContain(`$ simcel pnl --plan ${id} --scenarios ${scenarioIds.join(",")}`);
    expect(run.stdout).toContain(`Scenario comparison (base: ${committed.name}, ${committed.id})`);
    // realistic months: the committed plan's first month, as the API gives it
    expect(run.stdout).toMatch(
      new RegExp(
        `${literal(committed.name)}\\s+${firstMonth.period}\\s+${firstMonth.volume.toLocaleString("en-US")}\\s`,
      ),
    );
    expect(run.stdout).toContain(
      `$ simcel report --plan ${id} --scenarios ${scenarioIds.join(",")} --out ${reportDir}`,
    );
    expect(run.stderr).toMatch(/simcel report: wrote \S+ \(\d+\.\d KiB, 7 charts; /);
    // the sandbox's plans look current: every age the tour shows ("generated … (26 h ago)") is at most a week
    const ages = [...run.stdout.matchAll(/\((\d+) (min|h|days) ago\)/g)].map(
      ([, n, unit]) => Number(n) * (unit === "days" ? 24 * 60 : unit === "h" ? 60 : 1),
    );
    expect(ages.length, run.stdout).toBeGreaterThan(0);
    expect(Math.max(...ages), run.stdout).toBeLessThanOrEqual(7 * 24 * 60);
    // a report of 24 months: the monthly demand table has a row per month
    const html = readFileSync(reportOf(run.stdout), "utf8");
    const months = new Set(html.match(/\b20\d\d-(0[1-9]|1[0-2])\b/g));
    expect(months.size).toBeGreaterThanOrEqual(24);
    expect(run.stdout).toContain("Tour done.");
    const sandbox = sandboxOf(run.stderr);
    // the CLI was pointed at SIMCEL's shape of base URL, …/api, and every step ran on it
    expect(run.stdout).toMatch(new RegExp(`Base URL\\s+${literal(sandbox.url)}/api\n`));
    expect(run.stderr).toContain(`stopped the sandbox at ${sandbox.url}`);
    expect(await listening(sandbox.port)).toBe(false);
  }, 180_000);

  it("stops the sandbox on Ctrl-C (SIGINT) and exits 130", async () => {
    const child = spawn(process.execPath, ["scripts/tour.mjs"], {
      cwd: repoRoot,
      env: cleanEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let sent = false;
    const run = await collect(child, (r) => {
      if (!sent && r.stdout.includes("━━ 1/6")) {
        sent = true;
        child.kill("SIGINT");
      }
    });
    expect(sent, run.stderr).toBe(true);
    expect(run.code).toBe(130);
    expect(run.stdout).not.toContain("Tour done.");
    const sandbox = sandboxOf(run.stderr);
    expect(run.stderr).toContain(`stopped the sandbox at ${sandbox.url}`);
    expect(await listening(sandbox.port)).toBe(false);
  }, 60_000);

  it("with credentials set, tours SIMCEL_BASE_URL and never starts the sandbox", async () => {
    const plan = await discoverPlan();
    const child = spawn(process.execPath, ["scripts/tour.mjs"], {
      cwd: repoRoot,
      env: cleanEnv(credentialEnv("sk_test_FAKE_do_not_use")),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const run = await collect(child);
    expect(run.code, run.stderr).toBe(0);
    // the report's own lines: what it wrote, and CO2 "not available yet" where the endpoint is not there (live)
    expect(run.stderr).toMatch(
      new RegExp(
        `^simcel tour: using your SIMCEL credentials against ${baseUrl.replace(/[.]/g, "\\.")}\n(simcel report: CO2: not available yet [^\n]*\n)?simcel report: wrote \\S+ \\([^)]*\\)\n$`,
      ),
    );
    reportOf(run.stdout, plan);
    expect(run.stdout).toMatch(new RegExp(`Base URL\\s+${baseUrl.replace(/[.]/g, "\\.")}`));
    expect(run.stdout).toContain("Tour done.");
  }, 60_000);

  it("with a broken credential set, fails with the CLI's line instead of falling back to the sandbox", async () => {
    const child = spawn(process.execPath, ["scripts/tour.mjs"], {
      cwd: repoRoot,
      env: cleanEnv({ SIMCEL_CLIENT_ID: "cli_only_id" }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const run = await collect(child);
    // a credential that cannot work is an authentication failure: exit 4
    expect(run.code).toBe(4);
    expect(run.stderr).not.toContain("SANDBOX");
    expect(run.stderr).toContain("SIMCEL_CLIENT_ID is set: set SIMCEL_CLIENT_SECRET too");
    expect(run.stderr).toContain("simcel tour: step 1 (simcel token) failed with exit 4");
  }, 60_000);
});
