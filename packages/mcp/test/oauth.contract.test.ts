// A host that speaks only the MCP authorization spec, against the built `simcel-mcp --http` with OAuth on and a
// sandbox as SIMCEL. Two clients no one here wrote drive it: the MCP SDK's own client auth (its transport meets
// the 401, discovers, registers, does PKCE and the code exchange through an OAuthClientProvider), and
// oauth4webapi (discovery, registration, the code grant with `resource`, a refresh, a replay, a revocation). The
// consent page is submitted in headless Chromium by its labels. Whatever the host receives and whatever the
// server logs is searched for the SIMCEL key at the end.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type OAuthClientProvider, UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { OAuthClientInformationMixed, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import * as oauth from "oauth4webapi";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../../packages/sandbox/src/index.js";
import { type LaunchedChromium, launchChromium } from "../../../scripts/test/chromium.js";
import { until } from "../../../scripts/test/rig.js";
import { findLeaks, leakNeedles } from "../../../scripts/test/secret-forms.js";
import { runProcess, serverPath, textOf } from "./helpers.js";
import { connectHttp, type HttpProcess, startHttpProcess } from "./http-helpers.js";
import { TEST_SECRET } from "./oauth-helpers.js";

const KEY = "sk_test_FAKE_oauth_contract_00000";
const WRONG_KEY = "sk_test_FAKE_oauth_contract_wrong0";

let simcel: Sandbox;
let mcp: HttpProcess;
let chromium: LaunchedChromium;
let callbackServer: Server;
let callbackUrl: string;
/** Each redirect back to the host, in order; a waiter for the next. */
const callbacks: URL[] = [];
let nextCallback: ((url: URL) => void) | undefined;
/** Everything the host received or kept: answers, saved tokens and client information, redirect URLs. */
const received: string[] = [];

/** fetch as the host's: every answer that is not an event stream is kept for the leak search. */
const hostFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  if (!response.headers.get("content-type")?.includes("text/event-stream"))
    received.push(await response.clone().text());
  return response;
};

function waitForCallback(): Promise<URL> {
  return new Promise((resolve) => {
    nextCallback = resolve;
  });
}

/** Submits the consent page at `url` with `fill` by its labels, and Allow; returns the page. */
async function allowInBrowser(url: string, fill: (page: Page) => Promise<void>): Promise<Page> {
  const page = await chromium.context.newPage();
  await page.goto(url);
  await fill(page);
  await submit(page, "Allow");
  return page;
}

/** Clicks the page's button `name` and waits for the answer to its form post to be shown. */
async function submit(page: Page, name: string) {
  const answered = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith("/oauth/authorize"));
  await page.getByRole("button", { name }).click();
  await answered;
  await page.waitForLoadState();
  received.push(await page.content());
}

/** Allow with the key, read the scopes shown, Continue: the redirect the host receives. */
async function signInInBrowser(authorizationUrl: string): Promise<URL> {
  const page = await allowInBrowser(authorizationUrl, (p) => p.getByLabel("SIMCEL API key").fill(KEY));
  await expect(page.getByRole("heading", { name: "Signed in to SIMCEL" }).textContent()).resolves.toBeTruthy();
  expect(await page.getByRole("listitem").allTextContents()).toEqual(["insights:read", "plans:read"]);
  const back = waitForCallback();
  await page.getByRole("button", { name: "Continue" }).click();
  const url = await back;
  // not awaited: closing a page whose last navigation (the host's page, its favicon) is still settling can stall
  void page.close().catch(() => {});
  return url;
}

/** An OAuthClientProvider as a host implements one: it keeps what the SDK gives it, and opens the browser on redirect. */
function hostProvider() {
  const kept: { client?: OAuthClientInformationMixed; tokens?: OAuthTokens; verifier?: string; redirect?: URL } = {};
  const provider: OAuthClientProvider = {
    get redirectUrl() {
      return callbackUrl;
    },
    get clientMetadata() {
      return {
        client_name: "SDK contract host",
        redirect_uris: [callbackUrl],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "none",
      };
    },
    state: () => "sdk-state-1",
    clientInformation: () => kept.client,
    saveClientInformation(info) {
      kept.client = info;
      received.push(JSON.stringify(info));
    },
    tokens: () => kept.tokens,
    saveTokens(tokens) {
      kept.tokens = tokens;
      received.push(JSON.stringify(tokens));
    },
    redirectToAuthorization(url) {
      kept.redirect = url;
      received.push(url.href);
    },
    saveCodeVerifier(verifier) {
      kept.verifier = verifier;
    },
    codeVerifier: () => kept.verifier as string,
  };
  return { provider, kept };
}

beforeAll(async () => {
  simcel = await startSandbox({ record: true });
  simcel.createApiKey({ key: KEY });
  callbackServer = createServer((req, res) => {
    const url = new URL(req.url ?? "/", callbackUrl);
    // the browser also asks for /favicon.ico: only the redirect itself counts
    if (url.pathname !== "/callback") return void res.writeHead(404).end();
    callbacks.push(url);
    received.push(url.href);
    const waiter = nextCallback;
    nextCallback = undefined;
    waiter?.(url);
    res.writeHead(200, { "content-type": "text/plain" }).end("You can close this window.");
  });
  await new Promise<void>((done) => callbackServer.listen(0, "127.0.0.1", done));
  callbackUrl = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/callback`;
  [mcp, chromium] = await Promise.all([
    startHttpProcess({ SIMCEL_BASE_URL: simcel.url, SIMCEL_MCP_SECRET: TEST_SECRET, SIMCEL_LOG: "debug" }),
    launchChromium(),
  ]);
  // a step that hangs fails with its own message, not the test's timeout
  chromium.context.setDefaultTimeout(10_000);
});

afterAll(async () => {
  await chromium?.close();
  await mcp?.stop();
  callbackServer?.closeAllConnections();
  await new Promise((done) => callbackServer?.close(done));
  await simcel?.close();
  // the key reached SIMCEL (the sandbox) and nothing else: not the host, not a log line
  const needles = leakNeedles({ KEY, WRONG_KEY });
  for (const text of [...received, mcp.stderr()]) expect(findLeaks(text, needles), text.slice(0, 300)).toEqual([]);
});

describe("the MCP SDK's client auth against simcel-mcp --http with OAuth", () => {
  it("prints where it listens and, on its own line, the URL hosts connect to", async () => {
    expect(mcp.stderr()).toMatch(/^simcel-mcp: listening on http:\/\/127\.0\.0\.1:\d+\/mcp$/m);
    await until(() => mcp.stderr().includes(`simcel-mcp: OAuth on; hosts connect to ${mcp.url}\n`));
  });

  it("discovers, registers, signs in on the page (by its labels, in Chromium), exchanges the code and lists plans", async () => {
    const { provider, kept } = hostProvider();
    const options = { authProvider: provider, fetch: hostFetch };
    const first = new StreamableHTTPClientTransport(new URL(mcp.url), options);
    await expect(new Client({ name: "host", version: "0" }).connect(first)).rejects.toThrow(UnauthorizedError);
    expect(kept.client?.client_id).toMatch(/^mcp_client_/);
    const authorizationUrl = kept.redirect as URL;
    expect(authorizationUrl.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorizationUrl.searchParams.get("resource")).toBe(mcp.url);

    const back = await signInInBrowser(authorizationUrl.href);
    expect(back.searchParams.get("state")).toBe("sdk-state-1");
    await first.finishAuth(back.searchParams.get("code") as string);
    expect(kept.tokens?.access_token).toMatch(/^mcp_at_/);

    const client = new Client({ name: "host", version: "0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcp.url), options));
    try {
      const tools = (await client.listTools()).tools.map((t) => t.name);
      expect(tools).toContain("list_plans");
      const result = await client.callTool({ name: "list_plans", arguments: {} });
      received.push(JSON.stringify(result));
      expect(result.isError).toBeFalsy();
      expect(textOf(result as { content?: unknown })).toContain(simcel.plans[0]?.id as string);
    } finally {
      await client.close();
    }
  });

  it("refuses a wrong SIMCEL key on the page with SIMCEL's reason and no code, and asks SIMCEL once only", async () => {
    const { provider, kept } = hostProvider();
    const transport = new StreamableHTTPClientTransport(new URL(mcp.url), { authProvider: provider, fetch: hostFetch });
    await expect(new Client({ name: "host", version: "0" }).connect(transport)).rejects.toThrow(UnauthorizedError);
    const before = { token: simcel.counts.token, callbacks: callbacks.length };
    const page = await allowInBrowser((kept.redirect as URL).href, (p) =>
      p.getByLabel("SIMCEL API key").fill(WRONG_KEY),
    );
    await expect(page.getByRole("alert").textContent()).resolves.toMatch(/SIMCEL refused this API key \(HTTP 401\)/);
    expect(simcel.counts.token).toBe(before.token + 1);
    await page.getByLabel("SIMCEL API key").fill(WRONG_KEY);
    await submit(page, "Allow");
    await expect(page.getByRole("alert").textContent()).resolves.toMatch(/SIMCEL refused this API key/);
    void page.close().catch(() => {});
    expect(simcel.counts.token).toBe(before.token + 1);
    expect(callbacks.length).toBe(before.callbacks);
  });
});

describe("start-up", () => {
  it("refuses a weak SIMCEL_MCP_SECRET, OAuth off loopback without --public-url, and --public-url without OAuth (exit 2)", async () => {
    const run = (env: Record<string, string>, args: string[]) =>
      runProcess(process.execPath, [serverPath, "--http", ...args], {
        PATH: process.env.PATH ?? "",
        SIMCEL_BASE_URL: simcel.url,
        ...env,
      });
    const weak = await run({ SIMCEL_MCP_SECRET: "FAKEpassword1234" }, []);
    expect(weak.code).toBe(2);
    expect(weak.stderr).toMatch(/^simcel-mcp: SIMCEL_MCP_SECRET is too weak to seal SIMCEL credentials/);
    expect(weak.stderr).not.toContain("FAKEpassword1234");
    const open = await run({ SIMCEL_MCP_SECRET: TEST_SECRET }, [
      "--host",
      "0.0.0.0",
      "--allowed-hosts",
      "mcp.example.com",
    ]);
    expect(open.code).toBe(2);
    expect(open.stderr).toMatch(/needs --public-url https:/);
    const off = await run({}, ["--public-url", "https://mcp.example.com"]);
    expect(off.code).toBe(2);
    expect(off.stderr).toMatch(/set SIMCEL_MCP_SECRET/);
  });
});

describe("oauth4webapi against simcel-mcp --http", () => {
  const insecure = { [oauth.allowInsecureRequests]: true } as const;

  it("does discovery, registration, the code grant with resource, a refresh, a refused replay and a revocation", async () => {
    const resource = new URL(mcp.url);
    const rs = await oauth.processResourceDiscoveryResponse(
      resource,
      await oauth.resourceDiscoveryRequest(resource, insecure),
    );
    const issuer = new URL(rs.authorization_servers?.[0] as string);
    const as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { ...insecure, algorithm: "oauth2" }),
    );
    const registered = await oauth.processDynamicClientRegistrationResponse(
      await oauth.dynamicClientRegistrationRequest(
        as,
        { client_name: "oauth4webapi host", redirect_uris: [callbackUrl], token_endpoint_auth_method: "none" },
        insecure,
      ),
    );
    const client: oauth.Client = { client_id: registered.client_id };
    const none = oauth.None();
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const authorize = new URL(as.authorization_endpoint as string);
    for (const [name, value] of Object.entries({
      client_id: client.client_id,
      redirect_uri: callbackUrl,
      response_type: "code",
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
      resource: mcp.url,
      scope: "insights:read plans:read",
    }))
      authorize.searchParams.set(name, value);

    const back = await signInInBrowser(authorize.href);
    const params = oauth.validateAuthResponse(as, client, back, state);
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, none, params, callbackUrl, verifier, {
        ...insecure,
        additionalParameters: { resource: mcp.url },
      }),
    );
    received.push(JSON.stringify(tokens));
    expect(tokens.token_type).toBe("bearer");
    expect(tokens.expires_in).toBe(3600);

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, none, tokens.refresh_token as string, insecure),
    );
    received.push(JSON.stringify(refreshed));
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    const connection = await connectHttp(mcp.url, { bearer: refreshed.access_token });
    try {
      expect((await connection.client.callTool({ name: "list_plans", arguments: {} })).isError).toBeFalsy();
    } finally {
      await connection.close();
    }

    // the spent refresh token again: refused, and the grant it belonged to is gone with it
    const replay = oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, none, tokens.refresh_token as string, insecure),
    );
    await expect(replay).rejects.toMatchObject({ error: "invalid_grant" });
    await expect(connectHttp(mcp.url, { bearer: refreshed.access_token })).rejects.toThrow();

    // revocation of a fresh grant's token (RFC 7009)
    const again = await signInInBrowser(authorize.href.replace(`state=${state}`, "state=s2"));
    const second = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(
        as,
        client,
        none,
        oauth.validateAuthResponse(as, client, again, "s2"),
        callbackUrl,
        verifier,
        insecure,
      ),
    );
    received.push(JSON.stringify(second));
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, none, second.access_token, insecure),
    );
    await expect(connectHttp(mcp.url, { bearer: second.access_token })).rejects.toThrow();
  });
});
