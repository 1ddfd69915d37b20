#!/usr/bin/env node
// The prototype of lean-call-path.mjs keeps what it claims to keep: checked here on a loopback server, so its
// figures in bench/per-call-costs.mjs are those of a path that still times out, aborts and replays bodies.
// Prints one line per check and exits 1 if one fails. Run after `pnpm build`.
import { createServer } from "node:http";
import createClient from "openapi-fetch";
import { createApiKeyCredential, createTokenCache } from "../../packages/auth/dist/index.js";
import { createLeanAuthMiddleware, createLeanInsights } from "./lean-call-path.mjs";

let mode = "ok";
let apiCalls = 0;
const bodies = [];
const sockets = new Set();
const server = createServer(async (req, res) => {
  let body = "";
  for await (const chunk of req) body += chunk;
  if (req.url === "/auth/v1/token") {
    res.writeHead(200, { "content-type": "application/json" });
    return res.end(
      JSON.stringify({ accessToken: `tok_${Date.now()}_${Math.random()}`.replace(".", ""), expiresIn: 3600 }),
    );
  }
  apiCalls++;
  bodies.push(body);
  if (mode === "hang") return;
  if (mode === "401 once" && apiCalls === 1) {
    res.writeHead(401, { "content-type": "application/json" });
    return res.end('{"statusCode":401,"error":"Unauthorized","message":"expired"}');
  }
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ plans: [], echo: body }));
});
server.on("connection", (s) => {
  sockets.add(s);
  s.on("close", () => sockets.delete(s));
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const baseUrl = `http://127.0.0.1:${server.address().port}`;
const cache = () => createTokenCache(createApiKeyCredential({ apiKey: "sk_test_bench", baseUrl }));
const lean = (timeoutMs = 30_000) =>
  createLeanInsights({
    baseUrl,
    timeoutMs,
    middleware: [createLeanAuthMiddleware({ cache: cache(), origin: baseUrl })],
  });

const checks = [];
const check = async (name, fn) => {
  apiCalls = 0;
  bodies.length = 0;
  try {
    await fn();
    checks.push([name, "ok"]);
  } catch (error) {
    checks.push([name, `FAILED: ${error.message}`]);
  }
};
const assert = (ok, why) => {
  if (!ok) throw new Error(why);
};

await check("a hung request times out (and is aborted) after the timeout", async () => {
  mode = "hang";
  const started = performance.now();
  const error = await lean(300)
    .listPlans()
    .then(
      () => undefined,
      (e) => e,
    );
  const ms = performance.now() - started;
  assert(/timed out/.test(error?.message), `got ${error}`);
  assert(ms >= 280 && ms < 2_000, `after ${ms.toFixed(0)} ms`);
});
await check("the caller's signal aborts the call", async () => {
  mode = "hang";
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error("caller left")), 100);
  const error = await lean()
    .listPlans({ signal: controller.signal })
    .then(
      () => undefined,
      (e) => e,
    );
  assert(error?.message === "caller left", `got ${error}`);
});
await check("a 401 on a GET is replayed once with a new token, without a clone up front", async () => {
  mode = "401 once";
  const data = await lean().listPlans();
  assert(Array.isArray(data?.plans) && apiCalls === 2, `data ${JSON.stringify(data)}, ${apiCalls} calls`);
});
await check("a 401 on a POST is replayed with its body", async () => {
  mode = "401 once";
  const client = createClient({ baseUrl });
  client.use(createLeanAuthMiddleware({ cache: cache(), origin: baseUrl }));
  const { data } = await client.POST("/insights/v1/plans", { body: { hello: "body" } });
  assert(data?.echo === '{"hello":"body"}' && bodies[1] === bodies[0], `bodies ${JSON.stringify(bodies)}`);
});

server.close();
for (const s of sockets) s.destroy();
await new Promise((r) => setTimeout(r, 50));
const open = process.getActiveResourcesInfo().filter((r) => r !== "TTYWrap");
checks.push(["no handle left open (the deadline buckets' timers are unref'd)", open.length ? `FAILED: ${open}` : "ok"]);
for (const [name, result] of checks)
  console.log(`${result === "ok" ? "✓" : "✗"} ${name}${result === "ok" ? "" : `: ${result}`}`);
process.exitCode = checks.some(([, r]) => r !== "ok") ? 1 : 0;
