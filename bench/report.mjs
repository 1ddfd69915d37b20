#!/usr/bin/env node
// `simcel report` of the tour's plan against the Prism mock: file size (raw and gzipped, against the
// budget the browser test holds it to) and times — the whole command as a user runs it, and inside
// it the data requests and the rendering. Prints numbers; judges nothing. Run after `pnpm build`.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { startPrism } from "../scripts/prism.mjs";

const root = resolve(import.meta.dirname, "..");
const cli = resolve(root, "packages/cli/dist/cli.js");
const budget = 96 * 1024; // the budget of packages/cli/test/report-browser.contract.test.ts
const runs = 5;
const prism = await startPrism({ errors: true });
const dir = mkdtempSync(join(tmpdir(), "simcel-bench-report-"));
try {
  const env = { PATH: process.env.PATH ?? "", SIMCEL_BASE_URL: prism.url, SIMCEL_API_KEY: "sk_test_bench_0000" };
  const rows = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const r = spawnSync(process.execPath, [cli, "report", "--plan", "plan_9xKz2", "--out", dir, "--json"], {
      env,
      encoding: "utf8",
    });
    const wallMs = performance.now() - started;
    if (r.status !== 0) throw new Error(`simcel report failed (exit ${r.status}): ${r.stderr}`);
    rows.push({ ...JSON.parse(r.stdout), wallMs });
  }
  const median = (xs) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)];
  const { path, bytes, charts } = rows[0];
  const gz = gzipSync(readFileSync(path), { level: 9 }).length;
  console.log(`simcel report (plan_9xKz2 on the mock): ${charts} charts`);
  console.log(`  size       ${bytes} B (${(bytes / 1024).toFixed(1)} KiB), gzip ${gz} B; budget ${budget} B`);
  console.log(
    `  command    ${median(rows.map((r) => r.wallMs)).toFixed(0)} ms median of ${runs} (node start, sign-in, requests, render, write)`,
  );
  console.log(`  data       ${median(rows.map((r) => r.dataMs))} ms median (plan, then P&L, demand, CO2 side by side)`);
  console.log(`  render     ${median(rows.map((r) => r.renderMs))} ms median (7 SVG charts, tables, page)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  await prism.stop();
}
