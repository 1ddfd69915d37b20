#!/usr/bin/env node
// Where the µs of one `@simcel/insights + @simcel/auth` call go, in memory: runs the call in a loop under
// `node --cpu-prof` (a child process), then reads the profile and prints, per call, the inclusive time of the
// functions that matter (Request construction and clone, AbortSignal work, timers, the middleware, openapi-fetch's
// core, JSON) and the top self-time functions. Profiles have sampling skew: read it beside bench/per-call-costs.mjs,
// which measures the same parts by ablation. Prints; judges nothing. Run after `pnpm build`.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { table } from "./per-call-harness.mjs";

const CALLS = Number(process.env.PROFILE_CALLS ?? 60_000);

if (process.argv[2] === "--child") {
  const { createApiKeyCredential, createAuthMiddleware } = await import("../packages/auth/dist/index.js");
  const { createInsightsClient } = await import("../packages/insights/dist/index.js");
  const { memoryFetch } = await import("./per-call-harness.mjs");
  const baseUrl = "https://app.simcel.io/api";
  const credential = createApiKeyCredential({ apiKey: "sk_test_bench", baseUrl, fetch: memoryFetch });
  const client = createInsightsClient({
    baseUrl,
    fetch: memoryFetch,
    middleware: [createAuthMiddleware({ credential })],
  });
  for (let i = 0; i < CALLS; i++) await client.listPlans();
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), "simcel-prof-"));
try {
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-interval=50", import.meta.filename, "--child"],
    { stdio: "inherit", env: { ...process.env, PROFILE_CALLS: String(CALLS) } },
  );
  if (run.status !== 0) throw new Error(`profiled child failed (${run.status})`);
  const wall = performance.now() - started;
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8"));
  summarise(profile, wall);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function summarise({ nodes, samples, timeDeltas }, wall) {
  const parent = new Map();
  for (const n of nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // time of each sample = the delta to the next one
  const selfUs = new Map();
  for (let i = 0; i < samples.length; i++) {
    const dt = timeDeltas[i + 1] ?? 0;
    selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + dt);
  }
  const short = (url) =>
    !url
      ? ""
      : url.includes("/packages/")
        ? url.replace(/^.*\/packages\//, "")
        : url.includes("node_modules")
          ? url.replace(/^.*node_modules\//, "")
          : url.replace(/^node:internal\/(deps\/)?/, "");
  const label = (n) => {
    const { functionName, url, lineNumber } = n.callFrame;
    return `${functionName || "(anonymous)"} ${url ? `${short(url)}:${lineNumber + 1}` : ""}`.trim();
  };
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const of = (name) =>
    nodes.filter((n) => n.callFrame.functionName === name).reduce((a, n) => a + (selfUs.get(n.id) ?? 0), 0);
  const idle = of("(idle)");
  const gc = of("(garbage collector)");

  // Inclusive time per matcher: a sample counts once if any frame on its stack matches.
  const groups = [
    ["new Request (undici)", (l) => /^_?Request undici\//.test(l)],
    ["request.clone()", (l) => /^clone undici\//.test(l)],
    ["new Response", (l) => /^_?Response undici\//.test(l)],
    ["AbortSignal / AbortController made", (l) => /abort_controller|js_transferable|^JSTransferable/.test(l)],
    ["abort listeners (add/remove)", (l) => /^(addEventListener|removeEventListener|addAbortListener) /.test(l)],
    [
      "setTimeout / clearTimeout",
      (l) => /^(setTimeout|clearTimeout|unenroll|insert|insertGuarded) (timers|node:timers)/.test(l),
    ],
    ["Headers (set/get/append)", (l) => /^(set|get|append|fill|_Headers|Headers) undici\//.test(l)],
    ["response body → JSON", (l) => /^(json|text|consumeBody|parseJSONFromBytes|readAllBytes|fullyReadBody) /.test(l)],
    ["openapi-fetch (all of coreFetch)", (l) => /^coreFetch openapi-fetch/.test(l)],
    ["@simcel/auth code (self+callees)", (l) => /^\S+ auth\/dist\//.test(l)],
    ["@simcel/insights code (self+callees)", (l) => /^\S+ insights\/dist\//.test(l)],
    ["(garbage collector)", (l) => l === "(garbage collector)"],
  ];
  const inclusive = new Map(groups.map(([name]) => [name, 0]));
  const labels = new Map(nodes.map((n) => [n.id, label(n)]));
  for (const [id, us] of selfUs) {
    const stack = [];
    for (let at = id; at !== undefined; at = parent.get(at)) stack.push(labels.get(at));
    for (const [name, match] of groups) if (stack.some(match)) inclusive.set(name, inclusive.get(name) + us);
  }
  const perCall = (us) => (us / CALLS).toFixed(1);
  console.log(
    `profile of ${CALLS} in-memory insights + auth calls: ${perCall(total - idle)} µs busy per call, of which ${perCall(gc)} µs GC; wall ${(wall / 1e3).toFixed(1)} s (profiling slows it)`,
  );
  console.log(
    table(
      ["inclusive (any frame on the stack)", "µs/call", "% busy"],
      groups.map(([name]) => [
        name,
        perCall(inclusive.get(name)),
        `${((100 * inclusive.get(name)) / (total - idle)).toFixed(0)} %`,
      ]),
    ),
  );
  const self = new Map();
  for (const [id, us] of selfUs) self.set(labels.get(id), (self.get(labels.get(id)) ?? 0) + us);
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 20);
  console.log(
    table(
      ["top self time", "µs/call", "% busy"],
      top.map(([l, us]) => [l.slice(0, 90), perCall(us), `${((100 * us) / (total - idle)).toFixed(0)} %`]),
    ),
  );
}
