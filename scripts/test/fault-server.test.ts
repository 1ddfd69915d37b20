// Self-tests of the fault server: its default answers are what the spec says, it checks bearers, counts
// what it sees, and each fault does what its name promises — so a matrix case that fails is the SDK's doing.
import { afterEach, describe, expect, it } from "vitest";
import { createSpecAjv, listOperations, loadSpec, validateResponse } from "../spec-tools.mjs";
import { type FaultServer, startFaultServer } from "./fault-server.js";
import { basicCredentials, findLeaks, leakNeedles, secretForms } from "./secret-forms.js";

const doc = loadSpec();
const ajv = createSpecAjv(doc);
const operations = listOperations(doc);
const pathOf = (id: string) => operations.find((o) => o.operationId === id)?.path as string;

let server: FaultServer;
afterEach(async () => {
  await server?.close();
});

async function signIn(s: FaultServer): Promise<string> {
  const response = await fetch(`${s.url}${pathOf("exchangeApiKey")}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ apiKey: s.secrets.apiKey }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

const get = (s: FaultServer, id: string, token?: string, query = "", init: RequestInit = {}) =>
  fetch(`${s.url}${pathOf(id)}${query}`, { ...init, headers: token ? { authorization: `Bearer ${token}` } : {} });

describe("fault server defaults", () => {
  it("answers every route with the spec's example, valid against the spec's schema", async () => {
    server = await startFaultServer();
    const token = await signIn(server);
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: server.secrets.clientId,
      client_secret: server.secrets.clientSecret,
    });
    const oauth = await fetch(`${server.url}${pathOf("issueClientCredentialsToken")}`, { method: "POST", body: form });
    expect(oauth.status).toBe(200);
    expect(validateResponse(doc, ajv, "issueClientCredentialsToken", 200, await oauth.json())).toEqual([]);
    const queries: Record<string, string> = {
      listPlans: "",
      getPnlSummary: "?planId=plan_9xKz2&interval=M",
      getDemandForecast: "?planId=plan_9xKz2&groupBy=region",
      getSustainability: "?planId=plan_9xKz2",
    };
    for (const [id, query] of Object.entries(queries)) {
      const response = await get(server, id, token, query);
      expect(response.status, id).toBe(200);
      const body = await response.json();
      expect(validateResponse(doc, ajv, id, 200, body), id).toEqual([]);
      // one of the spec's own examples, not a body of ours
      expect(
        Object.values(operations.find((o) => o.operationId === id)?.responses[200]?.examples ?? {}),
      ).toContainEqual(body);
    }
    // the monthly example for interval=M, the grouped one for groupBy
    const monthly = (await (await get(server, "getPnlSummary", token, "?planId=p&interval=M")).json()) as {
      meta: { interval: string };
    };
    expect(monthly.meta.interval).toBe("M");
    expect(server.stats).toMatchObject({ tokenRequests: 2, apiRequests: 5, tokensIssued: 2 });
  });

  it("issues distinct JWT-shaped bearer tokens carrying FAKE, with the configured lifetime", async () => {
    server = await startFaultServer({ tokenLifetimeS: 2 });
    const [a, b] = [await signIn(server), await signIn(server)];
    for (const t of [a, b]) {
      expect(t).toMatch(/^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+$/);
      expect(t).toContain("FAKE");
      const claims = JSON.parse(Buffer.from(t.split(".")[1] as string, "base64url").toString());
      expect(claims.exp - claims.iat).toBe(2);
      // the readable claims hold no marker: `simcel token` may print them
      expect(JSON.stringify(claims)).not.toContain("FAKE");
    }
    expect(a).not.toBe(b);
    expect(server.issuedTokens).toEqual([a, b]);
  });

  it("answers 401 (the spec's body) to no, unknown, revoked and expired bearers, and to wrong credentials", async () => {
    server = await startFaultServer({ tokenLifetimeS: 0.3 });
    const token = await signIn(server);
    expect((await get(server, "listPlans", token)).status).toBe(200);
    const unauthorized = operations.find((o) => o.operationId === "listPlans")?.responses[401]?.examples.missing;
    const none = await get(server, "listPlans");
    expect([none.status, await none.json()]).toEqual([401, unauthorized]);
    expect((await get(server, "listPlans", `${token}x`)).status).toBe(401);
    await new Promise((r) => setTimeout(r, 400));
    expect((await get(server, "listPlans", token)).status).toBe(401);
    const fresh = await signIn(server);
    expect(server.revokeTokens()).toBe(2);
    expect((await get(server, "listPlans", fresh)).status).toBe(401);
    const wrongKey = await fetch(`${server.url}${pathOf("exchangeApiKey")}`, {
      method: "POST",
      body: JSON.stringify({ apiKey: "sk_test_FAKE_wrong" }),
    });
    expect(wrongKey.status).toBe(401);
    const wrongSecret = await fetch(`${server.url}${pathOf("issueClientCredentialsToken")}`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: server.secrets.clientId,
        client_secret: "x",
      }),
    });
    expect(wrongSecret.status).toBe(401);
  });

  it("records each request's route, headers (Authorization included) and token bodies", async () => {
    server = await startFaultServer();
    const token = await signIn(server);
    await get(server, "listPlans", token);
    expect(server.requests.map((r) => [r.seq, r.route, r.method, r.status])).toEqual([
      [1, "exchangeApiKey", "POST", 200],
      [2, "listPlans", "GET", 200],
    ]);
    expect(server.requests[0]?.body).toBe(JSON.stringify({ apiKey: server.secrets.apiKey }));
    expect(server.requests[1]?.headers.authorization).toBe(`Bearer ${token}`);
  });
});

describe("faults", () => {
  it("status: the spec's error body for the route, with the headers asked for", async () => {
    server = await startFaultServer();
    server.inject("token", { kind: "status", status: 429, headers: { "retry-after": "7" } });
    const response = await fetch(`${server.url}${pathOf("exchangeApiKey")}`, { method: "POST", body: "{}" });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("7");
    expect(validateResponse(doc, ajv, "exchangeApiKey", 429, await response.json())).toEqual([]);
  });

  it("oauthError, text and json bodies are sent as given", async () => {
    server = await startFaultServer();
    server.inject(
      "issueClientCredentialsToken",
      { kind: "oauthError", status: 401, error: "invalid_client", description: "bad" },
      { times: 1 },
    );
    server.inject(
      "token",
      { kind: "text", status: 200, contentType: "text/html", body: "<html>hi</html>" },
      { times: 1 },
    );
    server.inject("listPlans", { kind: "json", body: null });
    const oauth = await fetch(`${server.url}${pathOf("issueClientCredentialsToken")}`, { method: "POST", body: "" });
    expect([oauth.status, await oauth.json()]).toEqual([401, { error: "invalid_client", error_description: "bad" }]);
    const html = await fetch(`${server.url}${pathOf("exchangeApiKey")}`, { method: "POST", body: "" });
    expect([html.headers.get("content-type"), await html.text()]).toEqual(["text/html", "<html>hi</html>"]);
    const plans = await get(server, "listPlans");
    expect([plans.status, await plans.text()]).toEqual([200, "null"]);
  });

  it("tokenBody issues a real token but replaces the fields asked for", async () => {
    server = await startFaultServer();
    server.inject("token", { kind: "tokenBody", patch: { expiresIn: 1e13, tokenType: null } });
    const response = await fetch(`${server.url}${pathOf("exchangeApiKey")}`, {
      method: "POST",
      body: JSON.stringify({ apiKey: server.secrets.apiKey }),
    });
    const body = (await response.json()) as { accessToken: string };
    expect(body).toMatchObject({ expiresIn: 1e13, tokenType: null });
    expect((await get(server, "listPlans", body.accessToken)).status).toBe(200);
  });

  it("hang never answers; the client's abort is counted", async () => {
    server = await startFaultServer();
    server.inject("listPlans", { kind: "hang" });
    await expect(get(server, "listPlans", undefined, "", { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    await server.until(() => server.stats.clientAborts === 1);
    expect(server.inFlight).toBe(0);
  });

  it("reset destroys the connection before any header", async () => {
    server = await startFaultServer();
    server.inject("listPlans", { kind: "reset" });
    await expect(get(server, "listPlans")).rejects.toThrow(TypeError);
    expect(server.stats.clientAborts).toBe(0);
  });

  it("resetMidBody sends 200 headers and half the body, then resets", async () => {
    server = await startFaultServer();
    const token = await signIn(server);
    server.inject("any", { kind: "resetMidBody" });
    for (const response of [
      await get(server, "listPlans", token),
      await fetch(`${server.url}${pathOf("exchangeApiKey")}`, { method: "POST", body: "{}" }),
    ]) {
      expect(response.status).toBe(200);
      await expect(response.text()).rejects.toThrow();
    }
  });

  it("resetMidBody with a status cuts the spec's error body", async () => {
    server = await startFaultServer();
    server.inject("listPlans", { kind: "resetMidBody", status: 404 });
    const response = await get(server, "listPlans");
    expect(response.status).toBe(404);
    await expect(response.text()).rejects.toThrow();
  });

  it("huge streams the bytes asked for, and stops when the client goes away", async () => {
    server = await startFaultServer();
    server.inject("listPlans", { kind: "huge", bytes: 50 * 1024 * 1024 });
    const response = await get(server, "listPlans");
    expect(response.headers.get("content-length")).toBe(String(50 * 1024 * 1024));
    const reader = response.body?.getReader();
    let read = 0;
    while (read < 1024 * 1024) read += (await reader?.read())?.value?.length ?? 0;
    await reader?.cancel();
    await server.until(() => server.stats.clientAborts === 1);
    expect(server.stats.maxBodyBytesSent).toBeLessThan(50 * 1024 * 1024);
  });

  it("redirects to /moved on the same origin (served like the path) or to the other origin", async () => {
    server = await startFaultServer();
    const token = await signIn(server);
    server.inject("listPlans", { kind: "redirect", to: "same-origin" }, { times: 1 });
    server.inject("listPlans", { kind: "redirect", status: 307, to: "other-origin" }, { times: 1 });
    const same = await get(server, "listPlans", token, "", { redirect: "manual" });
    expect([same.status, same.headers.get("location")]).toEqual([302, `${server.url}/moved${pathOf("listPlans")}`]);
    expect((await get(server, "listPlans", token, "", { redirect: "follow" })).status).toBe(200);
    expect(server.other.requests).toEqual([expect.objectContaining({ route: "listPlans", path: pathOf("listPlans") })]);
    // Node's fetch drops Authorization on a cross-origin redirect: the other origin saw no bearer
    expect(server.other.requests[0]?.headers.authorization).toBeUndefined();
    expect(server.stats.byRoute.listPlans).toBe(2);
  });

  it("echo puts what the request carried into the message, in the form asked for", async () => {
    server = await startFaultServer();
    const token = await signIn(server);
    const { clientId, clientSecret } = server.secrets;
    server.inject("issueClientCredentialsToken", { kind: "echo", status: 400, text: (r) => `cannot parse ${r.body}` });
    server.inject("listPlans", { kind: "echo", status: 401, raw: true, text: (r) => `token ${r.token} is not valid` });
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: clientSecret,
    });
    const echoed = (await (
      await fetch(`${server.url}${pathOf("issueClientCredentialsToken")}`, { method: "POST", body: form })
    ).json()) as { message: string };
    expect(echoed.message).toContain(`client_secret=${secretForms(clientSecret).form}`);
    const raw = await get(server, "listPlans", token);
    expect([raw.headers.get("content-type"), await raw.text()]).toEqual(["text/plain", `token ${token} is not valid`]);
  });
});

describe("fault modes", () => {
  it("times N answers the next N requests, then the route is healthy again", async () => {
    server = await startFaultServer();
    server.inject("listPlans", { kind: "status", status: 503 }, { times: 2 });
    const token = await signIn(server);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(server, "listPlans", token)).status);
    expect(statuses).toEqual([503, 503, 200]);
  });

  it("faults apply to the routes selected only", async () => {
    server = await startFaultServer();
    server.inject("api", { kind: "status", status: 500 });
    const token = await signIn(server);
    expect((await get(server, "getSustainability", token, "?planId=p")).status).toBe(500);
    server.clear();
    server.inject("getPnlSummary", { kind: "status", status: 404 });
    expect((await get(server, "listPlans", token)).status).toBe(200);
    expect((await get(server, "getPnlSummary", token, "?planId=p")).status).toBe(404);
  });

  it("probability p faults about p of the requests, the same ones for the same seed", async () => {
    const run = async () => {
      const s = await startFaultServer({ seed: 42, record: false });
      s.inject("listPlans", { kind: "status", status: 500 }, { probability: 0.3 });
      const token = await signIn(s);
      const statuses = [];
      for (let i = 0; i < 200; i++) statuses.push((await get(s, "listPlans", token)).status);
      await s.close();
      return statuses;
    };
    const [a, b] = [await run(), await run()];
    expect(a).toEqual(b);
    const failed = a.filter((s) => s === 500).length;
    expect(failed).toBeGreaterThan(30);
    expect(failed).toBeLessThan(90);
  });

  it("hold keeps answers until released and checks the bearer after (401 mid-session)", async () => {
    server = await startFaultServer();
    const token = await signIn(server);
    const release = server.hold("api");
    const pending = Array.from({ length: 50 }, () => get(server, "listPlans", token));
    await server.until(() => server.stats.apiRequests === 50);
    expect(server.inFlight).toBe(50);
    server.revokeTokens();
    release();
    const statuses = (await Promise.all(pending)).map((r) => r.status);
    expect(new Set(statuses)).toEqual(new Set([401]));
    // released for good: a new request is answered at once
    expect((await get(server, "listPlans", await signIn(server))).status).toBe(200);
  });

  it("latency delays answers by the time asked for", async () => {
    server = await startFaultServer();
    const token = await signIn(server);
    server.setLatency("listPlans", 150);
    const started = performance.now();
    await get(server, "listPlans", token);
    // a lower bound only: a loaded machine may be slower, never faster
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe("secret forms", () => {
  it("lists raw, %20, +, JSON-escaped and base64 forms, and finds each (and a cut part) in a text", () => {
    const secret = 'FAKE_x+y/z "q\\ 9f==';
    const forms = secretForms(secret);
    expect(forms).toMatchObject({
      raw: secret,
      percent: "FAKE_x%2By%2Fz%20%22q%5C%209f%3D%3D",
      form: "FAKE_x%2By%2Fz+%22q%5C+9f%3D%3D",
      json: 'FAKE_x+y/z \\"q\\\\ 9f==',
      base64: Buffer.from(secret).toString("base64"),
    });
    const needles = leakNeedles({ secret });
    expect(findLeaks("nothing here", needles)).toEqual([]);
    for (const form of ["percent", "form", "json", "base64"] as const)
      expect(findLeaks(`x ${forms[form]} y`, needles).length, form).toBeGreaterThan(0);
    expect(
      findLeaks(`Basic ${basicCredentials("id", secret)}`, leakNeedles({ basic: basicCredentials("id", secret) })),
    ).not.toEqual([]);
    // a secret cut after 16 characters is still found
    expect(findLeaks(`${forms.base64?.slice(0, 16)}…`, needles)).not.toEqual([]);
  });
});

describe("close", () => {
  it("leaves no handle behind, even with a request hanging and an answer held by latency", async () => {
    const before = process.getActiveResourcesInfo().length;
    server = await startFaultServer();
    server.inject("listPlans", { kind: "hang" });
    server.setLatency("getSustainability", 60_000);
    const hanging = get(server, "listPlans").catch((e) => e);
    const held = get(server, "getSustainability").catch((e) => e);
    await server.until(() => server.inFlight === 2);
    await server.close();
    expect(await hanging).toBeInstanceOf(TypeError);
    expect(await held).toBeInstanceOf(TypeError);
    await server.until(() => process.getActiveResourcesInfo().length <= before, 2_000).catch(() => {});
    expect(process.getActiveResourcesInfo().length).toBeLessThanOrEqual(before);
    expect(server.stats.clientAborts).toBe(0);
  });
});
