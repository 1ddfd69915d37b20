// Test-side helpers for the OAuth authorization server: the server alone on a loopback node:http listener,
// and a hand-driven flow with fetch (register, the authorization page, the form posts with the page's cookie,
// the token endpoint) for the steps a real host would never take wrongly.
import { createHash, randomBytes } from "node:crypto";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { createOAuthServer, type OAuthServer, type OAuthServerOptions } from "../src/oauth/oauth-server.js";

export const TEST_SECRET = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz";
export const CALLBACK = "http://127.0.0.1:9/callback";

/** The OAuth server alone, on a free loopback port; `publicUrl` is its own address unless given. */
export async function startOAuth(
  options: Omit<OAuthServerOptions, "publicUrl" | "secret"> & { secret?: string; publicUrl?: string },
) {
  let oauth: OAuthServer | undefined;
  const http = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (!oauth?.owns(path)) {
      res.writeHead(404).end();
      return;
    }
    oauth.handle(req, res).catch(() => {});
  });
  await new Promise<void>((done) => http.listen(0, "127.0.0.1", done));
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  oauth = createOAuthServer({ secret: TEST_SECRET, ...options, publicUrl: options.publicUrl ?? origin });
  return {
    origin,
    oauth,
    close: () =>
      new Promise<void>((done) => {
        http.closeAllConnections();
        http.close(() => done());
      }),
  };
}

/** A GET with any Host header (fetch will not send a foreign one). */
export function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      let body = "";
      res.on("data", (c) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

export function pkcePair() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export const form = (fields: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});

/** One authorization flow driven by hand: each step returns what the server answered. */
export function flowDriver(origin: string) {
  return {
    async register(redirectUris: string[] = [CALLBACK], name = "Test host") {
      const res = await fetch(`${origin}/oauth/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ client_name: name, redirect_uris: redirectUris }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    /** GETs the page; `params` override the good defaults (undefined removes one). */
    async open(clientId: string, challenge: string, params: Record<string, string | undefined> = {}) {
      const query = new URLSearchParams();
      const all: Record<string, string | undefined> = {
        response_type: "code",
        client_id: clientId,
        redirect_uri: CALLBACK,
        code_challenge: challenge,
        code_challenge_method: "S256",
        state: "st-1",
        ...params,
      };
      for (const [k, v] of Object.entries(all)) if (v !== undefined) query.set(k, v);
      const res = await fetch(`${origin}/oauth/authorize?${query}`, { redirect: "manual" });
      const html = await res.text();
      const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? "";
      const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
      return { res, html, request: field("request"), csrf: field("csrf"), cookie };
    },
    /** Posts the page's form with `fields` (and the page's cookie unless `cookie` is given). */
    async post(
      page: { request: string; csrf: string; cookie: string },
      fields: Record<string, string>,
      headers: Record<string, string> = {},
    ) {
      const init = form({ request: page.request, csrf: page.csrf, ...fields });
      const res = await fetch(`${origin}/oauth/authorize`, {
        ...init,
        redirect: "manual",
        headers: { ...init.headers, cookie: page.cookie, origin, ...headers },
      });
      return { res, html: await res.text(), location: res.headers.get("location") ?? "" };
    },
    async token(fields: Record<string, string>) {
      const res = await fetch(`${origin}/oauth/token`, form(fields));
      return { status: res.status, body: (await res.json()) as Record<string, string> };
    },
    async revoke(fields: Record<string, string>) {
      const res = await fetch(`${origin}/oauth/revoke`, form(fields));
      return res.status;
    },
  };
}

/** Register, open, allow with `apiKey`, continue: the code, the client and the verifier. */
export async function authorizeWithKey(origin: string, apiKey: string) {
  const flow = flowDriver(origin);
  const { body: client } = await flow.register();
  const { verifier, challenge } = pkcePair();
  const page = await flow.open(client.client_id as string, challenge);
  const allowed = await flow.post(page, { decision: "allow", api_key: apiKey });
  const back = await flow.post(page, { decision: "continue" });
  const code = new URL(back.location).searchParams.get("code") ?? "";
  return { flow, clientId: client.client_id as string, verifier, code, allowed, back };
}
