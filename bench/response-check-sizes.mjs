#!/usr/bin/env node
// Cost of checking each response against the spec (`checkResponse`, which every insights call runs on
// its 2xx body): per body size, against the JSON.parse the call does anyway, and as a share of a whole
// client call over an in-memory fetch. Bodies are the spec's own examples, repeated to realistic sizes.
// Prints numbers; judges nothing. Run after `pnpm build`.
import { checkResponse, createInsightsClient, operations, shapes } from "../packages/insights/dist/index.js";
import { listOperations, loadSpec } from "../scripts/spec-tools.mjs";

const spec = listOperations(loadSpec());
const example = (id, name) => structuredClone(spec.find((o) => o.operationId === id).responses[200].examples[name]);

/** `n` scenarios, each with `rows` rows made from the example's first row (periods left as they are). */
function grow(body, scenarios, rows) {
  const [first] = body.scenarios;
  body.scenarios = Array.from({ length: scenarios }, (_, s) => ({
    ...structuredClone(first),
    scenarioId: `scen_${s}`,
    ...(first.series && { series: Array.from({ length: rows }, (_, r) => first.series[r % first.series.length]) }),
  }));
  return body;
}

const cases = [
  ["listPlans: 2 plans, 6 scenarios", "listPlans", example("listPlans", "twoPlans")],
  ["getPnlSummary FY: 3 scenarios", "getPnlSummary", example("getPnlSummary", "fiscalYear")],
  ["getPnlSummary M: 3 scenarios × 12 months", "getPnlSummary", grow(example("getPnlSummary", "monthly"), 3, 12)],
  ["getDemandForecast M: 3 × 12 rows", "getDemandForecast", grow(example("getDemandForecast", "monthly"), 3, 12)],
  [
    "getDemandForecast D by region: 3 × 1460 rows",
    "getDemandForecast",
    grow(example("getDemandForecast", "byRegion"), 3, 365 * 4),
  ],
];

const median = (xs) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Median µs per run of `fn`, over `rounds` batches sized to take ≈ 50 ms each. */
function time(fn, rounds = 7) {
  let n = 1;
  for (let started = performance.now(); performance.now() - started < 20; n *= 2) for (let i = 0; i < n; i++) fn();
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    for (let i = 0; i < n; i++) fn();
    samples.push(((performance.now() - started) * 1000) / n);
  }
  return median(samples);
}

console.log("checkResponse per body (median µs), against JSON.parse of the same body:");
for (const [label, id, body] of cases) {
  const text = JSON.stringify(body);
  const found = checkResponse(operations[id].response, body, shapes);
  if (found.length > 0) throw new Error(`${label}: the example does not fit the spec: ${JSON.stringify(found[0])}`);
  const check = time(() => checkResponse(operations[id].response, body, shapes));
  const parse = time(() => JSON.parse(text));
  console.log(
    `  ${label.padEnd(46)} ${(text.length / 1024).toFixed(1).padStart(7)} KiB  check ${check.toFixed(1).padStart(8)} µs  parse ${parse
      .toFixed(1)
      .padStart(8)} µs  check/parse ${(check / parse).toFixed(2)}`,
  );
}

// A whole call: in-memory fetch, no middleware, so the check's share is as large as it can be.
const calls = [
  ["getPnlSummary FY", "getPnlSummary", cases[1][2], { planId: "plan_9xKz2", interval: "FY" }],
  ["getDemandForecast D by region", "getDemandForecast", cases[4][2], { planId: "plan_9xKz2", interval: "D" }],
];
console.log("a whole client call over an in-memory fetch (median µs), and the check's share of it:");
for (const [label, id, body, params] of calls) {
  const text = JSON.stringify(body);
  const client = createInsightsClient({
    baseUrl: "https://bench.test",
    fetch: async () => new Response(text, { headers: { "content-type": "application/json" } }),
  });
  const samples = [];
  const n = text.length > 100_000 ? 50 : 2000;
  for (let i = 0; i < n / 10; i++) await client[id](params); // warm-up
  for (let r = 0; r < 5; r++) {
    const started = performance.now();
    for (let i = 0; i < n; i++) await client[id](params);
    samples.push(((performance.now() - started) * 1000) / n);
  }
  const whole = median(samples);
  const check = time(() => checkResponse(operations[id].response, body, shapes));
  console.log(
    `  ${label.padEnd(30)} call ${whole.toFixed(1).padStart(8)} µs  of which the check ${check.toFixed(1).padStart(8)} µs (${((100 * check) / whole).toFixed(0)} %)`,
  );
}
