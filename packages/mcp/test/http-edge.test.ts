// The edge of simcel-mcp --http against callers without a valid key: what such a caller sends must never change
// what another tenant gets (its answers, its secrets' redaction, its sessions, its memory, its SIMCEL calls, its
// token), and a refusal says nothing about the upstream. Each attack runs on loopback against a sandbox that counts
// every token and API request, while a tenant with a real key is served beside it.
import { type Socket, connect as tcpConnect } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { registerSecret } from "../../../packages/core/src/index.js";
import { type Sandbox, startSandbox } from "../../../packages/sandbox/src/index.js";
import { until } from "../../../scripts/test/rig.js";
import { findLeaks, leakNeedles } from "../../../scripts/test/secret-forms.js";
import { type SimcelMcpHttpOptions, type SimcelMcpHttpServer, startSimcelMcpHttpServer } from "../src/http.js";
import { createKeyTenant } from "../src/tenant.js";
import { textOf } from "./helpers.js";
import { connectHttp, rawPost } from "./http-helpers.js";

const KEY_A = "sk_test_FAKE_edge_alpha_0000000000";
const KEY_B = "sk_test_FAKE_edge_bravo_0000000000";

let simcel: Sandbox;
const logLines: string[] = [];
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
async function connect(url: string, bearer: string) {
  const connection = await connectHttp(url, { bearer });
  closers.push(connection.close);
  return connection;
}

/** Sockets the stalled-body tests opened, destroyed after each test. */
const sockets: Socket[] = [];

/**
 * A POST that declares `declared` body bytes, sends `sent` of them and stalls: resolves with the status of the
 * answer, or "none" if none came within `waitMs`.
 */
function stalledPost(url: string, headers: Record<string, string>, declared: number, sent: number, waitMs = 5000) {
  const { hostname, port } = new URL(url);
  return new Promise<number | "none">((done) => {
    const socket = tcpConnect(Number(port), hostname);
    sockets.push(socket);
    const timer = setTimeout(() => done("none"), waitMs);
    let head = "";
    socket.on("data", (chunk) => {
      head += chunk;
      const status = /^HTTP\/1\.1 (\d{3})/.exec(head)?.[1];
      if (status) {
        clearTimeout(timer);
        done(Number(status));
      }
    });
    socket.on("error", () => {});
    const lines = Object.entries({
      host: new URL(url).host,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "content-length": String(declared),
      ...headers,
    }).map(([name, value]) => `${name}: ${value}`);
    socket.write(`POST /mcp HTTP/1.1\r\n${lines.join("\r\n")}\r\n\r\n${"x".repeat(sent)}`);
  });
}

beforeAll(async () => {
  simcel = await startSandbox({ record: true });
  simcel.createApiKey({ key: KEY_A });
  simcel.createApiKey({ key: KEY_B });
});
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.allSettled(closers.splice(0).map((close) => close()));
  await Promise.allSettled(servers.splice(0).map((s) => s.close()));
  simcel.clearFaults();
});
afterAll(async () => {
  await simcel?.close();
  // no key, junk or real, in any log line the attacks caused
  const needles = leakNeedles({ KEY_A, KEY_B });
  expect(logLines.length).toBeGreaterThan(10);
  for (const line of logLines) expect(findLeaks(line, needles), line.slice(0, 300)).toEqual([]);
});

describe("a bearer SIMCEL has not accepted changes nothing another tenant gets", () => {
  it("junk bearers shaped like JSON or field names leave every tenant's answers whole and valid", async () => {
    const server = await start();
    const tenant = await connect(server.url, KEY_A);
    const expected = (await tenant.client.callTool({ name: "list_plans", arguments: {} })).structuredContent;
    expect(expected).toBeDefined();
    for (const junk of ['"plans":', "scenarios", '"name":"', "currency"])
      expect((await rawPost(server.url, { authorization: `Bearer ${junk}` })).status).toBe(401);

    const after = await tenant.client.callTool({ name: "list_plans", arguments: {} });
    expect(after.isError, textOf(after as { content?: unknown })).toBeFalsy();
    expect(after.structuredContent).toEqual(expected);
    expect(JSON.parse(textOf(after as { content?: unknown }))).toEqual(expected);
    const read = await tenant.client.readResource({ uri: "simcel://plans" });
    const text = (read.contents[0] as { text: string }).text;
    expect(JSON.parse(text)).toEqual(expected);
  });
});

describe("a tenant's own key stays redacted from what it is shown, whatever else the process has registered", () => {
  it("after 130 junk bearers and 130 newer secrets, a sign-in error echoing the tenant's key shows no key", async () => {
    const server = await start();
    const tenant = await connect(server.url, KEY_B);
    expect((await tenant.client.callTool({ name: "list_plans", arguments: {} })).isError).toBeFalsy();
    // 130 junk bearers, then newer secrets of other tenants and tokens (which do push the oldest entries off the
    // process-wide list)
    await Promise.all(
      Array.from({ length: 130 }, (_, i) =>
        rawPost(server.url, { authorization: `Bearer sk_test_FAKE_edge_flood_${String(i).padStart(8, "0")}` }),
      ),
    );
    for (let i = 0; i < 130; i++) registerSecret(`tok_FAKE_other_tenant_${String(i).padStart(6, "0")}`);
    simcel.revokeTokens();
    simcel.fail({ operation: "token", kind: "echo", status: 400, text: (r) => `unknown apiKey ${r.apiKey}` });
    const lines = logLines.length;
    const result = await tenant.client.callTool({ name: "list_plans", arguments: {} });
    expect(result.isError).toBe(true);
    const text = textOf(result as { content?: unknown });
    expect(text).toMatch(/unknown apiKey \[redacted\]/);
    expect(text).not.toContain("FAKE_edge");
    const logged = logLines.slice(lines).join("\n");
    expect(logged).toContain("[redacted]");
    expect(logged).not.toContain("FAKE_edge");
  });
});

describe("a refusal tells an unauthenticated caller nothing about the upstream", () => {
  it("the 401 for no bearer, a bad one, and a key SIMCEL refuses names neither the SIMCEL URL nor its answer", async () => {
    const server = await start();
    const upstream = new URL(simcel.url);
    for (const headers of [
      {},
      { authorization: "Basic eDp5" },
      { authorization: "Bearer sk_test_FAKE_edge_unknown_00001" },
    ]) {
      const answer = await rawPost(server.url, headers);
      expect(answer.status).toBe(401);
      const said = `${answer.text} ${JSON.stringify(answer.headers)}`;
      for (const needle of [upstream.host, upstream.port, "127.0.0.1", "HTTP 4", "SIMCEL refused"])
        expect(said, needle).not.toContain(needle);
    }
  });
});

describe("sessions are bounded per key, and a slot is checked and taken in one step", () => {
  const initializes = (url: string, key: string, count: number) =>
    Promise.all(
      Array.from({ length: count }, async () => (await rawPost(url, { authorization: `Bearer ${key}` })).status),
    );

  it("one key opening sessions as fast as it can gets its share, and another key still opens one", async () => {
    const server = await start({ maxSessions: 10, maxSessionsPerKey: 3 });
    const statuses = await initializes(server.url, KEY_A, 25);
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(22);
    const other = await connect(server.url, KEY_B);
    expect((await other.client.callTool({ name: "list_plans", arguments: {} })).isError).toBeFalsy();
    expect(server.sessions).toBe(4);
  });

  it("concurrent initializes, each waiting for its sign-in, never open more than maxSessions", async () => {
    const server = await start({ maxSessions: 5 });
    // a slow first sign-in: every initialize is waiting on it when the slots are counted
    simcel.fail({ operation: "token", kind: "latency", ms: 300 });
    const statuses = await initializes(server.url, KEY_A, 20);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 503)).toHaveLength(15);
    expect(server.sessions).toBe(5);
  });
});

describe("limits hold for every kind of request", () => {
  it("resources/read takes one of --max-calls-per-key's slots: 20 reads make 2 SIMCEL calls; another key is served meanwhile", async () => {
    const server = await start({ maxCallsPerKey: 2 });
    const flood = await connect(server.url, KEY_A);
    const other = await connect(server.url, KEY_B);
    const release = simcel.hold("listPlans");
    let settled = 0;
    const reads = Array.from({ length: 20 }, () =>
      flood.client
        .readResource({ uri: "simcel://plans" })
        .then(
          () => "read",
          (error: Error) => error.message,
        )
        .finally(() => settled++),
    );
    await until(() => settled === 18);
    expect(simcel.counts.inFlight).toBe(2);
    const planId = simcel.plans[0]?.id as string;
    const served = await other.client.callTool({ name: "get_pnl_summary", arguments: { planId } });
    expect(served.isError).toBeFalsy();
    release();
    const outcomes = await Promise.all(reads);
    expect(outcomes.filter((o) => o === "read")).toHaveLength(2);
    expect(outcomes.filter((o) => /2 calls are already running with this credential/.test(o))).toHaveLength(18);
  });
});

describe("a refused key is remembered", () => {
  it("1,001 initializes with 20 junk keys make 20 token requests, and a real tenant keeps its token and its place", async () => {
    const server = await start({ maxKeys: 2 });
    const tenant = await connect(server.url, KEY_A);
    expect((await tenant.client.callTool({ name: "list_plans", arguments: {} })).isError).toBeFalsy();
    const before = simcel.counts.token;
    const junk = Array.from({ length: 20 }, (_, i) => `sk_test_FAKE_edge_junk_${String(i).padStart(10, "0")}`);
    const statuses: number[] = [];
    for (let round = 0; round < 50; round++)
      statuses.push(
        ...(await Promise.all(
          junk.map(async (key) => (await rawPost(server.url, { authorization: `Bearer ${key}` })).status),
        )),
      );
    statuses.push((await rawPost(server.url, { authorization: `Bearer ${junk[0]}` })).status);
    expect(statuses).toHaveLength(1001);
    expect(new Set(statuses)).toEqual(new Set([401]));
    expect(simcel.counts.token - before).toBe(20);
    const tokens = simcel.counts.token;
    expect((await tenant.client.callTool({ name: "list_plans", arguments: {} })).isError).toBeFalsy();
    expect(simcel.counts.token).toBe(tokens);
    expect(server.tenants).toBe(1);
  });

  it("first sign-ins of new keys are bounded (32 at once, then 503); a known tenant is served meanwhile", async () => {
    const server = await start();
    const tenant = await connect(server.url, KEY_A);
    const release = simcel.hold("token");
    const junk = Array.from({ length: 40 }, (_, i) => `sk_test_FAKE_edge_pending_${String(i).padStart(8, "0")}`);
    let busy = 0;
    const answers = junk.map((key) =>
      rawPost(server.url, { authorization: `Bearer ${key}` }).then((answer) => {
        if (answer.status === 503) busy++;
        return answer;
      }),
    );
    await until(() => simcel.counts.inFlight === 32 && busy === 8);
    expect((await tenant.client.callTool({ name: "list_plans", arguments: {} })).isError).toBeFalsy();
    release();
    const statuses = (await Promise.all(answers)).map((a) => a.status);
    expect(statuses.filter((s) => s === 503)).toHaveLength(8);
    expect(statuses.filter((s) => s === 401)).toHaveLength(32);
  });

  it("concurrent first sign-ins of one key share one token request", async () => {
    const server = await start();
    const before = simcel.counts.token;
    const key = "sk_test_FAKE_edge_concurrent_0000";
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => rawPost(server.url, { authorization: `Bearer ${key}` })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(30).fill(401));
    expect(simcel.counts.token - before).toBe(1);
  });
});

describe("bodies of requests cannot hold the server's memory", () => {
  const MiB = 1024 * 1024;

  it("an unknown bearer is refused before its body is read: 50 stalled 1 MiB bodies each get 401 at once", async () => {
    const server = await start();
    const tenant = await connect(server.url, KEY_A);
    const stalled = Array.from({ length: 50 }, (_, i) =>
      stalledPost(
        server.url,
        { authorization: `Bearer sk_test_FAKE_edge_stall_${String(i).padStart(8, "0")}` },
        MiB,
        1024,
      ),
    );
    expect((await tenant.client.callTool({ name: "list_plans", arguments: {} })).isError).toBeFalsy();
    expect(new Set(await Promise.all(stalled))).toEqual(new Set([401]));
  });

  it("past a key's share of buffered bytes, its next body gets 503 at once; other tenants are served meanwhile", async () => {
    const server = await start({ maxBufferedBytesPerKey: 4 * MiB });
    await connect(server.url, KEY_A);
    const held = Array.from({ length: 4 }, () =>
      stalledPost(server.url, { authorization: `Bearer ${KEY_A}` }, MiB, 1024, 1500),
    );
    await until(() => sockets.length === 4);
    await new Promise((r) => setTimeout(r, 200));
    const over = await Promise.all(
      Array.from({ length: 6 }, () => stalledPost(server.url, { authorization: `Bearer ${KEY_A}` }, MiB, 1024)),
    );
    expect(over).toEqual(Array(6).fill(503));
    const other = await connect(server.url, KEY_B);
    expect((await other.client.callTool({ name: "list_plans", arguments: {} })).isError).toBeFalsy();
    expect(await Promise.all(held)).toEqual(Array(4).fill("none"));
  });

  it("a body that stalls is cut off at the read deadline with 408", async () => {
    const server = await start({ bodyTimeoutMs: 300 });
    await connect(server.url, KEY_A);
    expect(await stalledPost(server.url, { authorization: `Bearer ${KEY_A}` }, 4096, 100)).toBe(408);
  });
});

it("refuses budgets smaller than one body", async () => {
  await expect(start({ maxBufferedBytesPerKey: 1024 })).rejects.toThrow(/at least maxBodyBytes/);
});

describe("each request is first classified: an OAuth access token, an API key, or neither", () => {
  it("a bearer the access-token verifier knows runs as its principal's tenant; any other is taken as an API key", async () => {
    const oauthTenant = createKeyTenant(KEY_A, simcel.url, { logger: {} });
    const offered: string[] = [];
    const server = await start({
      verifyAccessToken: async (token) => {
        offered.push(token);
        return token === "smcp_at_FAKE_access_token_0001" ? { owner: "grant-1", tenant: oauthTenant } : undefined;
      },
    });
    try {
      const viaOAuth = await connect(server.url, "smcp_at_FAKE_access_token_0001");
      expect((await viaOAuth.client.callTool({ name: "list_plans", arguments: {} })).isError).toBeFalsy();
      expect(server.tenants).toBe(0);
      const viaKey = await connect(server.url, KEY_B);
      expect((await viaKey.client.callTool({ name: "list_plans", arguments: {} })).isError).toBeFalsy();
      expect(server.tenants).toBe(1);
      expect(offered).toContain(KEY_B);
      // a session opened with the access token is not another caller's
      const hijack = await rawPost(
        server.url,
        { authorization: `Bearer ${KEY_B}`, "mcp-session-id": viaOAuth.transport.sessionId as string },
        { jsonrpc: "2.0", id: 2, method: "tools/list", params: {} },
      );
      expect(hijack.status).toBe(403);
      const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzY29wZSI6ImFkbWluIn0.c2lnbmF0dXJl";
      expect((await rawPost(server.url, { authorization: `Bearer ${jwt}` })).status).toBe(401);
    } finally {
      await oauthTenant.close();
    }
  });
});

describe("stateless (no sessions): any request stands alone", () => {
  it("no Mcp-Session-Id; a tool call needs no initialize before it; GET is 405; a junk key is still 401", async () => {
    const server = await start({ stateless: true });
    expect(server.stateless).toBe(true);
    const init = await rawPost(server.url, { authorization: `Bearer ${KEY_A}` });
    expect(init.status).toBe(200);
    expect(init.headers["mcp-session-id"]).toBeUndefined();
    const call = await rawPost(
      server.url,
      { authorization: `Bearer ${KEY_A}`, "mcp-protocol-version": "2025-11-25" },
      { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "list_plans", arguments: {} } },
    );
    expect(call.status).toBe(200);
    expect(call.text).toContain('"structuredContent"');
    const get = await fetch(server.url, {
      headers: { authorization: `Bearer ${KEY_A}`, accept: "text/event-stream" },
    });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    const junk = await rawPost(
      server.url,
      { authorization: "Bearer sk_test_FAKE_edge_stateless_junk_0", "mcp-protocol-version": "2025-11-25" },
      { jsonrpc: "2.0", id: 3, method: "tools/list", params: {} },
    );
    expect(junk.status).toBe(401);
    expect(server.sessions).toBe(0);
  });
});
