// OAuth mounted in simcel-mcp --http (multi-tenant, SIMCEL_MCP_SECRET set), in process, with a sandbox as
// SIMCEL: a 401 names the resource metadata, an access token from the flow opens an MCP session that lists
// plans, a revoked one is refused with no SIMCEL request, and the modes that were there keep working.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../../packages/sandbox/src/index.js";
import { findLeaks, leakNeedles } from "../../../scripts/test/secret-forms.js";
import { type SimcelMcpHttpOptions, type SimcelMcpHttpServer, startSimcelMcpHttpServer } from "../src/http.js";
import { textOf } from "./helpers.js";
import { connectHttp, postWithHeaders, rawPost } from "./http-helpers.js";
import { authorizeWithKey, CALLBACK, TEST_SECRET } from "./oauth-helpers.js";

const KEY = "sk_test_FAKE_http_oauth_alpha_000";
let simcel: Sandbox;
let server: SimcelMcpHttpServer;
let origin: string;
const logLines: string[] = [];
const seen: string[] = [];
/** Every code and token the flows got: none may reach a log line. */
const issued: string[] = [];
const logger = Object.fromEntries(
  (["debug", "info", "warn", "error"] as const).map((level) => [
    level,
    (message: string, fields?: Record<string, unknown>) =>
      logLines.push(`${level} ${message} ${JSON.stringify(fields)}`),
  ]),
);
const start = (options: Partial<SimcelMcpHttpOptions> = {}) =>
  startSimcelMcpHttpServer({
    env: { SIMCEL_BASE_URL: simcel.url, SIMCEL_MCP_SECRET: TEST_SECRET },
    version: "0.0.0-test",
    port: 0,
    logger,
    ...options,
  });

/** The flow by hand, then the code exchanged: the host's tokens. */
async function tokensFor(apiKey: string) {
  const { flow, clientId, verifier, code } = await authorizeWithKey(origin, apiKey);
  const { body } = await flow.token({
    grant_type: "authorization_code",
    code,
    client_id: clientId,
    redirect_uri: CALLBACK,
    code_verifier: verifier,
  });
  seen.push(JSON.stringify(body));
  issued.push(String(body.access_token), String(body.refresh_token), code);
  return { accessToken: String(body.access_token), clientId, flow };
}

beforeAll(async () => {
  simcel = await startSandbox({ record: true });
  simcel.createApiKey({ key: KEY });
  server = await start();
  origin = new URL(server.url).origin;
});
afterAll(async () => {
  await server?.close();
  await simcel?.close();
  const needles = leakNeedles({ KEY });
  for (const text of [...logLines, ...seen]) expect(findLeaks(text, needles), text).toEqual([]);
  const log = logLines.join("\n");
  expect(log).toContain("OAuth grant made");
  expect(log).toContain("OAuth grant revoked");
  for (const secret of issued) expect(log).not.toContain(secret);
});

describe("simcel-mcp --http with OAuth", () => {
  it("answers a bearer-less request with 401 naming the protected-resource metadata", async () => {
    const answer = await rawPost(server.url);
    seen.push(JSON.stringify(answer));
    expect(answer.status).toBe(401);
    expect(answer.headers["www-authenticate"]).toBe(
      `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp", scope="insights:read plans:read"`,
    );
    expect(answer.text).not.toContain(simcel.url);
    expect(server.publicUrl).toBe(`${origin}/mcp`);
  });

  it("opens a session with an access token from the flow and lists plans as the signed-in key", async () => {
    const tokens = await tokensFor(KEY);
    const { client, close } = await connectHttp(server.url, { bearer: tokens.accessToken });
    try {
      const result = await client.callTool({ name: "list_plans", arguments: {} });
      seen.push(JSON.stringify(result));
      expect(result.isError).toBeFalsy();
      expect(textOf(result as { content?: unknown })).toContain(simcel.plans[0]?.id as string);
    } finally {
      await close();
    }
  });

  it("refuses a revoked access token with 401 invalid_token and no SIMCEL request", async () => {
    const tokens = await tokensFor(KEY);
    expect(await tokens.flow.revoke({ token: tokens.accessToken, client_id: tokens.clientId })).toBe(200);
    const before = simcel.counts.token + simcel.counts.api;
    const answer = await rawPost(server.url, { authorization: `Bearer ${tokens.accessToken}` });
    expect(answer.status).toBe(401);
    expect(answer.headers["www-authenticate"]).toContain('error="invalid_token"');
    expect(answer.headers["www-authenticate"]).toContain("resource_metadata=");
    expect(simcel.counts.token + simcel.counts.api).toBe(before);
  });

  it("keeps taking an API key as the bearer, and refusing a raw SIMCEL JWT", async () => {
    const { client, close } = await connectHttp(server.url, { bearer: KEY });
    try {
      expect((await client.callTool({ name: "list_plans", arguments: {} })).isError).toBeFalsy();
    } finally {
      await close();
    }
    const jwt = simcel.issuedTokens.at(-1) as string;
    const answer = await rawPost(server.url, { authorization: `Bearer ${jwt}` });
    expect(answer.status).toBe(401);
  });

  it("refuses to start with a weak secret, off loopback without --public-url, or in single-tenant mode", async () => {
    const env = { SIMCEL_BASE_URL: simcel.url };
    await expect(start({ env: { ...env, SIMCEL_MCP_SECRET: "hunter2hunter2" } })).rejects.toThrow(/too weak/);
    await expect(
      start({ env: { ...env, SIMCEL_MCP_SECRET: TEST_SECRET }, host: "0.0.0.0", allowedHosts: ["mcp.example.com"] }),
    ).rejects.toThrow(/--public-url/);
    await expect(start({ env: { ...env, SIMCEL_MCP_SECRET: TEST_SECRET, SIMCEL_API_KEY: KEY } })).rejects.toThrow(
      /multi-tenant/,
    );
    await expect(start({ env, publicUrl: "https://mcp.example.com" })).rejects.toThrow(/SIMCEL_MCP_SECRET/);
    await expect(start({ publicUrl: "http://mcp.example.com" })).rejects.toThrow(/https/);
  });

  it("serves OAuth under --public-url: the issuer and resource are the public origin, and its host is allowed", async () => {
    const behind = await start({ publicUrl: "https://mcp.example.com" });
    try {
      expect(behind.publicUrl).toBe("https://mcp.example.com/mcp");
      expect(behind.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
      const { getWithHost } = await import("./oauth-helpers.js");
      const prm = await getWithHost(
        `${new URL(behind.url).origin}/.well-known/oauth-protected-resource/mcp`,
        "mcp.example.com",
      );
      // the MCP endpoint takes the public host name too: a bearer-less request gets the 401 that starts discovery
      const mcp = await postWithHeaders(behind.url, { host: "mcp.example.com" });
      expect(mcp.status).toBe(401);
      expect(JSON.parse(prm.body)).toMatchObject({
        resource: "https://mcp.example.com/mcp",
        authorization_servers: ["https://mcp.example.com"],
      });
    } finally {
      await behind.close();
    }
  });

  it("is off without SIMCEL_MCP_SECRET: no metadata, and the 401 says nothing of OAuth", async () => {
    const plain = await start({ env: { SIMCEL_BASE_URL: simcel.url } });
    try {
      const root = new URL(plain.url).origin;
      expect((await fetch(`${root}/.well-known/oauth-protected-resource/mcp`)).status).toBe(404);
      expect((await rawPost(plain.url)).headers["www-authenticate"]).not.toContain("resource_metadata");
      expect(plain.publicUrl).toBeUndefined();
    } finally {
      await plain.close();
    }
  });
});
