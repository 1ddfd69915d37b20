#!/usr/bin/env node
// `pnpm test`: everything CI checks, in order, then one plain line `N passed, N failed`.
// Steps: generate --check, spec lint, engines check, build, package exports (publint, attw), typecheck, lint,
// unit + contract tests.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { repoRoot } from "./prism.mjs";

const bin = (name) => resolve(repoRoot, "node_modules/.bin", name);
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1", REDOCLY_TELEMETRY: "off" };
const report = resolve(repoRoot, "reports/vitest.json");

const steps = [
  ["generate --check", process.execPath, ["scripts/generate.mjs", "--check"]],
  ["spec lint", bin("redocly"), ["lint", "spec/openapi.yaml", "--config", "spec/redocly.yaml", "--format", "summary"]],
  ["engines", process.execPath, ["scripts/check-engines.mjs"]],
  ["build", bin("turbo"), ["run", "build", "--output-logs=errors-only"]],
  ["package exports", process.execPath, ["scripts/check-packages.mjs"]],
  ["typecheck", bin("turbo"), ["run", "typecheck", "--output-logs=errors-only"]],
  ["typecheck scripts", bin("tsc"), ["-p", "tsconfig.json"]],
  ["lint", bin("biome"), ["check", "."]],
  ["tests", bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`]],
];

const startedAll = performance.now();
const failedSteps = [];
const timings = [];
rmSync(report, { force: true });
mkdirSync(resolve(repoRoot, "reports"), { recursive: true });
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
try {
  const json = JSON.parse(readFileSync(report, "utf8"));
  passed = json.numPassedTests;
  failed = json.numFailedTests;
  skipped = json.numPendingTests + (json.numTodoTests ?? 0);
} catch {
  console.error("no test report was written: the test step did not run to the end");
}
// A failed step that is not a test counts as one failure, so the line never reads green by mistake.
failed += failedSteps.filter((s) => s !== "tests").length;
console.log(`\nsteps: ${timings.join(", ")}; total ${((performance.now() - startedAll) / 1000).toFixed(1)}s`);
if (failedSteps.length > 0) console.log(`failed steps: ${failedSteps.join(", ")}`);
if (passed === 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failedSteps.length > 0 || failed > 0 ? 1 : 0);
