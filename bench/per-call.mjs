#!/usr/bin/env node
// Per-call cost of the SDK: the same `GET /insights/v1/plans` four ways —
//   raw fetch                       fetch(url, { headers: { Authorization } }) + .json()
//   openapi-fetch                   bare createClient with a static Authorization header
//   openapi-fetch + @simcel/auth    the same client with the auth middleware (warm token)
//   insights + auth                 @simcel/insights' listPlans() with the auth middleware
// (and insights without auth, to split the two) — on an in-memory fetch and on a loopback node:http server,
// in interleaved rounds; prints medians and the ratios against raw fetch and bare openapi-fetch. The issue's
// targets: insights + auth ≤ 1.5× bare openapi-fetch in memory, ≤ 1.10× on loopback. Prints; judges nothing.
// Run after `pnpm build`. PER_CALL_ROUNDS / PER_CALL_CALLS override the rounds and calls per round.
import createClient from "openapi-fetch";
import { createApiKeyCredential, createAuthMiddleware } from "../packages/auth/dist/index.js";
import { createInsightsClient } from "../packages/insights/dist/index.js";
import { measure, memoryFetch, startLoopback, table } from "./per-call-harness.mjs";

const rounds = Number(process.env.PER_CALL_ROUNDS ?? 7);
const path = "/insights/v1/plans";
const authorization = "Bearer tok_bench_0000000000";

/** The variants over one transport: `fetch` (in-memory or global) and its base URL. */
async function variants(baseUrl, fetch) {
  const auth = () =>
    createAuthMiddleware({ credential: createApiKeyCredential({ apiKey: "sk_test_bench", baseUrl, fetch }) });
  const bare = createClient({ baseUrl, fetch, headers: { Authorization: authorization } });
  const withAuth = createClient({ baseUrl, fetch });
  withAuth.use(auth());
  const insights = createInsightsClient({ baseUrl, fetch, middleware: [auth()] });
  const insightsAlone = createInsightsClient({
    baseUrl,
    fetch,
    middleware: [
      {
        onRequest: ({ request }) => {
          request.headers.set("Authorization", authorization);
        },
      },
    ],
  });
  const url = `${baseUrl}${path}`;
  const out = {
    "raw fetch": async () => (await fetch(url, { headers: { Authorization: authorization } })).json(),
    "openapi-fetch (static header)": () => bare.GET(path),
    "openapi-fetch + @simcel/auth": () => withAuth.GET(path),
    "@simcel/insights (static header)": () => insightsAlone.listPlans(),
    "@simcel/insights + @simcel/auth": () => insights.listPlans(),
  };
  // warm tokens: the first call of each authenticated client exchanges the key
  for (const call of Object.values(out)) await call();
  return out;
}

const columns = (results) => {
  const raw = results["raw fetch"].median;
  const bare = results["openapi-fetch (static header)"].median;
  return Object.fromEntries(
    Object.entries(results).map(([name, r]) => [
      name,
      [
        `${r.median.toFixed(1)}`,
        `${r.min.toFixed(0)}–${r.max.toFixed(0)}`,
        `${(r.median / raw).toFixed(2)}×`,
        `${(r.median / bare).toFixed(2)}×`,
        r.wall.median.toFixed(1),
      ],
    ]),
  );
};

const memory = columns(
  await measure(await variants("https://app.simcel.io/api", memoryFetch), {
    rounds,
    calls: Number(process.env.PER_CALL_CALLS ?? 3_000),
  }),
);
const server = await startLoopback();
let loopback;
try {
  loopback = columns(
    await measure(await variants(server.url, globalThis.fetch), {
      rounds,
      calls: Number(process.env.PER_CALL_CALLS ?? 1_000),
    }),
  );
} finally {
  await server.close();
}

console.log(
  `per call: CPU µs (user + sys of this process), median of ${rounds} interleaved rounds (min–max of the rounds), ratios of medians; wall µs beside. The loopback server runs in this process, so its CPU counts for every variant alike.`,
);
console.log(
  table(
    [
      "variant",
      "memory CPU µs",
      "range",
      "× raw",
      "× bare",
      "wall µs",
      "loopback CPU µs",
      "range",
      "× raw",
      "× bare",
      "wall µs",
    ],
    Object.keys(memory).map((name) => [name, ...memory[name], ...loopback[name]]),
  ),
);
const target = (col, limit) => `${col} (target ≤ ${limit}×)`;
console.log(
  `insights + auth vs bare openapi-fetch: memory ${target(memory["@simcel/insights + @simcel/auth"][3], "1.50")}, loopback ${target(loopback["@simcel/insights + @simcel/auth"][3], "1.10")}`,
);
