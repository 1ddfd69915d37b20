// The README's main job end to end: `pnpm start` builds, starts the Prism mock, runs the tour with the
// built CLI, and stops the mock — exit 0, the tour printed, no process or port left behind. Also:
// Ctrl-C (SIGINT) stops the mock, and with credentials set the tour never starts one (it then tours the
// server under test — the mock of the contract run, or a live SIMCEL — on the plan it finds first).
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
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

/** The report the tour says it wrote: in the report folder, an HTML page of the plan (the mock's first by default). */
function reportOf(stdout: string, plan = { id: "plan_9xKz2", name: "FY2025 Annual Plan" }) {
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

/** The mock's pid and port, from the tour's stderr notice. */
function mockOf(stderr: string) {
  const match =
    /BUILT-IN MOCK of the SIMCEL API: Prism serving spec\/openapi\.yaml at http:\/\/127\.0\.0\.1:(\d+) \(pid (\d+)\)/.exec(
      stderr,
    );
  expect(match, stderr).not.toBeNull();
  return { port: Number(match![1]), pid: Number(match![2]) };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

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
  it("runs the whole tour on the built-in mock, exits 0 and leaves no process or port behind", async () => {
    const [command, args] = pnpmStart();
    const run = await collect(
      spawn(command, args, { cwd: repoRoot, env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] }),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("so this tour uses the BUILT-IN MOCK of the SIMCEL API");
    for (const step of STEPS) expect(run.stdout).toContain(`━━ ${step}`);
    expect(run.stdout).toMatch(/Scopes\s+insights:read plans:read/);
    expect(run.stdout).toMatch(/plan_9xKz2\s+FY2025 Annual Plan\s+USD\s+scen_abc/);
    expect(run.stdout).toContain("$ simcel pnl --plan plan_9xKz2 --scenarios scen_abc,scen_px3,scen_act");
    expect(run.stdout).toMatch(/Scenario comparison \(base: Committed, scen_abc\)/);
    expect(run.stdout).toMatch(/Committed\s+2025-01\s+185,000/);
    expect(run.stdout).toContain(
      `$ simcel report --plan plan_9xKz2 --scenarios scen_abc,scen_px3,scen_act --out ${reportDir}`,
    );
    expect(run.stderr).toMatch(/simcel report: wrote \S+ \(\d+\.\d KiB, 7 charts; /);
    reportOf(run.stdout);
    expect(run.stdout).toContain("Tour done.");
    const mock = mockOf(run.stderr);
    expect(run.stderr).toContain(`stopped the mock (pid ${mock.pid})`);
    expect(alive(mock.pid)).toBe(false);
    expect(await listening(mock.port)).toBe(false);
  }, 180_000);

  it("stops the mock on Ctrl-C (SIGINT) and exits 130", async () => {
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
    const mock = mockOf(run.stderr);
    expect(run.stderr).toContain(`stopped the mock (pid ${mock.pid})`);
    expect(alive(mock.pid)).toBe(false);
    expect(await listening(mock.port)).toBe(false);
  }, 60_000);

  it("with credentials set, tours SIMCEL_BASE_URL and never starts the mock", async () => {
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

  it("with a broken credential set, fails with the CLI's line instead of falling back to the mock", async () => {
    const child = spawn(process.execPath, ["scripts/tour.mjs"], {
      cwd: repoRoot,
      env: cleanEnv({ SIMCEL_CLIENT_ID: "cli_only_id" }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const run = await collect(child);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain("MOCK");
    expect(run.stderr).toContain("SIMCEL_CLIENT_ID is set: set SIMCEL_CLIENT_SECRET too");
    expect(run.stderr).toContain("simcel tour: step 1 (simcel token) failed with exit 2");
  }, 60_000);
});
