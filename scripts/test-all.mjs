#!/usr/bin/env node
// `pnpm test`: everything CI checks, in order, then one plain line `N passed, N failed`.
// Steps: generate --check, spec lint, spec changesets, engines check, build, package exports (publint, attw),
// size budgets, typecheck, lint, the unit + contract + release tests (release: packed tarballs installed offline in
// fresh projects, Chromium, changesets), then the unit + contract suites under the other Node majors.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { repoRoot } from "./prism.mjs";

const bin = (name) => resolve(repoRoot, "node_modules/.bin", name);
const env = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: "1",
  DO_NOT_TRACK: "1",
  REDOCLY_TELEMETRY: "off",
  NO_UPDATE_NOTIFIER: "1",
  npm_config_update_notifier: "false",
};
const report = resolve(repoRoot, "reports/vitest.json");

const steps = [
  ["generate --check", process.execPath, ["scripts/generate.mjs", "--check"]],
  ["spec lint", bin("redocly"), ["lint", "spec/openapi.yaml", "--config", "spec/redocly.yaml", "--format", "summary"]],
  ["spec changesets", process.execPath, ["scripts/check-spec-changeset.mjs"]],
  ["engines", process.execPath, ["scripts/check-engines.mjs"]],
  ["build", bin("turbo"), ["run", "build", "--output-logs=errors-only"]],
  ["package exports", process.execPath, ["scripts/check-packages.mjs"]],
  ["size budgets", process.execPath, ["bench/size.mjs", "--check"]],
  ["typecheck", bin("turbo"), ["run", "typecheck", "--output-logs=errors-only"]],
  ["typecheck scripts", bin("tsc"), ["-p", "tsconfig.json"]],
  ["lint", bin("biome"), ["check", "."]],
  ["tests", bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`]],
  // writes reports/vitest-node<major>.json per major (SIMCEL_NODE_MATRIX=none: the hosted CI's jobs are the matrix)
  ["node matrix", process.execPath, ["scripts/node-matrix.mjs"]],
];
const reportDir = resolve(repoRoot, "reports");
const matrixReports = () => readdirSync(reportDir).filter((f) => /^vitest-node\d+\.json$/.test(f));

const startedAll = performance.now();
const failedSteps = [];
const timings = [];
mkdirSync(reportDir, { recursive: true });
rmSync(report, { force: true });
for (const f of matrixReports()) rmSync(resolve(reportDir, f), { force: true });
for (const [name, cmd, args] of steps) {
  console.log(`\n▶ ${name}`);
  const started = performance.now();
  const result = spawnSync(cmd, args, { cwd: repoRoot, env, stdio: "inherit" });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  timings.push(`${name} ${seconds}s`);
  if (result.status !== 0) {
    failedSteps.push(name);
    console.error(`✖ ${name} failed (exit ${result.status ?? result.signal})`);
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
const runtimes = [];
let matrixFailed = 0;
for (const [label, file] of [
  [`Node ${process.versions.node}`, report],
  ...matrixReports().map((f) => [`Node ${f.match(/\d+/)[0]}`, resolve(reportDir, f)]),
]) {
  try {
    const json = JSON.parse(readFileSync(file, "utf8"));
    passed += json.numPassedTests;
    failed += json.numFailedTests;
    skipped += json.numPendingTests + (json.numTodoTests ?? 0);
    runtimes.push(`${label} ${json.numPassedTests} passed, ${json.numFailedTests} failed`);
    if (file !== report) matrixFailed += json.numFailedTests;
  } catch {
    failed++;
    console.error(`no test report for ${label} (${file}): its test step did not run to the end`);
  }
}
// A failed step that is not a test counts as one failure, so the line never reads green by mistake.
// (The node matrix step counts that way too unless its reports already show the failing tests.)
failed += failedSteps.filter((s) => s !== "tests" && !(s === "node matrix" && matrixFailed > 0)).length;
console.log(`\nsteps: ${timings.join(", ")}; total ${((performance.now() - startedAll) / 1000).toFixed(1)}s`);
console.log(`tests by runtime: ${runtimes.join("; ")}`);
if (failedSteps.length > 0) console.log(`failed steps: ${failedSteps.join(", ")}`);
if (passed === 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failedSteps.length > 0 || failed > 0 ? 1 : 0);
