// The authorization server alone, on loopback node:http, with a sandbox as SIMCEL: every step of the flow a
// host takes, and each refusal a host or an attacker can meet. The sandbox counts token requests, so "no SIMCEL
// request" is a number; a file store shows what a reader of the shared store would see.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFileTokenStore } from "@simcel/auth/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../../packages/sandbox/src/index.js";
import { createOAuthServer, OAuthConfigError } from "../src/oauth/oauth-server.js";
import { authorizeWithKey, CALLBACK, flowDriver, getWithHost, pkcePair, startOAuth } from "./oauth-helpers.js";

const KEY = "sk_test_FAKE_oauth_alpha_00000000";
const WRONG_KEY = "sk_test_FAKE_oauth_wrong_00000000";

let simcel: Sandbox;
let server: Awaited<ReturnType<typeof startOAuth>>;
let storeDir: string;
const tokenRequests = () => simcel.counts.token;
/** A clock that stands still: the registration caps count per window, and a window must not end mid-test. */
const FIXED_NOW = Date.now();

beforeAll(async () => {
  simcel = await startSandbox({ record: true });
  simcel.createApiKey({ key: KEY });
  storeDir = mkdtempSync(join(tmpdir(), "simcel-oauth-store-"));
  server = await startOAuth({
    simcelBaseUrl: simcel.url,
    store: createFileTokenStore({ dir: join(storeDir, "s") }),
    registration: { perMinute: 1000 },
  });
});
afterAll(async () => {
  await server?.close();
  await simcel?.close();
  rmSync(storeDir, { recursive: true, force: true });
});

describe("discovery", () => {
  it("serves the protected-resource metadata at the path form and the root form, naming this server", async () => {
    for (const path of ["/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"]) {
      const body = await (await fetch(`${server.origin}${path}`)).json();
      expect(body).toMatchObject({ resource: `${server.origin}/mcp`, authorization_servers: [server.origin] });
    }
  });
  it("serves the authorization-server metadata: S256 only, registration and revocation endpoints, the scopes", async () => {
    const body = await (await fetch(`${server.origin}/.well-known/oauth-authorization-server`)).json();
    expect(body).toMatchObject({
      issuer: server.origin,
      code_challenge_methods_supported: ["S256"],
      registration_endpoint: `${server.origin}/oauth/register`,
      revocation_endpoint: `${server.origin}/oauth/revoke`,
      scopes_supported: ["insights:read", "plans:read"],
    });
  });
  it("refuses a foreign Host on the metadata and on the page (DNS rebinding)", async () => {
    for (const path of [
      "/.well-known/oauth-protected-resource/mcp",
      "/.well-known/oauth-authorization-server",
      "/oauth/authorize",
    ]) {
      const answer = await getWithHost(`${server.origin}${path}`, "evil.example");
      expect(answer.status, path).toBe(403);
      expect(answer.body).not.toContain("authorization_servers");
      expect(answer.body).not.toContain("SIMCEL API key");
    }
  });
});

describe("registration", () => {
  it("takes https and loopback-http redirect URIs and refuses others", async () => {
    const flow = flowDriver(server.origin);
    expect(
      (await flow.register(["https://host.example/cb", "http://localhost:3000/cb", "http://[::1]:1/cb"])).status,
    ).toBe(201);
    for (const uri of ["http://host.example/cb", "myapp://cb", "https://host.example/cb#frag", "javascript:alert(1)"])
      expect((await flow.register([uri])).body.error, uri).toBe("invalid_redirect_uri");
  });
  it("caps registrations per minute, store-wide", async () => {
    const small = await startOAuth({ simcelBaseUrl: simcel.url, registration: { perMinute: 3 }, now: () => FIXED_NOW });
    try {
      const flow = flowDriver(small.origin);
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await flow.register()).status);
      expect(statuses).toEqual([201, 201, 201, 429, 429]);
    } finally {
      await small.close();
    }
  });
  it("caps registrations in number over their lifetime", async () => {
    const small = await startOAuth({
      simcelBaseUrl: simcel.url,
      registration: { perLifetime: 2 },
      now: () => FIXED_NOW,
    });
    try {
      const flow = flowDriver(small.origin);
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await flow.register()).status);
      expect(statuses).toEqual([201, 201, 429]);
    } finally {
      await small.close();
    }
  });
});

describe("the authorization page", () => {
  it("shows the labelled fields, the buttons, the host's name escaped, and a strict CSP", async () => {
    const flow = flowDriver(server.origin);
    const { body } = await flow.register([CALLBACK], '<script>alert("x")</script> Evil');
    const page = await flow.open(body.client_id as string, pkcePair().challenge);
    expect(page.res.status).toBe(200);
    expect(page.html).toContain(">SIMCEL API key</label>");
    expect(page.html).toContain(">Client ID</label>");
    expect(page.html).toContain(">Client secret</label>");
    expect(page.html).toMatch(/<button[^>]*>Allow<\/button>/);
    expect(page.html).toMatch(/<button[^>]*>Deny<\/button>/);
    expect(page.html).not.toContain("<script");
    expect(page.html).toContain("&#60;script&#62;");
    const csp = page.res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src/);
    expect(page.res.headers.get("referrer-policy")).toBe("same-origin");
    expect(page.cookie).toMatch(/^simcel_oauth_csrf=/);
    expect(page.res.headers.get("set-cookie")).toMatch(/HttpOnly; SameSite=Strict/);
  });

  it("signs in with the key, shows the scopes its token carries, then redirects with a code and the state", async () => {
    const { allowed, back } = await authorizeWithKey(server.origin, KEY);
    expect(allowed.res.status).toBe(200);
    expect(allowed.html).toContain("<code>insights:read</code>");
    expect(allowed.html).toContain("<code>plans:read</code>");
    expect(allowed.html).not.toContain(KEY);
    expect(back.res.status).toBe(303);
    const location = new URL(back.location);
    expect(location.origin + location.pathname).toBe(CALLBACK);
    expect(location.searchParams.get("state")).toBe("st-1");
    expect(location.searchParams.get("iss")).toBe(server.origin);
    expect(location.searchParams.get("code")).toMatch(/^mcp_ac_/);
  });

  it("signs in with client credentials too", async () => {
    const { clientId, clientSecret } = simcel.createClient({ scopes: ["plans:read"] });
    const flow = flowDriver(server.origin);
    const { body } = await flow.register();
    const page = await flow.open(body.client_id as string, pkcePair().challenge);
    const allowed = await flow.post(page, {
      decision: "allow",
      simcel_client_id: clientId,
      simcel_client_secret: clientSecret,
    });
    expect(allowed.res.status).toBe(200);
    expect(allowed.html).toContain("<code>plans:read</code>");
    expect(allowed.html).not.toContain(clientSecret);
  });

  it("refuses a wrong key with SIMCEL's reason and no code, and asks SIMCEL nothing when it is typed again", async () => {
    const flow = flowDriver(server.origin);
    const { body } = await flow.register();
    const page = await flow.open(body.client_id as string, pkcePair().challenge);
    const before = tokenRequests();
    const refused = await flow.post(page, { decision: "allow", api_key: WRONG_KEY });
    expect(refused.res.status).toBe(400);
    expect(refused.html).toMatch(/SIMCEL refused this API key \(HTTP 401\)/);
    expect(refused.html).not.toContain(WRONG_KEY);
    expect(refused.location).toBe("");
    expect(tokenRequests()).toBe(before + 1);
    const again = await flow.post(page, { decision: "allow", api_key: WRONG_KEY });
    expect(again.html).toMatch(/SIMCEL refused this API key/);
    const cont = await flow.post(page, { decision: "continue" });
    expect(cont.res.status).toBe(400);
    expect(cont.location).toBe("");
    expect(tokenRequests()).toBe(before + 1);
  });

  it("spends a page after five refused credentials, so it is no oracle for guessing keys", async () => {
    const flow = flowDriver(server.origin);
    const { body } = await flow.register();
    const page = await flow.open(body.client_id as string, pkcePair().challenge);
    const statuses = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await flow.post(page, { decision: "allow", api_key: WRONG_KEY })).html.includes("Too many"));
    expect(statuses).toEqual([false, false, false, false, true]);
    const after = await flow.post(page, { decision: "allow", api_key: KEY });
    expect(after.html).toContain("This sign-in expired");
  });

  it("refuses a form post without the CSRF token, without the cookie, or from another origin, before any SIMCEL request", async () => {
    const flow = flowDriver(server.origin);
    const { body } = await flow.register();
    const page = await flow.open(body.client_id as string, pkcePair().challenge);
    const before = tokenRequests();
    const noToken = await flow.post({ ...page, csrf: "" }, { decision: "allow", api_key: KEY });
    const noCookie = await flow.post({ ...page, cookie: "" }, { decision: "allow", api_key: KEY });
    const foreign = await flow.post(page, { decision: "allow", api_key: KEY }, { origin: "https://evil.example" });
    for (const answer of [noToken, noCookie, foreign]) {
      expect(answer.res.status).toBe(403);
      expect(answer.location).toBe("");
    }
    expect(tokenRequests()).toBe(before);
  });

  it("refuses PKCE plain and a missing challenge back to the host, and a redirect URI off the registration on the page", async () => {
    const flow = flowDriver(server.origin);
    const { body } = await flow.register();
    const clientId = body.client_id as string;
    const { challenge } = pkcePair();
    for (const params of [
      { code_challenge_method: "plain" },
      { code_challenge: undefined },
      { code_challenge_method: undefined },
    ]) {
      const page = await flow.open(clientId, challenge, params);
      expect(page.res.status).toBe(303);
      expect(new URL(page.res.headers.get("location") ?? "").searchParams.get("error")).toBe("invalid_request");
    }
    const off = await flow.open(clientId, challenge, { redirect_uri: "http://127.0.0.1:9/other" });
    expect(off.res.status).toBe(400);
    expect(off.res.headers.get("location")).toBeNull();
    expect(off.html).toContain("redirect_uri is not one this host registered");
    const otherResource = await flow.open(clientId, challenge, { resource: "https://other.example/mcp" });
    expect(new URL(otherResource.res.headers.get("location") ?? "").searchParams.get("error")).toBe("invalid_target");
  });

  it("sends the host back with access_denied on Deny", async () => {
    const flow = flowDriver(server.origin);
    const { body } = await flow.register();
    const page = await flow.open(body.client_id as string, pkcePair().challenge);
    const denied = await flow.post(page, { decision: "deny" });
    expect(denied.res.status).toBe(303);
    expect(new URL(denied.location).searchParams.get("error")).toBe("access_denied");
  });
});

describe("codes and tokens", () => {
  it("exchanges a code once, with the verifier, for an opaque access token and a refresh token", async () => {
    const { flow, clientId, verifier, code } = await authorizeWithKey(server.origin, KEY);
    const exchange = { grant_type: "authorization_code", code, client_id: clientId, redirect_uri: CALLBACK };
    expect((await flow.token({ ...exchange })).body.error).toBe("invalid_request");
    // the missing verifier spent nothing? It did not reach the code: a good exchange still works
    const good = await flow.token({ ...exchange, code_verifier: verifier, resource: `${server.origin}/mcp` });
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "insights:read plans:read" });
    expect(good.body.access_token).toMatch(/^mcp_at_[\w-]{43}$/);
    const verified = await server.oauth.verify(good.body.access_token as string);
    expect(verified?.credential).toEqual({ kind: "apiKey", apiKey: KEY });
    // used twice: refused, and the grant the first use made is revoked
    const twice = await flow.token({ ...exchange, code_verifier: verifier });
    expect(twice.body.error).toBe("invalid_grant");
    expect(await server.oauth.verify(good.body.access_token as string)).toBeUndefined();
  });

  it("refuses a code older than 60 s", async () => {
    let clock = Date.now();
    const timed = await startOAuth({ simcelBaseUrl: simcel.url, now: () => clock });
    try {
      const { flow, clientId, verifier, code } = await authorizeWithKey(timed.origin, KEY);
      clock += 61_000;
      const late = await flow.token({
        grant_type: "authorization_code",
        code,
        client_id: clientId,
        redirect_uri: CALLBACK,
        code_verifier: verifier,
      });
      expect(late.body.error).toBe("invalid_grant");
      expect(late.body.error_description).toMatch(/expired/);
    } finally {
      await timed.close();
    }
  });

  it("refuses a wrong verifier, another redirect URI and another resource", async () => {
    for (const [change, error] of [
      [{ code_verifier: pkcePair().verifier }, "invalid_grant"],
      [{ redirect_uri: "http://127.0.0.1:9/other" }, "invalid_grant"],
      [{ resource: "https://other.example/mcp" }, "invalid_target"],
    ] as [Record<string, string>, string][]) {
      const { flow, clientId, verifier, code } = await authorizeWithKey(server.origin, KEY);
      const good = {
        grant_type: "authorization_code",
        code,
        client_id: clientId,
        redirect_uri: CALLBACK,
        code_verifier: verifier,
      };
      const answer = await flow.token({ ...good, ...change });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toBe(error);
      expect(answer.body.access_token).toBeUndefined();
    }
  });

  it("does not take a token issued for another resource, even from the same store and secret", async () => {
    const other = await startOAuth({
      simcelBaseUrl: simcel.url,
      store: createFileTokenStore({ dir: join(storeDir, "s") }),
    });
    try {
      const { flow, clientId, verifier, code } = await authorizeWithKey(other.origin, KEY);
      const { body } = await flow.token({
        grant_type: "authorization_code",
        code,
        client_id: clientId,
        redirect_uri: CALLBACK,
        code_verifier: verifier,
      });
      expect(await other.oauth.verify(body.access_token as string)).toBeDefined();
      expect(await server.oauth.verify(body.access_token as string)).toBeUndefined();
    } finally {
      await other.close();
    }
  });

  it("rotates refresh tokens, and a replayed one revokes the grant", async () => {
    const { flow, clientId, verifier, code } = await authorizeWithKey(server.origin, KEY);
    const first = (
      await flow.token({
        grant_type: "authorization_code",
        code,
        client_id: clientId,
        redirect_uri: CALLBACK,
        code_verifier: verifier,
      })
    ).body;
    const second = await flow.token({
      grant_type: "refresh_token",
      refresh_token: first.refresh_token as string,
      client_id: clientId,
    });
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(await server.oauth.verify(second.body.access_token as string)).toBeDefined();
    const replay = await flow.token({
      grant_type: "refresh_token",
      refresh_token: first.refresh_token as string,
      client_id: clientId,
    });
    expect(replay.body.error).toBe("invalid_grant");
    expect(await server.oauth.verify(second.body.access_token as string)).toBeUndefined();
    const after = await flow.token({
      grant_type: "refresh_token",
      refresh_token: second.body.refresh_token as string,
      client_id: clientId,
    });
    expect(after.body.error).toBe("invalid_grant");
  });

  it("revokes a grant by its access token or its refresh token (RFC 7009), and answers 200 for unknown tokens", async () => {
    for (const which of ["access_token", "refresh_token"] as const) {
      const { flow, clientId, verifier, code } = await authorizeWithKey(server.origin, KEY);
      const tokens = (
        await flow.token({
          grant_type: "authorization_code",
          code,
          client_id: clientId,
          redirect_uri: CALLBACK,
          code_verifier: verifier,
        })
      ).body;
      expect(await flow.revoke({ token: tokens[which] as string, client_id: clientId })).toBe(200);
      expect(await server.oauth.verify(tokens.access_token as string)).toBeUndefined();
      const refresh = await flow.token({
        grant_type: "refresh_token",
        refresh_token: tokens.refresh_token as string,
        client_id: clientId,
      });
      expect(refresh.body.error).toBe("invalid_grant");
    }
    expect(await flowDriver(server.origin).revoke({ token: "mcp_at_unknown" })).toBe(200);
  });

  it("keeps only sealed values under keyed names in the store: no key, token or code in plain text", async () => {
    const { flow, clientId, verifier, code } = await authorizeWithKey(server.origin, KEY);
    const tokens = (
      await flow.token({
        grant_type: "authorization_code",
        code,
        client_id: clientId,
        redirect_uri: CALLBACK,
        code_verifier: verifier,
      })
    ).body;
    const dir = join(storeDir, "s");
    const everything = readdirSync(dir)
      .map((f) => f + readFileSync(join(dir, f), "utf8"))
      .join("\n");
    expect(everything.length).toBeGreaterThan(1000);
    for (const secret of [KEY, tokens.access_token, tokens.refresh_token, code, clientId, "sk_test_"])
      expect(everything).not.toContain(secret);
  });
});

describe("start-up", () => {
  it("refuses a weak SIMCEL_MCP_SECRET and a public URL that is plain http off loopback or has a path", () => {
    const make =
      (secret: string, publicUrl = "https://mcp.example.com") =>
      () =>
        createOAuthServer({ secret, publicUrl, simcelBaseUrl: simcel.url });
    for (const weak of ["", "short", "a".repeat(64), "abcdefgh".repeat(8), "0123456789abcdef0123456789abcdef"])
      expect(make(weak), weak).toThrow(OAuthConfigError);
    expect(make("Zq3v9LxR2mT8pK4wN7cY1bH6dF5gJ0sA-_e")).not.toThrow();
    expect(make("Zq3v9LxR2mT8pK4wN7cY1bH6dF5gJ0sA-_e", "http://mcp.example.com")).toThrow(/https/);
    expect(make("Zq3v9LxR2mT8pK4wN7cY1bH6dF5gJ0sA-_e", "https://mcp.example.com/sub")).toThrow(/origin only/);
  });
});
