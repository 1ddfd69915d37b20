#!/usr/bin/env node
// Token cache under load, on the built @simcel/auth with an injected fetch (no network): how many token
// requests N concurrent cold callers cause, how long they take to all get the token, and how many warm
// calls per second the cache serves. Prints numbers; judges nothing. Run after `pnpm build`.
import { createApiKeyCredential, createTokenCache } from "../packages/auth/dist/index.js";

let tokenRequests = 0;
const fetch = async () => {
  tokenRequests++;
  await new Promise((resolve) => setTimeout(resolve, 5)); // a 5 ms token endpoint
  return Response.json({ accessToken: `tok_bench_${tokenRequests}`, expiresIn: 3600, tokenType: "Bearer" });
};

const median = (xs) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const callers of [1_000, 10_000, 100_000]) {
  const times = [];
  let requests = 0;
  for (let run = 0; run < 5; run++) {
    tokenRequests = 0;
    const cache = createTokenCache(createApiKeyCredential({ apiKey: "sk_test_bench", fetch }));
    const started = performance.now();
    await Promise.all(Array.from({ length: callers }, () => cache.getToken()));
    times.push(performance.now() - started);
    requests = Math.max(requests, tokenRequests);
  }
  console.log(
    `cold: ${String(callers).padStart(7)} concurrent callers → ${requests} token request(s), all served in ${median(times).toFixed(1)} ms (median of 5, endpoint 5 ms)`,
  );
}

const cache = createTokenCache(createApiKeyCredential({ apiKey: "sk_test_bench", fetch }));
await cache.getToken();
const warm = 1_000_000;
const started = performance.now();
for (let i = 0; i < warm; i++) await cache.getToken();
const seconds = (performance.now() - started) / 1000;
console.log(
  `warm: ${warm.toLocaleString("en-US")} sequential calls in ${(seconds * 1000).toFixed(0)} ms → ${Math.round(warm / seconds).toLocaleString("en-US")} calls/s`,
);
