// simcel-mcp's Streamable HTTP edge, in process, driven by the MCP SDK's own Client over
// StreamableHTTPClientTransport (the bearer in requestInit.headers.Authorization) and by raw requests where
// a host would never send what is tested. The SIMCEL side is a sandbox (@simcel/sandbox) on loopback, with keys
// of different scopes: it counts every token and API request, so "no SIMCEL request" is a number.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../../packages/sandbox/src/index.js";
import { until } from "../../../scripts/test/rig.js";
import { findLeaks, leakNeedles } from "../../../scripts/test/secret-forms.js";
import { type SimcelMcpHttpOptions, type SimcelMcpHttpServer, startSimcelMcpHttpServer } from "../src/http.js";
import { textOf } from "./helpers.js";
import { connectHttp, postWithHeaders, rawPost } from "./http-helpers.js";

const KEY_A = "sk_test_FAKE_http_alpha_000000000";
const KEY_B = "sk_test_FAKE_http_bravo_000000000";
const KEY_PLANS = "sk_test_FAKE_http_plans_only_0000";
const KEY_INSIGHTS = "sk_test_FAKE_http_insights_only_0";
const BAD_KEY = "sk_test_FAKE_http_revoked_0000000";

let simcel: Sandbox;
/** A plan of the sandbox. */
let planId: string;
/** Every log line the servers wrote, for the leak check at the end. */
const logLines: string[] = [];
/** Every raw answer the tests read, for the leak check at the end. */
const answers: string[] = [];
const servers: SimcelMcpHttpServer[] = [];
const closers: Array<() => Promise<void>> = [];

const logger = Object.fromEntries(
  (["debug", "info", "warn", "error"] as const).map((level) => [
    level,
    (message: string, fields?: Record<string, unknown>) =>
      logLines.push(`${level} ${message} ${JSON.stringify(fields)}`),
  ]),
);

async function start(options: Partial<SimcelMcpHttpOptions> = {}) {
  const server = await startSimcelMcpHttpServer({
    env: { SIMCEL_BASE_URL: simcel.url },
    version: "0.0.0-test",
    port: 0,
    logger,
    ...options,
  });
  servers.push(server);
  return server;
}
async function connect(url: string, bearer?: string, headers?: Record<string, string>) {
  const connection = await connectHttp(url, { ...(bearer !== undefined && { bearer }), ...(headers && { headers }) });
  closers.push(connection.close);
  return connection;
}
const requestsToSimcel = () => simcel.counts.token + simcel.counts.api;
async function raw(url: string, headers: Record<string, string> = {}, body?: unknown) {
  const answer = await rawPost(url, headers, body);
  answers.push(JSON.stringify(answer));
  return answer;
}

beforeAll(async () => {
  simcel = await startSandbox({ record: true });
  simcel.createApiKey({ key: KEY_A });
  simcel.createApiKey({ key: KEY_B });
  simcel.createApiKey({ key: KEY_PLANS, scopes: ["plans:read"] });
  simcel.createApiKey({ key: KEY_INSIGHTS, scopes: ["insights:read"] });
  planId = simcel.plans[0]?.id as string;
});
afterEach(async () => {
  await Promise.allSettled(closers.splice(0).map((close) => close()));
  await Promise.allSettled(servers.splice(0).map((s) => s.close()));
  simcel.clearFaults();
});
afterAll(async () => {
  await simcel?.close();
  // No API key or token in any answer, log line or error a test saw, in any encoding.
  const needles = leakNeedles({
    KEY_A,
    KEY_B,
    KEY_PLANS,
    KEY_INSIGHTS,
    BAD_KEY,
    ...Object.fromEntries(simcel.issuedTokens.map((t, i) => [`token ${i + 1}`, t])),
  });
  expect(logLines.length).toBeGreaterThan(10);
  for (const text of [...answers, ...logLines]) expect(findLeaks(text, needles), text.slice(0, 300)).toEqual([]);
});

describe("multi-tenant (no SIMCEL credential in the server's environment): each request's bearer is its API key", () => {
  it("a request without a bearer: 401, WWW-Authenticate: Bearer, a JSON-RPC error, and no SIMCEL request", async () => {
    const server = await start();
    expect(server.mode).toBe("multi-tenant");
    const before = requestsToSimcel();
    const answer = await raw(server.url);
    expect(answer.status).toBe(401);
    expect(answer.headers["www-authenticate"]).toMatch(/^Bearer\b/);
    expect(JSON.parse(answer.text)).toEqual({
      jsonrpc: "2.0",
      id: null,
      error: { code: -32000, message: "unauthorized: send your SIMCEL API key as Authorization: Bearer <key>" },
    });
    const basic = await raw(server.url, { authorization: "Basic dXNlcjpwYXNz" });
    expect(basic.status).toBe(401);
    expect(JSON.parse(basic.text).error.message).toMatch(/must be `Bearer <your SIMCEL API key>`/);
    expect(requestsToSimcel()).toBe(before);
  });

  it("a raw SIMCEL access token as the bearer is refused: the server signs in with a key itself", async () => {
    const server = await start();
    const before = requestsToSimcel();
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzY29wZSI6ImFkbWluIn0.c2lnbmF0dXJl";
    const answer = await raw(server.url, { authorization: `Bearer ${jwt}` });
    expect(answer.status).toBe(401);
    expect(answer.headers["www-authenticate"]).toBe('Bearer realm="simcel-mcp", error="invalid_token"');
    expect(JSON.parse(answer.text).error.message).toMatch(/send a SIMCEL API key \(sk_…\).*not an access token/);
    expect(answer.text).not.toContain(jwt);
    expect(requestsToSimcel()).toBe(before);
  });

  it("a key SIMCEL refuses: 401 at initialize, saying sign-in failed, without echoing the key", async () => {
    const server = await start();
    const answer = await raw(server.url, { authorization: `Bearer ${BAD_KEY}` });
    expect(answer.status).toBe(401);
    expect(answer.headers["www-authenticate"]).toMatch(/error="invalid_token"/);
    expect(JSON.parse(answer.text).error.message).toBe("sign-in failed: this API key was not accepted; check the key");
    expect(answer.text).not.toContain("FAKE");
    // the SDK client sees the refusal at connect
    const transport = new StreamableHTTPClientTransport(new URL(server.url), {
      requestInit: { headers: { Authorization: `Bearer ${BAD_KEY}` } },
    });
    const error = await new Client({ name: "t", version: "0" }).connect(transport).catch((e: unknown) => e);
    expect((error as { code?: number }).code).toBe(401);
    expect(String(error)).not.toContain("FAKE");
    await transport.close();
    expect(server.sessions).toBe(0);
  });

  it("each key signs in once: 10 agents × 20 calls with two keys make 2 token requests", async () => {
    const server = await start();
    const before = simcel.counts.token;
    const agents = await Promise.all(Array.from({ length: 10 }, (_, i) => connect(server.url, i % 2 ? KEY_B : KEY_A)));
    await Promise.all(
      agents.map(async ({ client }) => {
        for (let call = 0; call < 20; call++) {
          const result = await client.callTool({ name: "list_plans", arguments: {} });
          expect(result.isError).toBeFalsy();
        }
      }),
    );
    expect(simcel.counts.token - before).toBe(2);
    expect(server.tenants).toBe(2);
    expect(server.sessions).toBe(10);
  });

  it("a session is its key's: another key's request on that session id is refused (403), the owner goes on", async () => {
    const server = await start();
    const alice = await connect(server.url, KEY_A);
    const sessionId = alice.transport.sessionId as string;
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const before = requestsToSimcel();
    const hijack = await raw(
      server.url,
      { authorization: `Bearer ${KEY_B}`, "mcp-session-id": sessionId, "mcp-protocol-version": "2025-11-25" },
      { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "list_plans", arguments: {} } },
    );
    expect(hijack.status).toBe(403);
    expect(JSON.parse(hijack.text).error.message).toBe("forbidden: this session was started with another credential");
    const anonymous = await raw(
      server.url,
      { "mcp-session-id": sessionId },
      { jsonrpc: "2.0", id: 8, method: "tools/list", params: {} },
    );
    expect(anonymous.status).toBe(401);
    expect(requestsToSimcel()).toBe(before);
    expect((await alice.client.callTool({ name: "list_plans", arguments: {} })).isError).toBeFalsy();
  });

  it("tools/list leaves out the tools the token's scopes cannot use, as GitHub's server does", async () => {
    const server = await start();
    const names = async (key: string) => {
      const { client } = await connect(server.url, key);
      return {
        tools: (await client.listTools()).tools.map((t) => t.name),
        resources: (await client.listResources()).resources.map((r) => r.uri),
      };
    };
    expect(await names(KEY_A)).toEqual({
      tools: ["list_plans", "get_pnl_summary", "get_demand_forecast", "get_sustainability", "compare_scenarios"],
      resources: ["simcel://plans"],
    });
    expect(await names(KEY_PLANS)).toEqual({ tools: ["list_plans"], resources: ["simcel://plans"] });
    expect(await names(KEY_INSIGHTS)).toEqual({
      tools: ["get_pnl_summary", "get_demand_forecast", "get_sustainability", "compare_scenarios"],
      resources: [],
    });
  });

  it("DELETE ends a session; a request on it then gets 404", async () => {
    const server = await start();
    const { client, transport } = await connect(server.url, KEY_A);
    const sessionId = transport.sessionId as string;
    await transport.terminateSession();
    expect(server.sessions).toBe(0);
    const answer = await raw(
      server.url,
      { authorization: `Bearer ${KEY_A}`, "mcp-session-id": sessionId },
      { jsonrpc: "2.0", id: 3, method: "tools/list", params: {} },
    );
    expect(answer.status).toBe(404);
    // the SDK client forgot the session id it terminated
    await expect(client.listTools()).rejects.toThrow(/no Mcp-Session-Id header; initialize a session first/);
  });
});

describe("single-tenant (SIMCEL credentials in the server's environment)", () => {
  it("on loopback, requests need no key; all use the server's credential and its one token", async () => {
    const server = await start({ env: { SIMCEL_BASE_URL: simcel.url, SIMCEL_API_KEY: KEY_A } });
    expect(server.mode).toBe("single-tenant");
    const before = simcel.counts.token;
    const first = await connect(server.url);
    const second = await connect(server.url);
    for (const { client } of [first, second])
      expect((await client.callTool({ name: "list_plans", arguments: {} })).isError).toBeFalsy();
    expect(simcel.counts.token - before).toBe(1);
  });

  it("with SIMCEL_MCP_BEARER, clients must present it (401 otherwise, before any SIMCEL request)", async () => {
    const shared = "FAKE-shared-secret-for-clients-0001";
    const server = await start({
      env: { SIMCEL_BASE_URL: simcel.url, SIMCEL_API_KEY: KEY_A, SIMCEL_MCP_BEARER: shared },
    });
    const before = requestsToSimcel();
    expect((await raw(server.url)).status).toBe(401);
    const wrong = await raw(server.url, { authorization: `Bearer ${KEY_B}` });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.text).error.message).toBe("unauthorized: the bearer is not this server's shared secret");
    expect(requestsToSimcel()).toBe(before);
    const { client } = await connect(server.url, shared);
    expect((await client.callTool({ name: "list_plans", arguments: {} })).isError).toBeFalsy();
  });

  it("off loopback it refuses to start without SIMCEL_MCP_BEARER, and anywhere off loopback without --allowed-hosts", async () => {
    const env = { SIMCEL_BASE_URL: simcel.url, SIMCEL_API_KEY: KEY_A };
    await expect(start({ env, host: "0.0.0.0", allowedHosts: ["mcp.example.com"] })).rejects.toThrow(
      /not loopback: set SIMCEL_MCP_BEARER/,
    );
    await expect(start({ env: { ...env, SIMCEL_MCP_BEARER: "FAKE-shared-0001" }, host: "0.0.0.0" })).rejects.toThrow(
      /pass --allowed-hosts/,
    );
    await expect(start({ host: "0.0.0.0" })).rejects.toThrow(/pass --allowed-hosts/);
    await expect(start({ env: { ...env, SIMCEL_TOKEN: "tok_FAKE_x" } })).rejects.toThrow(
      /SIMCEL_API_KEY and SIMCEL_TOKEN are set/,
    );
    await expect(start({ env: { SIMCEL_MCP_BEARER: "FAKE-shared-0001" } })).rejects.toThrow(
      /SIMCEL_MCP_BEARER is set but the environment holds no SIMCEL credential/,
    );
    expect(servers).toHaveLength(0);
  });

  it("off loopback with both, it serves clients that send the bearer and an allowed Host", async () => {
    const shared = "FAKE-shared-secret-for-clients-0002";
    const server = await start({
      env: { SIMCEL_BASE_URL: simcel.url, SIMCEL_API_KEY: KEY_A, SIMCEL_MCP_BEARER: shared },
      host: "0.0.0.0",
      allowedHosts: ["mcp.example.com"],
    });
    // the test only ever sends to loopback; the Host header is what a client behind a proxy would send
    const loopbackUrl = server.url.replace("0.0.0.0", "127.0.0.1");
    expect((await postWithHeaders(loopbackUrl, { authorization: `Bearer ${shared}` })).status).toBe(403);
    const served = await postWithHeaders(loopbackUrl, { host: "mcp.example.com", authorization: `Bearer ${shared}` });
    answers.push(served.body);
    expect(served.status).toBe(200);
    expect(served.body).toContain('"serverInfo":{"name":"simcel-mcp"');
    const unauthorized = await postWithHeaders(loopbackUrl, { host: "mcp.example.com" });
    expect(unauthorized.status).toBe(401);
  });
});

describe("DNS-rebinding protection: Host and Origin allow-lists, 403 before any SIMCEL request", () => {
  it("refuses a foreign Host or Origin; accepts the loopback names and origins when bound to loopback", async () => {
    const server = await start({ env: { SIMCEL_BASE_URL: simcel.url, SIMCEL_API_KEY: KEY_A } });
    const port = new URL(server.url).port;
    const before = requestsToSimcel();
    const post = async (headers: Record<string, string>) => {
      const answer = await postWithHeaders(server.url, headers);
      answers.push(answer.body);
      return answer;
    };
    const evilHost = await post({ host: "evil.example.com" });
    expect(evilHost.status).toBe(403);
    expect(JSON.parse(evilHost.body).error.message).toBe(
      "forbidden: Host evil.example.com is not allowed; see --allowed-hosts",
    );
    expect((await post({ host: `localhost:${port}`, origin: "http://evil.example.com" })).status).toBe(403);
    expect((await post({ host: `127.0.0.1:${port}`, origin: "null" })).status).toBe(403);
    expect(requestsToSimcel()).toBe(before);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`])
      expect((await post({ host, origin: `http://${host}` })).status, host).toBe(200);
    expect((await post({ host: `localhost:${port}`, origin: "https://app.example.com" })).status).toBe(403);
    const withOrigin = await start({
      env: { SIMCEL_BASE_URL: simcel.url, SIMCEL_API_KEY: KEY_A },
      allowedOrigins: ["https://app.example.com"],
    });
    const allowed = await rawPost(withOrigin.url, { origin: "https://app.example.com" });
    expect(allowed.status).toBe(200);
  });
});

describe("limits", () => {
  const ping = (padding: number) => ({
    jsonrpc: "2.0",
    id: 1,
    method: "ping",
    params: { _meta: { pad: "x".repeat(padding) } },
  });

  it("a request body over 1 MiB gets 413 before it is parsed; one just under is served", async () => {
    const server = await start({ env: { SIMCEL_BASE_URL: simcel.url, SIMCEL_API_KEY: KEY_A } });
    const { transport } = await connect(server.url);
    const headers = { "mcp-session-id": transport.sessionId as string, "mcp-protocol-version": "2025-11-25" };
    const envelope = JSON.stringify(ping(0)).length;
    const over = await raw(server.url, headers, ping(1024 * 1024 - envelope + 1));
    expect(over.status).toBe(413);
    expect(JSON.parse(over.text).error.message).toBe("request body too large: at most 1048576 bytes");
    const under = await raw(server.url, headers, ping(1024 * 1024 - envelope));
    expect(under.status).toBe(200);
    expect(under.text).toContain('"result":{}');
  });

  it("a key runs at most --max-calls-per-key tool calls at once; the next is a tool error saying so; other keys go on", async () => {
    const server = await start({ maxCallsPerKey: 2 });
    const alice = await connect(server.url, KEY_A);
    const bob = await connect(server.url, KEY_B);
    const release = simcel.hold("getPnlSummary");
    const held = [1, 2].map(() => alice.client.callTool({ name: "get_pnl_summary", arguments: { planId } }));
    await until(() => simcel.counts.inFlight === 2);
    const third = await alice.client.callTool({ name: "list_plans", arguments: {} });
    expect(third.isError).toBe(true);
    expect(textOf(third as { content?: unknown })).toBe(
      "list_plans: 2 tool calls are already running with this credential, the most it runs at once; retry when one has finished",
    );
    expect((await bob.client.callTool({ name: "list_plans", arguments: {} })).isError).toBeFalsy();
    release();
    for (const result of await Promise.all(held)) expect(result.isError).toBeFalsy();
    expect((await alice.client.callTool({ name: "list_plans", arguments: {} })).isError).toBeFalsy();
  });

  it("a session idle for longer than the timeout is closed; its client gets 404; one with a call running is kept", async () => {
    let clock = 1_000_000;
    const server = await start({ sessionIdleMs: 60_000, now: () => clock });
    const idle = await connect(server.url, KEY_A);
    const busy = await connect(server.url, KEY_B);
    const release = simcel.hold("getPnlSummary");
    const running = busy.client.callTool({ name: "get_pnl_summary", arguments: { planId } });
    await until(() => simcel.counts.inFlight === 1);
    clock += 59_999;
    expect(await server.expireIdleSessions()).toBe(0);
    clock += 1;
    expect(await server.expireIdleSessions()).toBe(1);
    expect(server.sessions).toBe(1);
    await expect(idle.client.listTools()).rejects.toThrow(/session not found \(it expired or was closed\)/);
    release();
    expect((await running).isError).toBeFalsy();
    expect((await busy.client.listTools()).tools).toHaveLength(5);
  });

  it("sessions are bounded: past maxSessions a new one gets 503", async () => {
    const server = await start({ env: { SIMCEL_BASE_URL: simcel.url, SIMCEL_API_KEY: KEY_A }, maxSessions: 2 });
    await connect(server.url);
    await connect(server.url);
    const third = await raw(server.url);
    expect(third.status).toBe(503);
    expect(third.headers["retry-after"]).toBe("5");
  });

  it("close() ends every session and stream, and stops listening", async () => {
    const server = await start({ env: { SIMCEL_BASE_URL: simcel.url, SIMCEL_API_KEY: KEY_A } });
    const { client } = await connect(server.url);
    const closed = new Promise<void>((done) => {
      client.onclose = () => done();
    });
    await server.close();
    expect(server.sessions).toBe(0);
    await expect(rawPost(server.url)).rejects.toThrow();
    await client.close();
    await closed;
  });
});
