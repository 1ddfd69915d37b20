#!/usr/bin/env node
// The OAuth flow of `simcel-mcp --http` (SIMCEL_MCP_SECRET set), as a connector host walks it, against the built
// server and a loopback SIMCEL that answers at once. The page is posted with fetch, as a browser would post it,
// so the numbers are the server's own part. Prints numbers; judges nothing. Run after `pnpm build`.
//   flow      discovery (a 401, the protected-resource and server metadata), the page, Allow (one
//             SIMCEL sign-in), Continue, the code exchange, and the first tools/list with the access token:
//             median and p95 ms of BENCH_RUNS flows, each step's median
//   register  a dynamic registration (once per host; capped at 30 a minute)
//   refresh   refresh-token rotations per second, one after another
//   memory    the server's RSS at start, and after the flows (their grants in its memory)
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { median, plansBody, tokenBody } from "./per-call-harness.mjs";

const serverPath = fileURLToPath(new URL("../packages/mcp/dist/bin.js", import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 50);
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const KEY = "sk_test_FAKE_bench_oauth_key_00000";
const SECRET = randomBytes(32).toString("base64");
const CALLBACK = "http://127.0.0.1:9/callback";
const rssMiB = (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) / 1024;
const p95 = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)];

const simcel = createServer((req, res) => {
  req.resume();
  const body = req.method === "POST" ? tokenBody : plansBody;
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
});
await new Promise((ready) => simcel.listen(0, "127.0.0.1", ready));

const child = spawn(process.execPath, [serverPath, "--http", "--port", "0"], {
  env: {
    PATH: process.env.PATH ?? "",
    SIMCEL_BASE_URL: `http://127.0.0.1:${simcel.address().port}`,
    SIMCEL_MCP_SECRET: SECRET,
  },
  stdio: ["ignore", "ignore", "pipe"],
});
// a bench that fails half-way must not leave its server behind
process.once("exit", () => child.kill("SIGTERM"));
let stderr = "";
const mcpUrl = await new Promise((listening, failed) => {
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
    const match = /hosts connect to (\S+)/.exec(stderr);
    if (match) listening(match[1]);
  });
  child.once("exit", (code) => failed(new Error(`simcel-mcp exited (${code}):\n${stderr}`)));
});
const origin = new URL(mcpUrl).origin;
const rssAtStart = rssMiB(child.pid);

const form = (fields, headers = {}) => ({
  method: "POST",
  redirect: "manual",
  headers: { "content-type": "application/x-www-form-urlencoded", origin, ...headers },
  body: new URLSearchParams(fields).toString(),
});
const field = (html, name) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? "";

/** A dynamic registration (RFC 7591), as a host makes once. */
const register = async () =>
  (
    await fetch(`${origin}/oauth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ client_name: "bench host", redirect_uris: [CALLBACK] }),
    })
  ).json();

/** One flow of a registered host; each step's ms. */
async function flow(client) {
  const steps = {};
  let t = performance.now();
  const lap = (name) => {
    const now = performance.now();
    steps[name] = now - t;
    t = now;
  };
  const challenge401 = await fetch(mcpUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge401.headers.get("www-authenticate") ?? "")?.[1];
  const prm = await (await fetch(metadataUrl)).json();
  const as = await (await fetch(`${prm.authorization_servers[0]}/.well-known/oauth-authorization-server`)).json();
  lap("discovery");
  const verifier = randomBytes(32).toString("base64url");
  const query = new URLSearchParams({
    response_type: "code",
    client_id: client.client_id,
    redirect_uri: CALLBACK,
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    state: "s",
  });
  const page = await fetch(`${as.authorization_endpoint}?${query}`);
  const html = await page.text();
  const cookie = (page.headers.get("set-cookie") ?? "").split(";")[0];
  const hidden = { request: field(html, "request"), csrf: field(html, "csrf") };
  lap("page");
  await (
    await fetch(as.authorization_endpoint, form({ ...hidden, decision: "allow", api_key: KEY }, { cookie }))
  ).text();
  lap("allow");
  const back = await fetch(as.authorization_endpoint, form({ ...hidden, decision: "continue" }, { cookie }));
  const code = new URL(back.headers.get("location")).searchParams.get("code");
  lap("continue");
  const tokens = await (
    await fetch(
      as.token_endpoint,
      form({
        grant_type: "authorization_code",
        code,
        client_id: client.client_id,
        redirect_uri: CALLBACK,
        code_verifier: verifier,
      }),
    )
  ).json();
  lap("token");
  const mcp = new Client({ name: "bench", version: "0" });
  await mcp.connect(
    new StreamableHTTPClientTransport(new URL(mcpUrl), {
      requestInit: { headers: { Authorization: `Bearer ${tokens.access_token}` } },
    }),
  );
  await mcp.listTools();
  await mcp.close();
  lap("first tools/list");
  return { steps, tokens, clientId: client.client_id, tokenEndpoint: as.token_endpoint };
}

// registrations are capped at 30 a minute: 20 are timed, and the flows reuse one, as a host does
const registerMs = [];
let client;
for (let i = 0; i < 20; i++) {
  const t = performance.now();
  client = await register();
  registerMs.push(performance.now() - t);
}
await flow(client); // warm-up
const totals = [];
const perStep = {};
let last;
for (let i = 0; i < runs; i++) {
  last = await flow(client);
  totals.push(Object.values(last.steps).reduce((a, b) => a + b, 0));
  for (const [name, ms] of Object.entries(last.steps)) {
    perStep[name] ??= [];
    perStep[name].push(ms);
  }
}
console.log(`oauth flow (${runs} runs): median ${median(totals).toFixed(1)} ms, p95 ${p95(totals).toFixed(1)} ms`);
for (const [name, values] of Object.entries(perStep))
  console.log(`  ${name.padEnd(17)} ${median(values).toFixed(1)} ms`);
console.log(`registration (once per host): median ${median(registerMs).toFixed(1)} ms`);

let refresh = last.tokens.refresh_token;
let rotations = 0;
const until = performance.now() + seconds * 1000;
while (performance.now() < until) {
  const answer = await (
    await fetch(
      last.tokenEndpoint,
      form({ grant_type: "refresh_token", refresh_token: refresh, client_id: last.clientId }),
    )
  ).json();
  refresh = answer.refresh_token;
  rotations++;
}
console.log(`refresh rotations: ${(rotations / seconds).toFixed(0)}/s`);
console.log(
  `server RSS: ${rssAtStart.toFixed(1)} MiB at start, ${rssMiB(child.pid).toFixed(1)} MiB after ${runs + 1} flows`,
);

child.kill("SIGTERM");
await new Promise((done) => child.once("exit", done));
simcel.closeAllConnections();
simcel.close();
