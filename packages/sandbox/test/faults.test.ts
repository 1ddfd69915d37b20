// The sandbox's faults on the wire (raw fetch, so what is checked is the sandbox, not a client): every answer
// is valid against the spec by default, tokens are checked, requests counted and recorded, and each fault and
// drift does what its name promises — so a fault-matrix row that fails is the SDK's doing, not the rig's.
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { createSpecAjv, listOperations, loadSpec, validateResponse } from "../../../scripts/spec-tools.mjs";
import { RIG_SECRETS, until } from "../../../scripts/test/rig.js";
import { type Sandbox, type SandboxOptions, SimcelSandboxError, startSandbox } from "../src/index.js";

const doc = loadSpec();
const ajv = createSpecAjv(doc);
const operations = listOperations(doc);
const pathOf = (id: string) => operations.find((o) => o.operationId === id)?.path as string;

let server: Sandbox | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: SandboxOptions = {}) {
  server = await startSandbox({ record: true, ...options });
  const apiKey = server.createApiKey();
  const client = server.createClient({ clientId: RIG_SECRETS.clientId, clientSecret: RIG_SECRETS.clientSecret });
  return { s: server, apiKey, ...client, planId: server.plans[0]!.id };
}

const exchange = (s: Sandbox, apiKey: string) =>
  fetch(`${s.url}${pathOf("exchangeApiKey")}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ apiKey }),
  });
async function signIn(s: Sandbox, apiKey: string): Promise<string> {
  const response = await exchange(s, apiKey);
  expect(response.status).toBe(200);
  return ((await response.json()) as { accessToken: string }).accessToken;
}
const get = (s: Sandbox, id: string, token?: string, query = "", init: RequestInit = {}) =>
  fetch(`${s.url}${pathOf(id)}${query}`, { ...init, headers: token ? { authorization: `Bearer ${token}` } : {} });

describe("defaults", () => {
  it("answers every operation with a body valid against the spec's schema, and counts each request", async () => {
    const { s, apiKey, clientId, clientSecret, planId } = await start();
    const token = await signIn(s, apiKey);
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: clientSecret,
    });
    const oauth = await fetch(`${s.url}${pathOf("issueClientCredentialsToken")}`, { method: "POST", body: form });
    expect(oauth.status).toBe(200);
    expect(validateResponse(doc, ajv, "issueClientCredentialsToken", 200, await oauth.json())).toEqual([]);
    const queries: Record<string, string> = {
      listPlans: "",
      getPnlSummary: `?planId=${planId}&interval=M`,
      getDemandForecast: `?planId=${planId}&groupBy=region`,
      getSustainability: `?planId=${planId}`,
    };
    for (const [id, query] of Object.entries(queries)) {
      const response = await get(s, id, token, query);
      expect(response.status, id).toBe(200);
      expect(response.headers.get("x-request-id")).toMatch(/^req_/);
      expect(validateResponse(doc, ajv, id, 200, await response.json()), id).toEqual([]);
    }
    const monthly = (await (await get(s, "getPnlSummary", token, `?planId=${planId}&interval=M`)).json()) as {
      meta: { interval: string };
    };
    expect(monthly.meta.interval).toBe("M");
    expect(s.counts).toMatchObject({ token: 2, api: 5, tokensIssued: 2, faults: 0 });
  });

  it("issues distinct JWT-shaped bearer tokens carrying FAKE outside their readable claims", async () => {
    const { s, apiKey } = await start({ tokenLifetimeS: 2 });
    const [a, b] = [await signIn(s, apiKey), await signIn(s, apiKey)];
    for (const t of [a, b]) {
      expect(t).toMatch(/^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+$/);
      expect(t).toContain("FAKE");
      const claims = JSON.parse(Buffer.from(t.split(".")[1] as string, "base64url").toString());
      expect(claims.exp - claims.iat).toBe(2);
      // the readable claims hold no marker: `simcel token` may print them
      expect(JSON.stringify(claims)).not.toContain("FAKE");
    }
    expect(a).not.toBe(b);
    expect(s.issuedTokens).toEqual([a, b]);
  });

  it("answers 401 (the spec's body) to no, unknown, revoked and expired bearers, and to wrong credentials", async () => {
    let clock = Date.parse("2025-07-01T00:00:00Z");
    const { s, apiKey, clientId } = await start({ tokenLifetimeS: 0.3, now: () => clock });
    const token = await signIn(s, apiKey);
    expect((await get(s, "listPlans", token)).status).toBe(200);
    const unauthorized = operations.find((o) => o.operationId === "listPlans")?.responses[401]?.examples.missing;
    const none = await get(s, "listPlans");
    expect([none.status, await none.json()]).toEqual([401, unauthorized]);
    expect((await get(s, "listPlans", `${token}x`)).status).toBe(401);
    clock += 400;
    expect((await get(s, "listPlans", token)).status).toBe(401);
    const fresh = await signIn(s, apiKey);
    expect(s.revokeTokens()).toBe(2);
    expect((await get(s, "listPlans", fresh)).status).toBe(401);
    expect((await exchange(s, "sk_test_FAKE_wrong")).status).toBe(401);
    const wrongSecret = await fetch(`${s.url}${pathOf("issueClientCredentialsToken")}`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: "x" }),
    });
    expect(wrongSecret.status).toBe(401);
    // a revoked key signs in no more, and its tokens stop working
    const key = s.createApiKey();
    const kept = await signIn(s, key);
    expect(s.revokeApiKey(key)).toBe(true);
    expect((await exchange(s, key)).status).toBe(401);
    expect((await get(s, "listPlans", kept)).status).toBe(401);
  });

  it("records each request's operation, headers (Authorization included) and body", async () => {
    const { s, apiKey } = await start();
    const token = await signIn(s, apiKey);
    await get(s, "listPlans", token);
    expect(s.requests.map((r) => [r.seq, r.operation, r.method, r.status])).toEqual([
      [1, "exchangeApiKey", "POST", 200],
      [2, "listPlans", "GET", 200],
    ]);
    expect(s.requests[0]?.body).toBe(JSON.stringify({ apiKey }));
    expect(s.requests[1]?.headers.authorization).toBe(`Bearer ${token}`);
  });

  it("without record: true it keeps no log (a long-running sandbox does not grow)", async () => {
    server = await startSandbox();
    const apiKey = server.createApiKey();
    await signIn(server, apiKey);
    expect([server.requests, server.issuedTokens]).toEqual([[], []]);
  });

  it("shows nothing it recorded in util.inspect or JSON: its URL and seed only", async () => {
    const { s, apiKey } = await start();
    const token = await signIn(s, apiKey);
    for (const text of [inspect(s, { depth: Infinity, showHidden: true }), JSON.stringify(s), String(s)]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(apiKey);
    }
    expect(JSON.parse(JSON.stringify(s))).toEqual({ url: s.url, seed: 1 });
  });
});

describe("faults", () => {
  it("status: the spec's error body for the operation and status, Retry-After and headers as asked", async () => {
    const { s } = await start();
    s.fail({ operation: "token", status: 429, retryAfterS: 7 });
    const response = await fetch(`${s.url}${pathOf("exchangeApiKey")}`, { method: "POST", body: "{}" });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("7");
    expect(validateResponse(doc, ajv, "exchangeApiKey", 429, await response.json())).toEqual([]);
    s.clearFaults();
    s.fail({
      operation: "listPlans",
      kind: "status",
      status: 503,
      message: "down for maintenance",
      headers: { "x-why": "test" },
    });
    const down = await get(s, "listPlans");
    expect([down.status, down.headers.get("x-why"), await down.json()]).toEqual([
      503,
      "test",
      { statusCode: 503, error: "Service Unavailable", message: "down for maintenance" },
    ]);
  });

  it("oauthError, text and json bodies are sent as given (any JSON: names with control characters too)", async () => {
    const { s } = await start();
    s.fail({
      operation: "issueClientCredentialsToken",
      kind: "oauthError",
      status: 401,
      error: "invalid_client",
      description: "bad",
      times: 1,
    });
    s.fail({
      operation: "token",
      kind: "text",
      status: 200,
      contentType: "text/html",
      body: "<html>hi</html>",
      times: 1,
    });
    s.fail({ operation: "listPlans", kind: "json", body: null, times: 1 });
    const hostile = { plans: [{ id: "plan_x", name: "Q3\u001b[31m\u202eplan\u0007", currency: "USD", scenarios: [] }] };
    s.fail({ operation: "listPlans", kind: "json", body: hostile, times: 1 });
    const oauth = await fetch(`${s.url}${pathOf("issueClientCredentialsToken")}`, { method: "POST", body: "" });
    expect([oauth.status, await oauth.json()]).toEqual([401, { error: "invalid_client", error_description: "bad" }]);
    const html = await fetch(`${s.url}${pathOf("exchangeApiKey")}`, { method: "POST", body: "" });
    expect([html.headers.get("content-type"), await html.text()]).toEqual(["text/html", "<html>hi</html>"]);
    const plans = await get(s, "listPlans");
    expect([plans.status, await plans.text()]).toEqual([200, "null"]);
    expect(await (await get(s, "listPlans")).json()).toEqual(hostile);
  });

  it("tokenBody issues a real token but replaces the fields asked for", async () => {
    const { s, apiKey } = await start();
    s.fail({ operation: "token", kind: "tokenBody", patch: { expiresIn: 1e13, tokenType: null } });
    const body = (await (await exchange(s, apiKey)).json()) as { accessToken: string };
    expect(body).toMatchObject({ expiresIn: 1e13, tokenType: null });
    expect((await get(s, "listPlans", body.accessToken)).status).toBe(200);
  });

  it("hang never answers; the client's abort is counted", async () => {
    const { s } = await start();
    s.fail({ operation: "listPlans", kind: "hang" });
    await expect(get(s, "listPlans", undefined, "", { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    await until(() => s.counts.clientAborts === 1);
    expect(s.counts.inFlight).toBe(0);
  });

  it("reset destroys the connection before any header", async () => {
    const { s } = await start();
    s.fail({ operation: "listPlans", kind: "reset" });
    await expect(get(s, "listPlans")).rejects.toThrow(TypeError);
    expect(s.counts.clientAborts).toBe(0);
  });

  it("resetMidBody sends the normal answer's headers and half its body, then resets", async () => {
    const { s, apiKey } = await start();
    const token = await signIn(s, apiKey);
    s.fail({ kind: "resetMidBody" });
    for (const response of [await get(s, "listPlans", token), await exchange(s, apiKey)]) {
      expect(response.status).toBe(200);
      await expect(response.text()).rejects.toThrow();
    }
  });

  it("resetMidBody with a status cuts the spec's error body", async () => {
    const { s } = await start();
    s.fail({ operation: "listPlans", kind: "resetMidBody", status: 404 });
    const response = await get(s, "listPlans");
    expect(response.status).toBe(404);
    await expect(response.text()).rejects.toThrow();
  });

  it("huge streams the bytes asked for, and stops when the client goes away", async () => {
    const { s } = await start();
    s.fail({ operation: "listPlans", kind: "huge", bytes: 50 * 1024 * 1024 });
    const response = await get(s, "listPlans");
    expect(response.headers.get("content-length")).toBe(String(50 * 1024 * 1024));
    const reader = response.body?.getReader();
    let read = 0;
    while (read < 1024 * 1024) read += (await reader?.read())?.value?.length ?? 0;
    await reader?.cancel();
    await until(() => s.counts.clientAborts === 1);
    expect(s.counts.maxBodyBytes).toBeLessThan(50 * 1024 * 1024);
  });

  it("slowBody trickles the normal answer: whole in the end, and slower than its delays", async () => {
    const { s, apiKey } = await start();
    const token = await signIn(s, apiKey);
    s.fail({ operation: "listPlans", kind: "slowBody", delayMs: 20, chunkBytes: 256 });
    const started = performance.now();
    const response = await get(s, "listPlans", token);
    const body = await response.json();
    expect(body).toEqual({ plans: s.plans });
    const chunks = Math.ceil(JSON.stringify(body).length / 256);
    // a lower bound only: a loaded machine may be slower, never faster
    expect(performance.now() - started).toBeGreaterThanOrEqual((chunks - 1) * 20 - 5);
  });

  it("redirects to /moved on the same origin (served like the path) or to the other origin", async () => {
    const { s, apiKey } = await start();
    const token = await signIn(s, apiKey);
    s.fail({ operation: "listPlans", kind: "redirect", to: "same-origin", times: 1 });
    s.fail({ operation: "listPlans", kind: "redirect", status: 307, to: "other-origin", times: 1 });
    const same = await get(s, "listPlans", token, "", { redirect: "manual" });
    expect([same.status, same.headers.get("location")]).toEqual([302, `${s.url}/moved${pathOf("listPlans")}`]);
    expect((await get(s, "listPlans", token, "", { redirect: "follow" })).status).toBe(200);
    expect(s.otherOrigin.requests).toEqual([
      expect.objectContaining({ operation: "listPlans", path: pathOf("listPlans") }),
    ]);
    // Node's fetch drops Authorization on a cross-origin redirect: the other origin saw no bearer
    expect(s.otherOrigin.requests[0]?.headers.authorization).toBeUndefined();
    expect(s.counts.byOperation.listPlans).toBe(2);
  });

  it("echo puts what the request carried into the message, in the form asked for", async () => {
    const { s, apiKey, clientId, clientSecret } = await start();
    const token = await signIn(s, apiKey);
    s.fail({
      operation: "issueClientCredentialsToken",
      kind: "echo",
      status: 400,
      text: (r) => `cannot parse ${r.body}`,
    });
    s.fail({
      operation: "listPlans",
      kind: "echo",
      status: 401,
      raw: true,
      text: (r) => `token ${r.token} of ${r.apiKey}`,
    });
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: clientSecret,
    });
    const echoed = (await (
      await fetch(`${s.url}${pathOf("issueClientCredentialsToken")}`, { method: "POST", body: form })
    ).json()) as { message: string };
    expect(echoed.message).toContain(`client_secret=${new URLSearchParams({ v: clientSecret }).toString().slice(2)}`);
    const raw = await get(s, "listPlans", token);
    expect([raw.headers.get("content-type"), await raw.text()]).toEqual(["text/plain", `token ${token} of ${apiKey}`]);
  });
});

describe("drifts", () => {
  // biome-ignore lint/suspicious/noExplicitAny: bodies as sent, off the spec on purpose
  async function body(s: Sandbox, token: string, id: string, query = ""): Promise<any> {
    return await (await get(s, id, token, query)).json();
  }

  it("each drift changes exactly its one thing, on its operations", async () => {
    const { s, apiKey, planId } = await start();
    const token = await signIn(s, apiKey);
    const clean = {
      plans: await body(s, token, "listPlans"),
      pnl: await body(s, token, "getPnlSummary", `?planId=${planId}&interval=M`),
      demand: await body(s, token, "getDemandForecast", `?planId=${planId}`),
      co2: await body(s, token, "getSustainability", `?planId=${planId}`),
    };
    const drifted = async (drift: Parameters<Sandbox["fail"]>[0] & { kind: "drift" }) => {
      const handle = s.fail({ ...drift, times: 1 });
      const out = {
        plans: await body(s, token, "listPlans"),
        pnl: await body(s, token, "getPnlSummary", `?planId=${planId}&interval=M`),
        demand: await body(s, token, "getDemandForecast", `?planId=${planId}`),
        co2: await body(s, token, "getSustainability", `?planId=${planId}`),
      };
      handle.remove();
      return out;
    };
    const extra = await drifted({ kind: "drift", drift: "extraField" });
    expect(extra.plans).toEqual({ plans: clean.plans.plans.map((p: object) => ({ ...p, owner: "planning-team" })) });
    expect(extra.pnl).toEqual(clean.pnl);
    const flag = await drifted({ kind: "drift", drift: "unknownFlag" });
    expect(JSON.stringify(flag.plans)).toContain('"flags":["archived"]');
    const color = await drifted({ kind: "drift", drift: "colorName", operation: "getPnlSummary" });
    expect(color.pnl.scenarios[0]).toMatchObject({ scenarioColor: "blue" });
    expect(color.demand).toEqual(clean.demand);
    const fill = await drifted({ kind: "drift", drift: "fillRateString" });
    expect(typeof fill.demand.scenarios[0].series[0].fillRate).toBe("string");
    const month = await drifted({ kind: "drift", drift: "periodAsMonth" });
    expect(Object.keys(month.pnl.scenarios[0].series[0])[0]).toBe("month");
    const total = await drifted({ kind: "drift", drift: "co2TotalMissing" });
    expect(total.co2.scenarios[0].summary).not.toHaveProperty("totalCO2");
    s.fail({ kind: "drift", drift: "planIdDot" });
    const dotted = (await body(s, token, "listPlans")).plans[0] as { id: string };
    expect(dotted.id).toBe(planId.replace("_", "."));
    const read = await body(s, token, "getPnlSummary", `?planId=${dotted.id}`);
    expect(read.meta).toMatchObject({ planId: dotted.id });
    s.clearFaults();
    s.fail({ kind: "drift", drift: "tokenSnakeCase" });
    expect(Object.keys(await (await exchange(s, apiKey)).json()).sort()).toEqual([
      "access_token",
      "expires_in",
      "token_type",
    ]);
  });

  it("several drifts apply to one answer at once, each counted as a fault", async () => {
    const { s, apiKey } = await start();
    const token = await signIn(s, apiKey);
    s.fail({ kind: "drift", drift: "extraField" });
    s.fail({ kind: "drift", drift: "unknownFlag" });
    const { plans } = (await body(s, token, "listPlans")) as {
      plans: { owner?: string; scenarios: { flags: string[] }[] }[];
    };
    expect(plans[0]?.owner).toBe("planning-team");
    expect(plans[0]?.scenarios.some((x) => x.flags[0] === "archived")).toBe(true);
    expect(s.requests.at(-1)?.faults).toEqual(["drift", "drift"]);
  });
});

describe("modes and scope", () => {
  it("times N answers the next N requests, then the operation is healthy again; the handle counts", async () => {
    const { s, apiKey } = await start();
    const handle = s.fail({ operation: "listPlans", status: 503, times: 2 });
    const token = await signIn(s, apiKey);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(s, "listPlans", token)).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect([handle.hits, handle.remaining]).toEqual([2, 0]);
  });

  it("faults apply to the operations selected only; remove() uninstalls one", async () => {
    const { s, apiKey, planId } = await start();
    const api = s.fail({ operation: "api", status: 500 });
    const token = await signIn(s, apiKey);
    expect((await get(s, "getSustainability", token, `?planId=${planId}`)).status).toBe(500);
    api.remove();
    s.fail({ operation: "getPnlSummary", status: 404 });
    expect((await get(s, "listPlans", token)).status).toBe(200);
    expect((await get(s, "getPnlSummary", token, `?planId=${planId}`)).status).toBe(404);
  });

  it("probability p faults about p of the requests, the same ones for the same seed", async () => {
    const run = async () => {
      const s = await startSandbox({ seed: 42 });
      s.fail({ operation: "listPlans", status: 500, probability: 0.3 });
      const token = await signIn(s, s.createApiKey());
      const statuses = [];
      for (let i = 0; i < 200; i++) statuses.push((await get(s, "listPlans", token)).status);
      await s.close();
      return statuses;
    };
    const [a, b] = [await run(), await run()];
    expect(a).toEqual(b);
    const failed = a.filter((x) => x === 500).length;
    expect(failed).toBeGreaterThan(30);
    expect(failed).toBeLessThan(90);
  });

  it("hold keeps answers until released and checks the bearer after (401 mid-session)", async () => {
    const { s, apiKey } = await start();
    const token = await signIn(s, apiKey);
    const release = s.hold("api");
    const pending = Array.from({ length: 50 }, () => get(s, "listPlans", token));
    await until(() => s.counts.api === 50);
    expect(s.counts.inFlight).toBe(50);
    s.revokeTokens();
    release();
    expect(new Set((await Promise.all(pending)).map((r) => r.status))).toEqual(new Set([401]));
    expect((await get(s, "listPlans", await signIn(s, apiKey))).status).toBe(200);
  });

  it("latency delays answers by the time asked for", async () => {
    const { s, apiKey } = await start();
    const token = await signIn(s, apiKey);
    s.fail({ operation: "listPlans", kind: "latency", ms: 150 });
    const started = performance.now();
    expect((await get(s, "listPlans", token)).status).toBe(200);
    // a lower bound only: a loaded machine may be slower, never faster
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("a fault it cannot apply is refused at once, saying what to fix", async () => {
    const { s } = await start();
    const refused = (options: unknown) => {
      try {
        s.fail(options as Parameters<Sandbox["fail"]>[0]);
      } catch (error) {
        expect(error).toBeInstanceOf(SimcelSandboxError);
        return (error as Error).message;
      }
      return "not refused";
    };
    expect(refused({ operation: "getPnl", status: 500 })).toMatch(
      /^\[@simcel\/sandbox\] fail: unknown operation "getPnl"; give one of the spec's \(.*getPnlSummary/,
    );
    expect(refused({ status: 42 })).toBe("[@simcel/sandbox] fail: status must be an HTTP status 100–599, got 42");
    expect(refused({ status: 500, times: 0 })).toBe("[@simcel/sandbox] fail: times must be a whole number > 0, got 0");
    expect(refused({ status: 500, probability: 2 })).toBe(
      "[@simcel/sandbox] fail: probability must be between 0 and 1, got 2",
    );
    expect(refused({ kind: "drift", drift: "fillRateString", operation: "listPlans" })).toBe(
      "[@simcel/sandbox] fail: drift fillRateString changes getDemandForecast, not listPlans",
    );
    expect(refused({ kind: "explode" })).toMatch(/unknown kind "explode"/);
    expect(() => s.createApiKey({ scopes: ["write" as never] })).toThrow(
      '[@simcel/sandbox] createApiKey: unknown scope "write"; the spec\'s scopes: insights:read, plans:read, admin',
    );
    await expect(startSandbox({ tokenLifetimeS: 0 })).rejects.toThrow(
      "[@simcel/sandbox] tokenLifetimeS must be a number of seconds > 0, got 0",
    );
    await expect(startSandbox({ port: (new URL(s.url).port as unknown as number) * 1 })).rejects.toThrow(
      /is in use: pick another, or 0 for a free one/,
    );
  });
});

describe("close", () => {
  it("leaves no handle behind, even with a request hanging and an answer held by latency", async () => {
    const before = process.getActiveResourcesInfo().length;
    const { s } = await start();
    s.fail({ operation: "listPlans", kind: "hang" });
    s.fail({ operation: "getSustainability", kind: "latency", ms: 60_000 });
    const hanging = get(s, "listPlans").catch((e) => e);
    const held = get(s, "getSustainability").catch((e) => e);
    await until(() => s.counts.inFlight === 2);
    await s.close();
    expect(await hanging).toBeInstanceOf(TypeError);
    expect(await held).toBeInstanceOf(TypeError);
    await until(() => process.getActiveResourcesInfo().length <= before, 2_000).catch(() => {});
    expect(process.getActiveResourcesInfo().length).toBeLessThanOrEqual(before);
    expect(s.counts.clientAborts).toBe(0);
  });
});
