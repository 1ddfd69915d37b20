// End to end: @simcel/auth composed with @simcel/insights, only through openapi-fetch middleware — key
// exchange → bearer → P&L summary, one token for many calls, and a 401 handled. On the mock with fake
// credentials; live with the run's own, on a plan found through listPlans. Requests are recorded with
// their secrets replaced by what they are, so a failing assertion never prints a real key or token.
import type { Middleware } from "openapi-fetch";
import { describe, expect } from "vitest";
import {
  createApiKeyCredential,
  createAuthMiddleware,
  createClientCredentials,
} from "../../packages/auth/src/index.js";
import { AuthenticationError, compareScenarios, createInsightsClient } from "../../packages/insights/src/index.js";
import { createSpecAjv, loadSpec, validateResponse } from "../spec-tools.mjs";
import { baseUrl, credentialEnv, discoverPlan, isMock, lacksCredential, mockOnly, needs } from "./contract-env.js";

const doc = loadSpec();
const ajv = createSpecAjv(doc);

/**
 * A fetch that records method, path and Authorization of every request before sending it, with each
 * secret in `secrets` (and each token the server issued) replaced by its name.
 */
function recorder(secrets: Record<string, string>) {
  const calls: { method: string; path: string; authorization: string | null; body?: string }[] = [];
  const issued: string[] = [];
  const named = (text: string) => {
    let out = text;
    for (const [i, token] of issued.entries()) out = out.replaceAll(token, `<token ${i + 1}>`);
    for (const [name, secret] of Object.entries(secrets))
      out = out.replaceAll(secret, `<${name}>`).replaceAll(encodeURIComponent(secret), `<${name}>`);
    return out;
  };
  const fetch = async (request: Request) => {
    const url = new URL(request.url);
    const body = request.method === "POST" ? await request.clone().text() : undefined;
    const response = await globalThis.fetch(request);
    if (/\/(auth|oauth)\/v1\/token$/.test(url.pathname) && response.ok) {
      const answer = (await response.clone().json()) as { accessToken?: string; access_token?: string };
      const token = answer.accessToken ?? answer.access_token;
      if (token && !issued.includes(token)) issued.push(token);
    }
    calls.push({
      method: request.method,
      path: named(`${url.pathname.slice(new URL(baseUrl).pathname.replace(/\/$/, "").length)}${url.search}`),
      authorization: request.headers.has("authorization") ? named(request.headers.get("authorization") ?? "") : null,
      ...(body !== undefined && { body: named(body) }),
    });
    return response;
  };
  return { calls, fetch };
}

const env = credentialEnv("sk_test_FAKE_e2e");

describe("@simcel/auth + @simcel/insights on the server", () => {
  needs(lacksCredential("apiKey")).it(
    "exchanges the API key, sends the bearer and returns a typed P&L summary",
    async () => {
      const apiKey = env.SIMCEL_API_KEY as string;
      const { calls, fetch } = recorder({ apiKey });
      const { id, scenarioIds } = await discoverPlan();
      const credential = createApiKeyCredential({ apiKey, baseUrl, fetch });
      const insights = createInsightsClient({ baseUrl, fetch, middleware: [createAuthMiddleware({ credential })] });

      const pnl = await insights.getPnlSummary({ planId: id, scenarioIds: scenarioIds.slice(0, 2) });
      expect(validateResponse(doc, ajv, "getPnlSummary", 200, pnl)).toEqual([]);
      const plan = await insights.getPlan(id);
      const comparison = compareScenarios(pnl, { plan });
      expect(pnl.scenarios.map((s) => s.scenarioId)).toContain(comparison.baseScenarioId);
      if (isMock) expect(comparison.baseScenarioId).toBe("scen_abc");

      expect(calls).toEqual([
        { method: "POST", path: "/auth/v1/token", authorization: null, body: JSON.stringify({ apiKey: "<apiKey>" }) },
        {
          method: "GET",
          path: `/insights/v1/pnl-summary?planId=${encodeURIComponent(id)}&scenarioIds=${scenarioIds.slice(0, 2).map(encodeURIComponent).join(",")}`,
          authorization: "Bearer <token 1>",
        },
        // the second call reuses the cached token: no second exchange
        { method: "GET", path: "/insights/v1/plans", authorization: "Bearer <token 1>" },
      ]);
    },
  );

  needs(lacksCredential("clientCredentials")).it("works the same with OAuth2 client credentials", async () => {
    const clientId = isMock ? "cli_demo_0001" : (env.SIMCEL_CLIENT_ID as string);
    const clientSecret = isMock ? "FAKE-client-secret-e2e" : (env.SIMCEL_CLIENT_SECRET as string);
    const scopes = (env.SIMCEL_SCOPES ?? "insights:read plans:read").split(/[\s,]+/).filter(Boolean);
    const { calls, fetch } = recorder({ clientSecret });
    const credential = createClientCredentials({ clientId, clientSecret, scopes, baseUrl, fetch });
    const insights = createInsightsClient({ baseUrl, fetch, middleware: [createAuthMiddleware({ credential })] });
    const plans = await insights.listPlans();
    expect(validateResponse(doc, ajv, "listPlans", 200, plans)).toEqual([]);
    expect(calls.map((c) => `${c.method} ${c.path.split("?")[0]} ${c.authorization}`)).toEqual([
      "POST /oauth/v1/token null",
      "GET /insights/v1/plans Bearer <token 1>",
    ]);
    expect(Object.fromEntries(new URLSearchParams(calls[0]?.body))).toEqual({
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: "<clientSecret>",
      scope: scopes.join(" "),
    });
  });

  mockOnly("needs the mock's Prefer: code=401 to refuse a token on demand").it(
    "on a 401 invalidates the token and fetches a new one; the same token again is not replayed",
    async () => {
      const { calls, fetch } = recorder({});
      const credential = createApiKeyCredential({ apiKey: "sk_test_FAKE_e2e", baseUrl, fetch });
      // Prism answers the documented 401 when asked; it always issues the same example token
      const expired: Middleware = {
        onRequest: ({ request }) => {
          if (request.url.includes("/insights/")) request.headers.set("Prefer", "code=401, example=expired");
          return request;
        },
      };
      const insights = createInsightsClient({
        baseUrl,
        fetch,
        maxRetries: 0,
        middleware: [expired, createAuthMiddleware({ credential })],
      });
      const error = await insights.listPlans().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error).toMatchObject({ status: 401, method: "GET", path: "/insights/v1/plans" });
      expect(calls.map((c) => `${c.method} ${c.path} ${c.authorization}`)).toEqual([
        "POST /auth/v1/token null",
        "GET /insights/v1/plans Bearer <token 1>",
        "POST /auth/v1/token null",
      ]);
      expect(String(error)).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
    },
  );
});
