#!/usr/bin/env node
// `pnpm test`: everything CI checks, then one plain line `N passed, N failed`.
//
// First the quick checks (generate --check, spec lint, spec changesets, engines), then the build; then, at once,
// since each of them only reads the build: the tests (unit + contract + release, streamed here; then the Node
// matrix) beside two chains whose output goes to reports/ci-logs/ (shown here when a step fails): the typecheck,
// and the lint with the package checks (exports, size budgets). The tests wait on servers, timeouts and child processes
// far more than they compute, so the other steps use what they leave of the two cores.
// At the end: each step's time (and when it started), the tests by runtime, and the plain line.
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { homedir, userInfo } from "node:os";
import { join, resolve } from "node:path";
import { repoRoot } from "./prism.mjs";
import { readVitestReport } from "./vitest-report.mjs";

const bin = (name) => resolve(repoRoot, "node_modules/.bin", name);
const env = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: "1",
  DO_NOT_TRACK: "1",
  REDOCLY_TELEMETRY: "off",
  NO_UPDATE_NOTIFIER: "1",
  npm_config_update_notifier: "false",
};
const reportDir = resolve(repoRoot, "reports");
const logDir = resolve(reportDir, "ci-logs");
const report = resolve(reportDir, "vitest.json");
const node = (script, ...args) => [process.execPath, [script, ...args]];

/** A step: its name, its command, and whether its output streams here (else it goes to reports/ci-logs/). */
const step = (name, [cmd, args], stream = false) => ({ name, cmd, args, stream });

const quick = [
  step("generate --check", node("scripts/generate.mjs", "--check"), true),
  step(
    "spec lint",
    [bin("redocly"), ["lint", "spec/openapi.yaml", "--config", "spec/redocly.yaml", "--format", "summary"]],
    true,
  ),
  step("spec changesets", node("scripts/check-spec-changeset.mjs"), true),
  step("engines", node("scripts/check-engines.mjs"), true),
  step("build", [bin("turbo"), ["run", "build", "--output-logs=errors-only"]], true),
];
/** Chains that run at the same time; the steps of one chain run in order. */
const concurrent = [
  [
    step(
      "tests",
      [bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`]],
      true,
    ),
    // after the tests, not beside them: two vitest runs at once left too little of two cores for the tests that
    // time what they wait for. Writes reports/vitest-node<major>.json per major (node-matrix.mjs: what runs where).
    step("node matrix", node("scripts/node-matrix.mjs")),
  ],
  [
    step("typecheck", [bin("turbo"), ["run", "typecheck", "--output-logs=errors-only"]]),
    step("typecheck scripts", [bin("tsc"), ["-p", "tsconfig.json"]]),
    // the whole contract suite against a sandbox through Prism's validating proxy: 0 violations;
    // writes reports/vitest-sandbox*.json, counted below
    step("contract vs sandbox", node("scripts/contract-sandbox.mjs", "--no-build")),
  ],
  [
    step("lint", [bin("biome"), ["check", "."]]),
    step("package exports", node("scripts/check-packages.mjs")),
    step("size budgets", node("bench/size.mjs", "--check")),
  ],
];

const startedAll = performance.now();
const since = () => ((performance.now() - startedAll) / 1000).toFixed(1);
const failedSteps = [];
const timings = [];

function runStep({ name, cmd, args, stream }) {
  const startedAt = since();
  if (stream) console.log(`\n▶ ${name}`);
  const log = join(logDir, `${name.replace(/\W+/g, "-")}.log`);
  const fd = stream ? undefined : openSync(log, "w");
  const started = performance.now();
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: repoRoot, env, stdio: stream ? "inherit" : ["ignore", fd, fd] });
    const finish = (status) => {
      if (fd !== undefined) closeSync(fd);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      timings.push(`${name} ${seconds}s${stream ? "" : ` (from ${startedAt}s)`}`);
      if (status !== 0) {
        failedSteps.push(name);
        console.error(`\n✖ ${name} failed (exit ${status})`);
        if (!stream) {
          const lines = readFileSync(log, "utf8").trimEnd().split("\n");
          console.error(`${lines.slice(-60).join("\n")}\n(the whole output: ${log})`);
        }
      } else if (!stream) console.log(`\n✓ ${name} ${seconds}s (its output: reports/ci-logs/${log.split("/").pop()})`);
      done(status);
    };
    child.on("error", (error) => {
      console.error(`${name}: ${error.message}`);
      finish(-1);
    });
    child.on("close", (code, signal) => finish(code ?? signal));
  });
}

// The tests never write to the machine's home: a CLI started without HOME in its environment would keep its token
// under the passwd entry's home, so both are watched (a test gives the CLI a cache of its own, or none).
const homeCaches = [...new Set([homedir(), userInfo().homedir].map((home) => join(home, ".cache", "simcel")))];
const listCache = () => homeCaches.flatMap((dir) => (existsSync(dir) ? readdirSync(dir).map((f) => join(dir, f)) : []));
const cacheBefore = new Set(listCache());

/** Reports of the other vitest runs: the Node matrix's, and the contract suite's against the sandbox. */
const otherReports = () =>
  readdirSync(reportDir)
    .filter((f) => /^vitest-(node\d+|sandbox.*)\.json$/.test(f))
    .sort();
mkdirSync(logDir, { recursive: true });
rmSync(report, { force: true });
for (const f of otherReports()) rmSync(resolve(reportDir, f), { force: true });

// the tools the tests fetch on first use, installed meanwhile (scripts/prefetch-tools.mjs); stopped at the end if
// it is still going (the tests that needed a tool have installed it themselves by then)
let prefetchCode;
const prefetcher = spawn(process.execPath, ["scripts/prefetch-tools.mjs"], { cwd: repoRoot, env, stdio: "ignore" });
prefetcher.on("error", () => {
  prefetchCode = -1;
});
prefetcher.on("close", (code) => {
  prefetchCode = code ?? -1;
});
for (const s of quick) await runStep(s);
if (!failedSteps.includes("build")) {
  console.log(`\n▶ at once: ${concurrent.map((chain) => chain.map((s) => s.name).join(" → ")).join(" | ")}`);
  await Promise.all(
    concurrent.map(async (chain) => {
      for (const s of chain) await runStep(s);
    }),
  );
} else console.error("the build failed: nothing else can be checked");

// its failure is not a step's: a test that needed a tool installed it itself, or failed saying why
if (prefetchCode === undefined) prefetcher.kill();
else if (prefetchCode !== 0)
  console.log("\nthe prefetch of first-use tools failed: the tests installed what they needed");
const written = listCache().filter((f) => !cacheBefore.has(f));
if (written.length > 0) {
  failedSteps.push("home untouched");
  console.error(`\n✖ the tests wrote into the machine's home: ${written.join(", ")}`);
}

let passed = 0;
let failed = 0;
let skipped = 0;
const runtimes = [];
let otherFailed = 0;
// vitest-node22.json → Node 22; vitest-sandbox.json → the API-key pass; vitest-sandbox-client-credentials.json
const label = (f) =>
  f.startsWith("vitest-node")
    ? `Node ${f.match(/\d+/)[0]}`
    : `contract vs sandbox (${f.replace(/^vitest-sandbox-?|\.json$/g, "") || "API key"})`;
for (const [name, file] of [
  [`Node ${process.versions.node}`, report],
  ...otherReports().map((f) => [label(f), resolve(reportDir, f)]),
]) {
  try {
    const counts = readVitestReport(file);
    passed += counts.passed;
    failed += counts.failed;
    const skips = counts.skipped;
    // the contract run against the sandbox is a live run: it skips the mock-only tests (each ran on the mock above)
    const live = name.startsWith("contract vs sandbox");
    if (!live) skipped += skips;
    runtimes.push(
      `${name} ${counts.passed} passed, ${counts.failed} failed${skips ? `, ${skips} skipped${live ? " (mock only)" : ""}` : ""}`,
    );
    if (file !== report) otherFailed += counts.failed;
  } catch {
    failed++;
    console.error(`no test report for ${name} (${file}): its test step did not run to the end`);
  }
}
// A failed step that is not a test counts as one failure, so the line never reads green by mistake. (The node
// matrix and the sandbox's contract run count that way too unless their reports already show failing tests: the
// sandbox's run also fails on a violation, which no test report shows.)
const reported = (s) => s === "tests" || (s === "node matrix" && otherFailed > 0);
failed += failedSteps.filter((s) => !reported(s)).length;
console.log(`\nsteps: ${timings.join(", ")}; total ${since()}s`);
// Under .ci/run: what it did before this script (apt-get, install) and the wall time of the whole CI run.
const ciStarted = Number(process.env.SIMCEL_CI_STARTED);
if (ciStarted > 0)
  console.log(
    `ci: ${process.env.SIMCEL_CI_SETUP ?? "setup"}, pnpm test ${since()}s; wall ${Math.round(Date.now() / 1000 - ciStarted)}s`,
  );
console.log(`tests by run: ${runtimes.join("; ")}`);
if (failedSteps.length > 0) console.log(`failed steps: ${failedSteps.join(", ")}`);
if (passed === 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failedSteps.length > 0 || failed > 0 ? 1 : 0);
