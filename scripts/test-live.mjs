#!/usr/bin/env node
// `pnpm test:live`: every contract suite against a real SIMCEL instead of the Prism mock.
//
//   SIMCEL_CONTRACT_BASE_URL=https://app.simcel.io/api SIMCEL_API_KEY=sk_live_… pnpm test:live
//   (or SIMCEL_CLIENT_ID + SIMCEL_CLIENT_SECRET [+ SIMCEL_SCOPES], or SIMCEL_TOKEN)
//
// It builds (the CLI and MCP suites run the built programs), then runs the vitest project `contract`
// with SIMCEL_CONTRACT_BASE_URL set: the suites find a plan through listPlans instead of assuming the
// mock's ids, and the tests that need the mock (its Prefer: code=… answers, the spec's example figures,
// fake keys) are skipped, each with its reason printed as it is skipped. Nothing is written to the
// server: every call is a read. The results go to reports/live-vitest.json; the last line is
// `N passed, N failed, N skipped`. Run `simcel doctor` first for a readable account of what differs,
// and `pnpm contract:proxy` to run this suite through Prism validating every answer against the spec.
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { repoRoot } from "./prism.mjs";
import { readVitestReport } from "./vitest-report.mjs";

const CREDENTIALS = ["SIMCEL_API_KEY", "SIMCEL_CLIENT_ID", "SIMCEL_TOKEN"];
const base = process.env.SIMCEL_CONTRACT_BASE_URL?.trim();
if (!base || !CREDENTIALS.some((name) => process.env[name]?.trim())) {
  process.stderr.write(
    "test:live: set SIMCEL_CONTRACT_BASE_URL (e.g. https://app.simcel.io/api) and a credential: SIMCEL_API_KEY, or SIMCEL_CLIENT_ID + SIMCEL_CLIENT_SECRET [+ SIMCEL_SCOPES], or SIMCEL_TOKEN\n",
  );
  process.exit(2);
}

const bin = (name) => resolve(repoRoot, "node_modules/.bin", name);
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };
const report = resolve(repoRoot, "reports/live-vitest.json");
mkdirSync(resolve(repoRoot, "reports"), { recursive: true });
rmSync(report, { force: true });

const build = spawnSync(bin("turbo"), ["run", "build", "--output-logs=errors-only"], {
  cwd: repoRoot,
  env,
  stdio: "inherit",
});
if (build.status !== 0) process.exit(build.status ?? 1);

const run = spawnSync(
  bin("vitest"),
  ["run", "--project", "contract", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`],
  { cwd: repoRoot, env, stdio: "inherit" },
);
let summary = "no test report was written";
try {
  const counts = readVitestReport(report);
  const skipped = counts.skippedNames;
  if (skipped.length)
    process.stdout.write(`\nskipped live (${skipped.length}):\n${skipped.map((t) => `  ${t}`).join("\n")}\n`);
  summary = `${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`;
} catch {}
process.stdout.write(`\nlive contract run against ${base}: ${summary}\n`);
process.exit(run.status ?? 1);
