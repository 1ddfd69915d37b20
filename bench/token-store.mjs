#!/usr/bin/env node
// The shared token store, in numbers (prints them; judges nothing). Run after `pnpm build`.
//  1. What the store layer costs on a memory-cache hit: the same warm loop over a token cache on the bare
//     credential and with a store (createTokenCache(credential, { store })), and how many store calls the loop made.
//  2. A new process whose token is already in the store: time to its first token (key derivation + read +
//     unsealing), per store, against a request to a token endpoint that answers in 100 ms.
//  3. Token requests for N processes starting cold (50 concurrent calls each), without a store and through
//     the file store and Redis (when redis-server is installed), counted by a loopback token endpoint.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createClient } from "@redis/client";
import { createApiKeyCredential, createMemoryTokenStore, createTokenCache } from "../packages/auth/dist/index.js";
import { createFileTokenStore } from "../packages/auth/dist/node.js";
import { createRedisTokenStore } from "../packages/token-store-redis/dist/index.js";
import { hasRedisServer, startRedis } from "../scripts/redis.mjs";

const root = resolve(import.meta.dirname, "..");
const API_KEY = "sk_bench_store_key";
const median = (xs) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)];

// A loopback token endpoint in SIMCEL's shape, answering after 100 ms, counting requests.
let requests = 0;
const server = createServer((request, response) => {
  request.resume();
  const n = ++requests;
  setTimeout(() => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ accessToken: `tok_bench_${n}`, expiresIn: 3600, tokenType: "Bearer" }));
  }, 100);
});
await new Promise((done) => server.listen(0, "127.0.0.1", done));
const baseUrl = `http://127.0.0.1:${server.address().port}/api`;
const credential = () => createApiKeyCredential({ apiKey: API_KEY, baseUrl });

const redis = hasRedisServer() ? await startRedis() : undefined;
const admin = redis && createClient({ url: redis.url });
await admin?.connect();
const dir = join(mkdtempSync(join(tmpdir(), "simcel-bench-store-")), "simcel");
const stores = {
  memory: createMemoryTokenStore(),
  file: createFileTokenStore({ dir }),
  ...(redis && { redis: createRedisTokenStore({ url: redis.url }) }),
};

try {
  // 1. memory-cache hit
  let storeCalls = 0;
  const counted = Object.fromEntries(
    ["get", "set", "deleteIf", "lock", "unlock"].map((m) => [
      m,
      (...args) => {
        storeCalls++;
        return stores.memory[m](...args);
      },
    ]),
  );
  const caches = {
    "cache only": createTokenCache(credential()),
    "cache + store": createTokenCache(credential(), { store: counted }),
  };
  for (const cache of Object.values(caches)) await cache.getToken();
  const callsBefore = storeCalls;
  const warm = 1_000_000;
  const results = Object.fromEntries(Object.keys(caches).map((k) => [k, []]));
  for (let round = 0; round < 5; round++)
    for (const [name, cache] of Object.entries(caches)) {
      const started = performance.now();
      for (let i = 0; i < warm; i++) await cache.getToken();
      results[name].push(((performance.now() - started) * 1e6) / warm);
    }
  console.log("1. memory-cache hit (warm token), median of 5 × 1,000,000 sequential getToken calls");
  for (const [name, xs] of Object.entries(results))
    console.log(`   ${name.padEnd(14)} ${median(xs).toFixed(0)} ns per call`);
  console.log(
    `   store layer overhead: ${(median(results["cache + store"]) - median(results["cache only"])).toFixed(0)} ns per call; store calls during the ${(5 * warm).toLocaleString("en-US")} hits: ${storeCalls - callsBefore}`,
  );

  // 2. first token of a new process when the store already has one
  console.log("2. first token of a new process (new credential + cache), median of 30");
  const first = async (make) => {
    const times = [];
    for (let i = 0; i < 30; i++) {
      const cache = make();
      const started = performance.now();
      await cache.getToken();
      times.push(performance.now() - started);
    }
    return median(times);
  };
  console.log(`   no store, token request      ${(await first(() => createTokenCache(credential()))).toFixed(2)} ms`);
  for (const [name, store] of Object.entries(stores)) {
    await createTokenCache(credential(), { store }).getToken(); // the fleet's token is in the store
    const ms = await first(() => createTokenCache(credential(), { store }));
    console.log(`   from the ${name} store${" ".repeat(13 - name.length)}${ms.toFixed(2)} ms`);
  }

  // 3. N processes starting cold
  console.log("3. token requests for N processes starting cold, 50 concurrent calls each (endpoint: 100 ms)");
  const child = resolve(root, "scripts/test/fixtures/token-fleet-child.mjs");
  const fleet = async (n, storeConfig) => {
    const members = Array.from({ length: n }, () => {
      const proc = spawn(process.execPath, [
        child,
        JSON.stringify({ apiKey: API_KEY, baseUrl, calls: 50, ...storeConfig }),
      ]);
      let buffer = "";
      const lines = [];
      const waiting = [];
      proc.stdout.on("data", (chunk) => {
        buffer += chunk;
        for (let at = buffer.indexOf("\n"); at >= 0; at = buffer.indexOf("\n")) {
          const line = JSON.parse(buffer.slice(0, at));
          buffer = buffer.slice(at + 1);
          const wake = waiting.shift();
          if (wake) wake(line);
          else lines.push(line);
        }
      });
      const next = () => (lines.length ? Promise.resolve(lines.shift()) : new Promise((r) => waiting.push(r)));
      return { proc, next };
    });
    await Promise.all(members.map((m) => m.next()));
    const before = requests;
    const started = performance.now();
    const bursts = await Promise.all(
      members.map((m) => {
        m.proc.stdin.write("go\n");
        return m.next();
      }),
    );
    const ms = performance.now() - started;
    for (const m of members) m.proc.stdin.end("exit\n");
    await Promise.all(members.map((m) => new Promise((done) => m.proc.once("exit", done))));
    const failures = bursts.reduce((n, b) => n + b.failures.length, 0);
    return { requests: requests - before, ms, failures };
  };
  const configs = {
    "no store": { store: "none" },
    file: () => ({ store: "file", dir: join(mkdtempSync(join(tmpdir(), "simcel-bench-fleet-")), "simcel") }),
    ...(redis && { redis: { store: "redis", url: redis.url } }),
  };
  console.log(
    `   ${"processes".padEnd(10)}${Object.keys(configs)
      .map((k) => k.padStart(26))
      .join("")}`,
  );
  for (const n of [1, 4, 8, 16]) {
    const cells = [];
    for (const [name, config] of Object.entries(configs)) {
      const resolved = typeof config === "function" ? config() : config;
      // cold means cold: no token left in Redis from the run before
      if (name === "redis") await admin.flushAll();
      const { requests: r, ms, failures } = await fleet(n, resolved);
      if (resolved.dir) rmSync(resolve(resolved.dir, ".."), { recursive: true, force: true });
      cells.push(
        `${r} request(s) ${ms.toFixed(0).padStart(5)} ms${failures ? ` ${failures} failed` : ""}`.padStart(26),
      );
    }
    console.log(`   ${String(n).padEnd(10)}${cells.join("")}`);
  }
  if (!redis) console.log("   (redis-server is not installed: Redis column left out)");
} finally {
  await stores.redis?.close();
  await admin?.close();
  await redis?.stop();
  rmSync(resolve(dir, ".."), { recursive: true, force: true });
  server.close();
}
