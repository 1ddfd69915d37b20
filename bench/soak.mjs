#!/usr/bin/env node
// The long soak (issue 9): 50 000 calls through the BUILT @simcel/auth + @simcel/insights against the rig's
// sandbox (in its own process), 100 in flight, 1-second tokens, 1 % of all requests answered 503. Prints failed
// calls, token requests against half-life renewal's prediction and the heap after GC; judges nothing.
// The CI soak (scripts/test/soak.test.ts) runs the same code on the sources with 10 000 calls.
// Run after `pnpm build`. `SOAK_CALLS=200000 node bench/soak.mjs` for longer.
import { register } from "node:module";

register("../scripts/ts-hooks.mjs", import.meta.url);
const auth = await import("../packages/auth/dist/index.js");
const insights = await import("../packages/insights/dist/index.js");
const { describeSoak, runSoak } = await import("../scripts/test/soak.ts");

const options = {
  calls: Number(process.env.SOAK_CALLS ?? 50_000),
  concurrency: 100,
  tokenLifetimeS: 1,
  faultRate: 0.01,
  samples: [0.1, 0.25, 0.5, 0.75, 1],
};
const result = await runSoak({ ...auth, ...insights }, options);
console.log(describeSoak(result, options));
