#!/usr/bin/env node
// @simcel/sandbox in numbers (after `pnpm build`; the built packages): how long a sandbox takes to start and to
// build a plan's data on its first answer, how much heap the data of the default seed holds, how many calls per
// second it answers on loopback through @simcel/auth + @simcel/insights (answers it has cached, and answers it
// must compute), and the wall time of `pnpm start`'s tour on it. Prints numbers; judges nothing.
//   node bench/sandbox.mjs            SANDBOX_BENCH_CALLS=20000 for longer runs; SANDBOX_BENCH_TOUR=0 skips the tour
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

const root = resolve(import.meta.dirname, "..");
const { startSandbox } = await import(resolve(root, "packages/sandbox/dist/index.js"));
const { createApiKeyCredential, createAuthMiddleware } = await import(resolve(root, "packages/auth/dist/index.js"));
const { createInsightsClient } = await import(resolve(root, "packages/insights/dist/index.js"));
const CALLS = Number(process.env.SANDBOX_BENCH_CALLS ?? 6000);

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc");
/** Heap and array buffers (the daily figures are typed arrays, held outside the JS heap) after a full GC, in MB. */
const heapMb = () => {
  gc();
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return (heapUsed + arrayBuffers) / 1048576;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs) =>
  `median ${median(xs).toFixed(1)}, min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)}`;

async function signedIn(sandbox) {
  const auth = createAuthMiddleware({
    credential: createApiKeyCredential({ apiKey: sandbox.createApiKey(), baseUrl: sandbox.url }),
  });
  const insights = createInsightsClient({ middleware: [auth] });
  const close = async () => {
    await insights.close();
    await auth.close();
  };
  return { insights, close };
}

// ── start: listening, with the plans' structure made (their figures come on the first answer) ──
const starts = [];
const firstAnswers = [];
for (let i = 0; i < 15; i++) {
  const t0 = performance.now();
  const sandbox = await startSandbox({ seed: 1 + i });
  starts.push(performance.now() - t0);
  const { insights, close } = await signedIn(sandbox);
  const t1 = performance.now();
  await insights.getPnlSummary({ planId: sandbox.plans[0].id, interval: "M" });
  firstAnswers.push(performance.now() - t1);
  await close();
  await sandbox.close();
}
console.log(`start (startSandbox → listening):                     ${spread(starts)} ms (15 seeds)`);
console.log(`first monthly P&L of a plan (builds its 6 scenarios): ${spread(firstAnswers)} ms`);

// ── memory: every plan's daily figures and every split, for the default seed ──
const before = heapMb();
const sandbox = await startSandbox();
const { insights, close } = await signedIn(sandbox);
for (const plan of sandbox.plans) await insights.getPnlSummary({ planId: plan.id, interval: "M" });
const daily = heapMb();
for (const plan of sandbox.plans) {
  const planId = plan.id;
  for (const groupBy of [undefined, "product", "sku", "region", "channel"])
    await insights.getDemandForecast({ planId, interval: "M", ...(groupBy && { groupBy }) });
  for (const groupBy of ["dc", "region", "transport_mode"]) await insights.getSustainability({ planId, groupBy });
}
const built = heapMb();
console.log(
  `memory of the default seed's data (heap + array buffers after GC, over ${before.toFixed(1)} MB before): ` +
    `${(daily - before).toFixed(1)} MB for every scenario of the 4 plans day by day, ` +
    `${(built - before).toFixed(1)} MB with every split too (and the ≤ 256 answers it caches)`,
);

// ── calls per second on loopback through the SDK (sandbox and client share this process) ──
const planId = sandbox.plans[0].id;
const mix = [
  () => insights.listPlans(),
  () => insights.getPnlSummary({ planId }),
  () => insights.getDemandForecast({ planId, scenarioIds: [sandbox.plans[0].scenarios[0].id] }),
  () => insights.getSustainability({ planId }),
];
async function rate(label, concurrency, call) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < CALLS) await call(next++);
    }),
  );
  const s = (performance.now() - t0) / 1000;
  console.log(`${label.padEnd(52)} ${Math.round(CALLS / s)} calls/s (${CALLS} calls, ${concurrency} in flight)`);
}
for (const concurrency of [1, 16])
  await rate("calls/s, the four operations in turn (cached answers)", concurrency, (i) => mix[i % 4]());
// every call another date range: the sandbox aggregates days for each (its cache never hits)
const days = 700;
const day = (n) => new Date(Date.UTC(2025, 0, 1 + n)).toISOString().slice(0, 10);
for (const concurrency of [1, 16])
  await rate("calls/s, monthly P&L of a new range each (computed)", concurrency, (i) =>
    insights.getPnlSummary({ planId, interval: "M", dateFrom: day(i % 30), dateTo: day(30 + ((i * 7) % (days - 31))) }),
  );
await close();
await sandbox.close();

// ── the tour (pnpm start without credentials, minus the build): the built CLI run six times on a sandbox ──
if (process.env.SANDBOX_BENCH_TOUR !== "0") {
  const walls = [];
  for (let i = 0; i < 3; i++) {
    const reports = mkdtempSync(join(tmpdir(), "simcel-bench-tour-"));
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("SIMCEL_")));
    const t0 = performance.now();
    const code = await new Promise((done) => {
      const child = spawn(process.execPath, [resolve(root, "scripts/tour.mjs")], {
        env: { ...env, SIMCEL_TOUR_REPORT_DIR: reports },
        stdio: "ignore",
      });
      child.once("close", done);
    });
    walls.push((performance.now() - t0) / 1000);
    rmSync(reports, { recursive: true, force: true });
    if (code !== 0) throw new Error(`the tour exited ${code}`);
  }
  console.log(`tour on the sandbox (node scripts/tour.mjs, wall):     ${spread(walls)} s (3 runs)`);
}
