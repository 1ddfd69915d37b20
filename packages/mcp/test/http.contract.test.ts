// The built `simcel-mcp --http` as a real process against the server under test (Prism), driven by the MCP
// SDK's Client over StreamableHTTPClientTransport and by the MCP Inspector's CLI: the start-up line, both
// tenancy modes, the protocol revision, SIGTERM, a refusal to start, and no secret in any output.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { node22Tool } from "../../../scripts/node22-tools.mjs";
import { startRedis } from "../../../scripts/redis.mjs";
import {
  baseUrl,
  credentialEnv,
  discoverPlan,
  isMock,
  lacksCredential,
  mockOnly,
  needs,
} from "../../../scripts/test/contract-env.js";
import { FAKE_KEY, type LoopbackProxy, runProcess, serverPath, startProxy } from "./helpers.js";
import { connectHttp, startHttpProcess } from "./http-helpers.js";

const KEY_2 = "sk_test_FAKE_mcp_second_key_000";
/** The API key a multi-tenant client presents: a fake one on the mock; live, the run's own SIMCEL_API_KEY. */
const BEARER = isMock ? FAKE_KEY : (process.env.SIMCEL_API_KEY?.trim() ?? "");
/** Multi-tenant tests with one key: live they need an API key (not client credentials or a static token). */
const withKey = needs(lacksCredential("apiKey"));
let proxy: LoopbackProxy;
beforeAll(async () => {
  proxy = await startProxy(baseUrl);
});
afterAll(async () => {
  await proxy?.close();
});

describe("simcel-mcp --http (the built executable)", () => {
  withKey.it(
    "prints exactly one line to stderr, `simcel-mcp: listening on http://HOST:PORT/mcp`; --port 0 takes a free port",
    async () => {
      const server = await startHttpProcess({ SIMCEL_BASE_URL: proxy.url });
      try {
        expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
        expect(Number(new URL(server.url).port)).toBeGreaterThan(0);
        const { client } = await connectHttp(server.url, { bearer: BEARER });
        await client.listTools();
        await client.close();
        expect(server.stderr()).toBe(`simcel-mcp: listening on ${server.url}\n`);
      } finally {
        await server.stop();
      }
    },
  );

  mockOnly("two fake keys as bearers").it(
    "multi-tenant: two keys, each its own token; the 2025-11-25 revision; a request without a bearer reaches nothing",
    async () => {
      const server = await startHttpProcess({ SIMCEL_BASE_URL: proxy.url, SIMCEL_LOG: "debug" });
      try {
        const tokens = proxy.tokenRequests;
        const first = await connectHttp(server.url, { bearer: FAKE_KEY });
        const second = await connectHttp(server.url, { bearer: KEY_2 });
        expect(first.transport.protocolVersion).toBe("2025-11-25");
        for (const { client } of [first, second]) {
          expect((await client.listTools()).tools).toHaveLength(5);
          const plans = await client.callTool({ name: "list_plans", arguments: {} });
          expect(plans.isError).toBeFalsy();
          expect(plans.structuredContent).toMatchObject({ plans: expect.any(Array) });
        }
        expect(proxy.tokenRequests - tokens).toBe(2);
        const before = proxy.tokenRequests + proxy.apiRequests;
        const anonymous = await fetch(server.url, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
        });
        expect(anonymous.status).toBe(401);
        expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer/);
        expect(proxy.tokenRequests + proxy.apiRequests).toBe(before);
        await first.close();
        await second.close();
      } finally {
        await server.stop();
      }
      for (const line of server.stderr().split("\n")) {
        expect(line).not.toContain("FAKE");
        expect(line).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
      }
      expect(server.stderr()).toMatch(/simcel-mcp info session opened/);
    },
  );

  it("single-tenant on loopback: the environment's credential, no key from the client", async () => {
    const server = await startHttpProcess({ ...credentialEnv(FAKE_KEY), SIMCEL_BASE_URL: proxy.url });
    try {
      const { client, close } = await connectHttp(server.url);
      const { id: planId } = await discoverPlan();
      const result = await client.callTool({ name: "compare_scenarios", arguments: { planId } });
      expect(result.isError).toBeFalsy();
      await close();
    } finally {
      await server.stop();
    }
  });

  withKey.it(
    "SIMCEL_TOKEN_STORE (a directory, or redis://…) shares each key's token between server processes",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "simcel-mcp-store-"));
      const redis = await startRedis();
      try {
        for (const store of [dir, redis.url]) {
          // on the mock a key per store, so each store starts empty; live, the run's key (the stores are apart anyway)
          const key = isMock ? `sk_test_FAKE_mcp_store_${store === dir ? "dir" : "redis"}_0000` : BEARER;
          const tokens = proxy.tokenRequests;
          for (const replica of [1, 2]) {
            const server = await startHttpProcess({ SIMCEL_BASE_URL: proxy.url, SIMCEL_TOKEN_STORE: store });
            try {
              const { client, close } = await connectHttp(server.url, { bearer: key });
              expect((await client.callTool({ name: "list_plans", arguments: {} })).isError).toBeFalsy();
              await close();
            } finally {
              await server.stop();
            }
            // the second replica found the first one's token in the store
            expect(proxy.tokenRequests - tokens, `${store}, replica ${replica}`).toBe(1);
          }
        }
        // sealed values under keyed hashes: nothing in the directory names or holds the key
        const secret = isMock ? "FAKE" : BEARER;
        for (const file of readdirSync(dir)) {
          expect(file).not.toContain(secret);
          expect(readFileSync(join(dir, file), "utf8")).not.toContain(secret);
        }
      } finally {
        await redis.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  withKey.it("SIGTERM closes the sessions and their streams and exits 0 within 5 s", async () => {
    const server = await startHttpProcess({ SIMCEL_BASE_URL: proxy.url });
    const clients = await Promise.all([1, 2, 3].map(() => connectHttp(server.url, { bearer: BEARER })));
    const closed = clients.map(
      ({ transport }) =>
        new Promise<void>((done) => {
          // the SDK client's GET stream ends when the server closes the session
          const previous = transport.onclose;
          transport.onclose = () => {
            previous?.();
            done();
          };
        }),
    );
    for (const { client } of clients) await client.listTools();
    const started = performance.now();
    server.child.kill("SIGTERM");
    const { code, signal } = await server.exited;
    const ms = performance.now() - started;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(ms).toBeLessThan(5000);
    // every client can tell: its next request fails rather than hanging
    for (const { client } of clients) await expect(client.listTools()).rejects.toThrow();
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all(closed);
  });

  it("refuses to start off loopback without SIMCEL_MCP_BEARER and --allowed-hosts, saying what to set (exit 2)", async () => {
    const run = (env: Record<string, string>, args: string[]) =>
      runProcess(process.execPath, [serverPath, ...args], { PATH: process.env.PATH ?? "", ...env });
    const env = { ...credentialEnv(FAKE_KEY), SIMCEL_BASE_URL: proxy.url };
    const noBearer = await run(env, ["--http", "--host", "0.0.0.0", "--allowed-hosts", "mcp.example.com"]);
    expect(noBearer.code).toBe(2);
    expect(noBearer.stderr).toMatch(
      /^simcel-mcp: single-tenant mode .* bound to 0\.0\.0\.0, which is not loopback: set SIMCEL_MCP_BEARER/,
    );
    const noHosts = await run({ ...env, SIMCEL_MCP_BEARER: "FAKE-shared-secret-000000" }, [
      "--http",
      "--host",
      "0.0.0.0",
    ]);
    expect(noHosts.code).toBe(2);
    expect(noHosts.stderr).toMatch(/pass --allowed-hosts/);
    const hostWithoutHttp = await run(env, ["--host", "127.0.0.1"]);
    expect(hostWithoutHttp.code).toBe(2);
    expect(hostWithoutHttp.stderr).toMatch(/^simcel-mcp: --host needs --http/);
    const badPort = await run(env, ["--http", "--port", "eighty"]);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toMatch(/^simcel-mcp: --port must be a whole number/);
    for (const out of [noBearer.stderr, noHosts.stderr]) expect(out).not.toContain("FAKE");
  });
});

describe("the MCP Inspector's CLI (a real client other than the SDK's)", () => {
  withKey.it(
    "lists the tools and calls one, with the key in a header",
    async () => {
      const inspector = node22Tool("@modelcontextprotocol/inspector", "mcp-inspector");
      const server = await startHttpProcess({ SIMCEL_BASE_URL: proxy.url });
      // the Inspector keeps a catalog under HOME: never the real one
      const home = mkdtempSync(join(tmpdir(), "simcel-inspector-"));
      const inspect = (...args: string[]) =>
        runProcess(
          inspector.node,
          [inspector.script, "--cli", server.url, "--header", `Authorization: Bearer ${BEARER}`, ...args],
          { PATH: process.env.PATH ?? "", HOME: home },
        );
      try {
        const listed = await inspect("--method", "tools/list");
        expect(listed.code, listed.stderr).toBe(0);
        expect((JSON.parse(listed.stdout) as { tools: Array<{ name: string }> }).tools.map((t) => t.name)).toEqual([
          "list_plans",
          "get_pnl_summary",
          "get_demand_forecast",
          "get_sustainability",
          "compare_scenarios",
        ]);
        const { id: planId } = await discoverPlan();
        const called = await inspect(
          "--method",
          "tools/call",
          "--tool-name",
          "get_pnl_summary",
          "--tool-arg",
          `planId=${planId}`,
        );
        expect(called.code, called.stderr).toBe(0);
        const result = JSON.parse(called.stdout) as {
          isError?: boolean;
          structuredContent: { meta: { planId: string } };
        };
        expect(result.isError).toBeFalsy();
        expect(result.structuredContent.meta.planId).toBe(planId);
        expect(called.stdout + listed.stdout).not.toContain(BEARER);
      } finally {
        await server.stop();
        rmSync(home, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
