#!/usr/bin/env node
// The response check's cost per call (issue 9 asks to keep it small and report it): the shipped check
// (packages/insights/src/response-check.ts, on the generated shapes) against the prototype of
// bench/prototypes/lazy-pointer-check.mjs, on every 200 example of the spec, after proving both give the same
// mismatches on valid and broken bodies. CPU µs per check, interleaved rounds, medians. Prints; judges nothing.
import { register } from "node:module";
import { isDeepStrictEqual } from "node:util";
import { listOperations } from "../scripts/spec-tools.mjs";
import { measure, table } from "./per-call-harness.mjs";
import { checkResponseLazy } from "./prototypes/lazy-pointer-check.mjs";

register("../scripts/ts-hooks.mjs", import.meta.url);
const { checkResponse } = await import("../packages/insights/src/response-check.ts");
const { operations, shapes } = await import("../packages/insights/src/generated/operations.ts");

const bodies = [];
for (const op of listOperations())
  for (const [name, body] of Object.entries(op.responses[200]?.examples ?? {}))
    if (operations[op.operationId]?.response) bodies.push({ id: op.operationId, name, body });

// broken bodies: each must give the same mismatches from both checks
const plans = bodies.find((b) => b.id === "listPlans").body;
const broken = [
  ["listPlans", {}],
  ["listPlans", null],
  ["listPlans", { plans: plans.plans.map(({ scenarios: _, ...p }) => p) }],
  ["listPlans", { plans: [{ ...plans.plans[0], id: 7, "odd/key~": 1 }] }],
  ["listPlans", { plans: [{ ...plans.plans[0], scenarios: [{ id: "s", name: "n", flags: ["archived"] }] }] }],
  ...bodies.filter((b) => b.id !== "listPlans").map((b) => [b.id, { ...b.body, meta: { ...b.body.meta, planId: 1 } }]),
];
let compared = 0;
for (const [id, body] of [...bodies.map((b) => [b.id, b.body]), ...broken]) {
  const shape = operations[id].response;
  const shipped = checkResponse(shape, body, shapes);
  const lazy = checkResponseLazy(shape, body, shapes);
  if (!isDeepStrictEqual(shipped, lazy))
    throw new Error(`the prototype differs on ${id}: ${JSON.stringify(shipped)} vs ${JSON.stringify(lazy)}`);
  compared++;
}
console.log(`response check: the prototype gives the same mismatches as the shipped check on ${compared} bodies`);

const variants = {};
for (const { id, name, body } of bodies) {
  const shape = operations[id].response;
  variants[`${id} ${name}: shipped`] = async () => checkResponse(shape, body, shapes);
  variants[`${id} ${name}: lazy pointers`] = async () => checkResponseLazy(shape, body, shapes);
}
const results = await measure(variants, { rounds: 7, calls: 5_000, warmup: 500 });
console.log("CPU µs per check of a valid 200 example (median of 7 interleaved rounds)");
console.log(
  table(
    ["body", "shipped µs", "lazy pointers µs", "saved"],
    bodies.map(({ id, name }) => {
      const a = results[`${id} ${name}: shipped`].median;
      const b = results[`${id} ${name}: lazy pointers`].median;
      return [
        `${id} ${name} (${JSON.stringify(bodies.find((x) => x.name === name && x.id === id).body).length} B)`,
        a.toFixed(2),
        b.toFixed(2),
        `${(100 * (1 - b / a)).toFixed(0)} %`,
      ];
    }),
  ),
);
