#!/usr/bin/env node
// Where the per-call µs of `@simcel/insights + @simcel/auth` go, measured by ablation (as first measured
// from outside: request.clone() ≈ 26 µs, handing openapi-fetch a signal ≈ 46 µs, a per-call setTimeout ≈ 17 µs):
//   1. each primitive alone, in a tight loop;
//   2. a ladder on openapi-fetch: bare, + a middleware that sets the header from a warm cache, then + each
//      mechanism the SDK adds (clone, a signal, a timer), all of them, the SDK itself — and the prototype of
//      bench/prototypes/lean-call-path.mjs (same guarantees, paid differently);
// in memory and on loopback, interleaved rounds, medians. Prints; judges nothing. Run after `pnpm build`.
import { register } from "node:module";
import createClient from "openapi-fetch";
import { createApiKeyCredential, createAuthMiddleware, createTokenCache } from "../packages/auth/dist/index.js";
import { createInsightsClient } from "../packages/insights/dist/index.js";
import { measure, memoryFetch, plansBody, startLoopback, table } from "./per-call-harness.mjs";
import { createDeadlines, createLeanAuthMiddleware, createLeanInsights } from "./prototypes/lean-call-path.mjs";

// the spec's generated response shapes, for the prototype's response check (the generated TypeScript, loaded as is)
register("../scripts/ts-hooks.mjs", import.meta.url);
const { operations, shapes } = await import("../packages/insights/src/generated/operations.ts").catch(() => ({}));
const { checkResponse } = await import("../packages/insights/src/response-check.ts");
const plansShape = operations?.listPlans?.response;
/** The prototype's response check: the first fatal mismatch of a plans body (none when the shapes are not generated). */
const checkPlans = plansShape ? (body) => checkResponse(plansShape, body, shapes).find((m) => m.fatal) : undefined;

const rounds = Number(process.env.PER_CALL_ROUNDS ?? 7);
const path = "/insights/v1/plans";
const authorization = "Bearer tok_bench_0000000000";
const url = "https://app.simcel.io/api/insights/v1/plans";

// ── 1. primitives ──────────────────────────────────────────────────────────────────────────────────────
// A signal followed by many requests collects their listeners until they are collected: rotate it every 64 uses,
// as a 16 ms deadline bucket would be under load, so the loop does not measure an ever-growing listener list.
let shared = new AbortController();
let other = new AbortController();
let get = new Request(url); // a clone follows its original's signal too
let uses = 0;
const rotating = () => {
  if (++uses % 64 === 0) {
    shared = new AbortController();
    other = new AbortController();
    get = new Request(url);
  }
  return shared.signal;
};
const deadline = createDeadlines();
const noop = () => {};
const primitives = {
  "new Request(url)": () => new Request(url),
  "new Request(url, { signal }) (a shared signal)": () => new Request(url, { signal: rotating() }),
  "new AbortController()": () => new AbortController(),
  "new AbortController() + new Request(url, { signal })": () =>
    new Request(url, { signal: new AbortController().signal }),
  "request.clone() (GET)": () => {
    rotating();
    return get.clone();
  },
  "setTimeout + clearTimeout": () => {
    const timer = setTimeout(noop, 30_000);
    clearTimeout(timer);
    return timer;
  },
  "AbortSignal.any([a, b])": () => AbortSignal.any([rotating(), other.signal]),
  "signal add + remove listener": () => {
    const signal = rotating();
    signal.addEventListener("abort", noop);
    signal.removeEventListener("abort", noop);
  },
  "deadline bucket (prototype)": () => deadline(30_000),
  // what the guarantees of a call cost apart from the request itself: reading the answer, checking it against the
  // spec (the shipped response check), racing a promise against the attempt's signal (a user fetch, its body)
  "JSON.parse of the plans answer": () => JSON.parse(plansBody),
  ...(plansShape && {
    "response check of the plans answer (shipped)": () => checkResponse(plansShape, JSON.parse(plansBody), shapes),
  }),
  "race a settled promise against a signal (abortable)": () => {
    const signal = rotating();
    return new Promise((resolve) => {
      signal.addEventListener("abort", noop, { once: true });
      Promise.resolve(1).then((v) => {
        signal.removeEventListener("abort", noop);
        resolve(v);
      });
    });
  },
};
// results are kept (and overwritten) so the compiler cannot drop an allocation nobody uses
const sink = new Array(20);
const sync = Object.fromEntries(
  Object.entries(primitives).map(([name, op]) => [
    name,
    // 20 ops per measured call, so the await of the harness does not dominate
    async () => {
      for (let i = 0; i < 20; i++) sink[i] = op();
    },
  ]),
);
const t1 = performance.now();
const primitiveResults = await measure(sync, { rounds, calls: 500, warmup: 100 });
console.error(`(primitives took ${((performance.now() - t1) / 1000).toFixed(1)} s)`);
console.log(
  `1. primitives alone: CPU µs per operation (median of ${rounds} interleaved rounds; their GC included), wall beside`,
);
console.log(
  table(
    ["operation", "CPU µs", "wall µs"],
    Object.entries(primitiveResults).map(([name, r]) => [
      name,
      (r.median / 20).toFixed(2),
      (r.wall.median / 20).toFixed(2),
    ]),
  ),
);

// ── 2. the ladder ──────────────────────────────────────────────────────────────────────────────────────
const token = { token: "tok_bench_0000000000", tokenType: "Bearer", expiresAt: Date.now() + 3_600_000 };
const warmCache = { getToken: async () => token, invalidate() {} };

/** openapi-fetch with a middleware that sets the header from a warm cache, plus the mechanisms asked for. */
function ladderClient(baseUrl, fetch, { clone = false, signal = false, timer = false }) {
  const client = createClient({ baseUrl, fetch });
  const copies = new WeakMap();
  client.use({
    async onRequest({ request }) {
      const { token: t } = await warmCache.getToken();
      request.headers.set("Authorization", `Bearer ${t}`);
      if (clone) copies.set(request, request.clone());
    },
  });
  return async () => {
    const controller = signal ? new AbortController() : undefined;
    const handle = timer ? setTimeout(() => controller?.abort(), 30_000) : undefined;
    try {
      return await client.GET(path, controller ? { signal: controller.signal } : {});
    } finally {
      if (handle) clearTimeout(handle);
    }
  };
}

async function ladder(baseUrl, fetch) {
  const origin = new URL(baseUrl).origin;
  const bare = createClient({ baseUrl, fetch, headers: { Authorization: authorization } });
  const credential = createApiKeyCredential({ apiKey: "sk_test_bench", baseUrl, fetch });
  const sdkAuth = createClient({ baseUrl, fetch });
  sdkAuth.use(createAuthMiddleware({ credential }));
  const sdk = createInsightsClient({
    baseUrl,
    fetch,
    middleware: [createAuthMiddleware({ cache: createTokenCache(credential) })],
  });
  const lean = createLeanInsights({
    baseUrl,
    fetch,
    check: checkPlans,
    middleware: [createLeanAuthMiddleware({ cache: createTokenCache(credential), origin })],
  });
  const variants = {
    "bare openapi-fetch (static header)": () => bare.GET(path),
    "+ middleware: header from a warm cache": ladderClient(baseUrl, fetch, {}),
    "  + request.clone()": ladderClient(baseUrl, fetch, { clone: true }),
    "  + AbortController, signal to openapi-fetch": ladderClient(baseUrl, fetch, { signal: true }),
    "  + setTimeout/clearTimeout": ladderClient(baseUrl, fetch, { timer: true }),
    "  + clone + signal + timer": ladderClient(baseUrl, fetch, { clone: true, signal: true, timer: true }),
    "openapi-fetch + @simcel/auth (built)": () => sdkAuth.GET(path),
    "@simcel/insights + @simcel/auth (built)": () => sdk.listPlans(),
    "prototype: lean insights + auth": () => lean.listPlans(),
  };
  for (const call of Object.values(variants)) await call(); // warm tokens
  return variants;
}

const show = (results) => {
  const bare = results["bare openapi-fetch (static header)"].median;
  const step = results["+ middleware: header from a warm cache"].median;
  return Object.entries(results).map(([name, r]) => [
    name,
    r.median.toFixed(1),
    `${(r.median / bare).toFixed(2)}×`,
    name.startsWith("  +") ? `${r.median - step >= 0 ? "+" : ""}${(r.median - step).toFixed(1)}` : "",
    r.wall.median.toFixed(1),
  ]);
};

const memory = await measure(await ladder("https://app.simcel.io/api", memoryFetch), { rounds, calls: 3_000 });
const head = ["variant", "CPU µs", "× bare", "Δ vs header-only middleware", "wall µs"];
console.log(`\n2a. in memory: CPU µs per call (median of ${rounds} interleaved rounds), wall beside`);
console.log(table(head, show(memory)));

const server = await startLoopback();
try {
  const loopback = await measure(await ladder(server.url, globalThis.fetch), { rounds, calls: 1_000 });
  console.log(
    `\n2b. loopback node:http (server in this process: its CPU counts for every variant alike): CPU µs per call, wall beside`,
  );
  console.log(table(head, show(loopback)));
} finally {
  await server.close();
}
