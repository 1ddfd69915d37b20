// A connector host against two `simcel-mcp --http --stateless` replicas with OAuth on, sharing Redis and the secret,
// behind a round-robin balancer with no affinity whose origin is their --public-url. The MCP SDK's client auth walks
// discovery, registration, the page (in Chromium) and the code exchange with each request landing on either
// replica, then lists plans; one replica is killed and the next calls are served by the other with the same token.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type OAuthClientProvider, UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { OAuthClientInformationMixed, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../../packages/sandbox/src/index.js";
import { type RunningRedis, startRedis } from "../../../scripts/redis.mjs";
import { type RoundRobinProxy, startRoundRobinProxy } from "../../../scripts/round-robin-proxy.mjs";
import { type LaunchedChromium, launchChromium } from "../../../scripts/test/chromium.js";
import { type HttpProcess, startHttpProcess } from "./http-helpers.js";
import { TEST_SECRET } from "./oauth-helpers.js";

const KEY = "sk_test_FAKE_oauth_fleet_key_0000";

let simcel: Sandbox;
let redis: RunningRedis;
let balancer: RoundRobinProxy;
let replicas: HttpProcess[] = [];
let chromium: LaunchedChromium;
let callback: Server;
let callbackUrl: string;
let onCallback: ((url: URL) => void) | undefined;

beforeAll(async () => {
  [simcel, redis, chromium] = await Promise.all([startSandbox(), startRedis(), launchChromium()]);
  chromium.context.setDefaultTimeout(10_000);
  simcel.createApiKey({ key: KEY });
  callback = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname === "/callback") onCallback?.(url);
    res.writeHead(url.pathname === "/callback" ? 200 : 404).end();
  });
  await new Promise<void>((done) => callback.listen(0, "127.0.0.1", done));
  callbackUrl = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback`;
  // the balancer first, so that its origin can be the replicas' public URL; its targets are filled in after
  const targets: string[] = [];
  balancer = await startRoundRobinProxy(targets);
  const env = { SIMCEL_BASE_URL: simcel.url, SIMCEL_TOKEN_STORE: redis.url, SIMCEL_MCP_SECRET: TEST_SECRET };
  replicas = await Promise.all([1, 2].map(() => startHttpProcess(env, ["--stateless", "--public-url", balancer.url])));
  targets.push(...replicas.map((r) => new URL(r.url).origin));
  balancer.served.push(0, 0);
}, 30_000);
afterAll(async () => {
  await chromium?.close();
  await balancer?.close();
  await Promise.allSettled(replicas.map((r) => r.stop()));
  callback?.closeAllConnections();
  await new Promise((done) => callback?.close(done));
  await Promise.allSettled([simcel?.close(), redis?.stop()]);
});

describe("OAuth on two stateless replicas behind a round-robin balancer", () => {
  it("signs a host in across both, serves it with one token from either, and survives one replica's death", async () => {
    const kept: { client?: OAuthClientInformationMixed; tokens?: OAuthTokens; verifier?: string; redirect?: URL } = {};
    const provider: OAuthClientProvider = {
      redirectUrl: callbackUrl,
      clientMetadata: { client_name: "fleet host", redirect_uris: [callbackUrl], token_endpoint_auth_method: "none" },
      clientInformation: () => kept.client,
      saveClientInformation: (info) => {
        kept.client = info;
      },
      tokens: () => kept.tokens,
      saveTokens: (tokens) => {
        kept.tokens = tokens;
      },
      redirectToAuthorization: (url) => {
        kept.redirect = url;
      },
      saveCodeVerifier: (verifier) => {
        kept.verifier = verifier;
      },
      codeVerifier: () => kept.verifier as string,
    };
    const mcpUrl = new URL(`${balancer.url}/mcp`);
    const first = new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider });
    await expect(new Client({ name: "fleet", version: "0" }).connect(first)).rejects.toThrow(UnauthorizedError);

    const page = await chromium.context.newPage();
    await page.goto((kept.redirect as URL).href);
    await page.getByLabel("SIMCEL API key").fill(KEY);
    await page.getByRole("button", { name: "Allow" }).click();
    await page.getByRole("heading", { name: "Signed in to SIMCEL" }).waitFor();
    const back = new Promise<URL>((resolve) => {
      onCallback = resolve;
    });
    await page.getByRole("button", { name: "Continue" }).click();
    const code = (await back).searchParams.get("code") as string;
    void page.close().catch(() => {});
    await first.finishAuth(code);

    const client = new Client({ name: "fleet", version: "0" });
    await client.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider }));
    for (let i = 0; i < 4; i++)
      expect((await client.callTool({ name: "list_plans", arguments: {} })).isError).toBeFalsy();
    expect(balancer.served.every((n) => n > 0)).toBe(true);
    await replicas[0]?.stop();
    for (let i = 0; i < 3; i++)
      expect((await client.callTool({ name: "list_plans", arguments: {} })).isError).toBeFalsy();
    await client.close();
  });
});
