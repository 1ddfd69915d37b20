#!/usr/bin/env node
// simcel-mcp over Streamable HTTP, as a team's agents use it: the built `simcel-mcp --http` (multi-tenant)
// in front of a loopback SIMCEL that answers at once and counts token requests, driven by the MCP SDK's
// client over StreamableHTTPClientTransport. Prints numbers; judges nothing. Run after `pnpm build`.
//   start        spawn → "listening" line, and spawn → first tools/list answered (median of BENCH_RUNS)
//   throughput   list_plans calls per second over loopback HTTP: one agent in sequence, and 10 agents at once
//   memory       the server's RSS with 0 and 100 sessions open (Linux /proc)
//   tokens       token requests for 10 agents × 20 calls with two keys (one token cache per key: 2)
//   replicas     two `--stateless` replicas sharing a Redis token store behind a round-robin balancer (no
//                affinity): tool calls/s through it, token requests for the fleet, each replica's RSS
//                (BENCH_REPLICAS=0 skips it; it needs redis-server)
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { hasRedisServer, startRedis } from "../scripts/redis.mjs";
import { startRoundRobinProxy } from "../scripts/round-robin-proxy.mjs";
import { median, plansBody, tokenBody } from "./per-call-harness.mjs";

const serverPath = fileURLToPath(new URL("../packages/mcp/dist/bin.js", import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 10);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const KEYS = ["sk_test_FAKE_bench_http_key_one_000", "sk_test_FAKE_bench_http_key_two_000"];
const rssMiB = (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) / 1024;

/** A SIMCEL on loopback: POST (the token exchange) → a token, anything else → the plans; counts token requests. */
/** Calls per second over `seconds`: each of `loops` calls again as soon as its call returns, until the deadline. */
async function callsPerSecond(loops, seconds) {
  let done = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    loops.map(async (once) => {
      while (performance.now() < deadline) {
        await once();
        done++;
      }
    }),
  );
  return (done / ((performance.now() - started) / 1000)).toFixed(0);
}

async function startSimcel() {
  const counts = { token: 0, api: 0 };
  const server = createServer((req, res) => {
    const token = req.method === "POST";
    counts[token ? "token" : "api"]++;
    req.resume();
    const body = token ? tokenBody : plansBody;
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise((ready) => server.listen(0, "127.0.0.1", ready));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    counts,
    close: () =>
      new Promise((done) => {
        server.close(done);
        server.closeAllConnections();
      }),
  };
}

/** Spawns the server; resolves with its URL once it says it listens, and the ms that took. */
async function startServer(simcelUrl, args = [], env = {}) {
  const started = performance.now();
  const child = spawn(process.execPath, [serverPath, "--http", "--port", "0", ...args], {
    env: { PATH: process.env.PATH ?? "", SIMCEL_BASE_URL: simcelUrl, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  const url = await new Promise((listening, failed) => {
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      const match = /listening on (\S+)/.exec(stderr);
      if (match) listening(match[1]);
    });
    child.once("exit", (code) => failed(new Error(`simcel-mcp exited (${code}):\n${stderr}`)));
  });
  const exited = new Promise((done) => child.once("exit", done));
  return {
    url,
    pid: child.pid,
    listenMs: performance.now() - started,
    started,
    async stop() {
      const t = performance.now();
      child.kill("SIGTERM");
      await exited;
      return performance.now() - t;
    },
  };
}

async function connect(url, key) {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { Authorization: `Bearer ${key}` } },
  });
  const client = new Client({ name: "bench", version: "0" });
  await client.connect(transport);
  return client;
}

const call = async (client) => {
  const result = await client.callTool({ name: "list_plans", arguments: {} });
  if (result.isError) throw new Error(JSON.stringify(result));
};

const simcel = await startSimcel();
const rows = [];
try {
  // start time
  const listen = [];
  const firstList = [];
  const stops = [];
  for (let run = 0; run < runs; run++) {
    const server = await startServer(simcel.url);
    const client = await connect(server.url, KEYS[0]);
    await client.listTools();
    listen.push(server.listenMs);
    firstList.push(performance.now() - server.started);
    await client.close();
    stops.push(await server.stop());
  }
  rows.push(["start: spawn → listening line", `${median(listen).toFixed(0)} ms`, `median of ${runs}`]);
  rows.push(["start: spawn → first tools/list answered", `${median(firstList).toFixed(0)} ms`, `median of ${runs}`]);
  rows.push(["SIGTERM → exit (one idle session)", `${median(stops).toFixed(0)} ms`, `median of ${runs}`]);

  // throughput, and the token requests of 10 agents × 20 calls with two keys
  {
    const server = await startServer(simcel.url, ["--max-calls-per-key", "64"]);
    const tokensBefore = simcel.counts.token;
    const agents = await Promise.all(Array.from({ length: 10 }, (_, i) => connect(server.url, KEYS[i % 2])));
    await Promise.all(
      agents.map(async (client) => {
        for (let i = 0; i < 20; i++) await call(client);
      }),
    );
    rows.push([
      "token requests, 10 agents × 20 calls, two keys",
      String(simcel.counts.token - tokensBefore),
      "expect 2",
    ]);

    rows.push([
      "tool calls/s, one agent in sequence (SDK client)",
      await callsPerSecond([() => call(agents[0])], seconds),
      `list_plans, ${seconds} s`,
    ]);
    // the same over raw fetch: what the server costs, without the SDK client's own work (schema checks, SSE parsing)
    const headers = {
      authorization: `Bearer ${KEYS[0]}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-session-id": agents[0].transport.sessionId,
      "mcp-protocol-version": "2025-11-25",
    };
    let id = 0;
    const rawCall = async () => {
      const body = {
        jsonrpc: "2.0",
        id: ++id,
        method: "tools/call",
        params: { name: "list_plans", arguments: {} },
      };
      const response = await fetch(server.url, { method: "POST", headers, body: JSON.stringify(body) });
      if (!(await response.text()).includes('"structuredContent"')) throw new Error("no result");
    };
    rows.push([
      "tool calls/s, one agent in sequence (raw fetch)",
      await callsPerSecond([rawCall], seconds),
      `list_plans, ${seconds} s`,
    ]);
    rows.push([
      "tool calls/s, 10 agents at once (2 keys)",
      await callsPerSecond(
        agents.map((client) => () => call(client)),
        seconds,
      ),
      `list_plans, ${seconds} s`,
    ]);
    await Promise.all(agents.map((c) => c.close()));
    await server.stop();
  }

  // memory with 100 sessions open
  {
    const server = await startServer(simcel.url);
    await new Promise((r) => setTimeout(r, 200));
    const idle = rssMiB(server.pid);
    const sessions = [];
    for (let i = 0; i < 100; i++) {
      const client = await connect(server.url, KEYS[i % 2]);
      await client.listTools();
      sessions.push(client);
    }
    await call(sessions[0]);
    const open = rssMiB(server.pid);
    rows.push(["RSS, no session", `${idle.toFixed(1)} MiB`, ""]);
    rows.push([
      "RSS, 100 sessions open (each initialized, tools listed)",
      `${open.toFixed(1)} MiB`,
      `≈ ${(((open - idle) * 1024) / 100).toFixed(0)} KiB a session`,
    ]);
    await Promise.all(sessions.map((c) => c.close()));
    await server.stop();
  }

  if (process.env.BENCH_REPLICAS !== "0" && hasRedisServer()) rows.push(...(await replicas()));
  else rows.push(["replicas", "skipped", hasRedisServer() ? "BENCH_REPLICAS=0" : "no redis-server"]);
} finally {
  await simcel.close();
}

/** Two stateless replicas sharing Redis behind a round-robin balancer: calls/s through it, tokens, RSS. */
async function replicas() {
  const out = [];
  const redis = await startRedis();
  const servers = [];
  let balancer;
  try {
    const args = ["--stateless", "--max-calls-per-key", "64"];
    for (let i = 0; i < 2; i++) servers.push(await startServer(simcel.url, args, { SIMCEL_TOKEN_STORE: redis.url }));
    balancer = await startRoundRobinProxy(servers.map((s) => new URL(s.url).origin));
    const url = `${balancer.url}/mcp`;
    const key = "sk_test_FAKE_bench_http_replicas_0";
    const tokensBefore = simcel.counts.token;
    const agents = await Promise.all(Array.from({ length: 10 }, () => connect(url, key)));
    await Promise.all(
      agents.map(async (client) => {
        for (let i = 0; i < 10; i++) await call(client);
      }),
    );
    out.push([
      "replicas: token requests, 2 replicas × 10 agents × 10 calls, one key",
      String(simcel.counts.token - tokensBefore),
      "expect 1",
    ]);
    out.push([
      "replicas: tool calls/s through the balancer, one agent",
      await callsPerSecond([() => call(agents[0])], seconds),
      `list_plans, ${seconds} s`,
    ]);
    out.push([
      "replicas: tool calls/s through the balancer, 10 agents",
      await callsPerSecond(
        agents.map((client) => () => call(client)),
        seconds,
      ),
      `list_plans, ${seconds} s; served ${balancer.served.join(" / ")}`,
    ]);
    for (const [i, server] of servers.entries())
      out.push([`replicas: RSS of replica ${i + 1} after the run`, `${rssMiB(server.pid).toFixed(1)} MiB`, ""]);
    await Promise.all(agents.map((c) => c.close()));
  } finally {
    await balancer?.close();
    await Promise.allSettled(servers.map((s) => s.stop()));
    await redis.stop();
  }
  return out;
}

const width = Math.max(...rows.map((r) => r[0].length));
console.log(
  `simcel-mcp --http on Node ${process.versions.node} (loopback; SIMCEL answered at once by a loopback stand-in)`,
);
for (const [what, value, note] of rows) console.log(`  ${what.padEnd(width)}  ${value.padStart(10)}  ${note}`);
