#!/usr/bin/env node
// Cost of the auth middleware per request: the same insights call, with an injected in-memory fetch,
// without and with @simcel/auth's middleware (warm token). Prints µs per call; judges nothing.
// Run after `pnpm build`.
import { createAuthMiddleware, createStaticCredential } from "../packages/auth/dist/index.js";
import { createInsightsClient } from "../packages/insights/dist/index.js";

const body = JSON.stringify({ plans: [{ id: "plan_1", name: "Plan", currency: "USD", scenarios: [] }] });
const fetch = async () => new Response(body, { headers: { "content-type": "application/json" } });
const credential = createStaticCredential({ token: "tok_bench_static" });
const clients = {
  "no middleware": createInsightsClient({ fetch }),
  "auth middleware": createInsightsClient({ fetch, middleware: [createAuthMiddleware({ credential })] }),
};

const calls = 20_000;
const rounds = 5;
const results = Object.fromEntries(Object.keys(clients).map((k) => [k, []]));
for (let round = 0; round < rounds; round++) {
  for (const [name, client] of Object.entries(clients)) {
    for (let i = 0; i < 500; i++) await client.listPlans(); // warm-up
    const started = performance.now();
    for (let i = 0; i < calls; i++) await client.listPlans();
    results[name].push(((performance.now() - started) * 1000) / calls);
  }
}
const median = (xs) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [name, xs] of Object.entries(results))
  console.log(`${name.padEnd(16)} ${median(xs).toFixed(1)} µs per listPlans call (median of ${rounds} × ${calls})`);
const overhead = median(results["auth middleware"]) - median(results["no middleware"]);
console.log(`auth middleware overhead: ${overhead.toFixed(1)} µs per request`);
