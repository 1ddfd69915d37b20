// End to end on the Prism mock: @simcel/auth composed with @simcel/insights, only through openapi-fetch
// middleware — key exchange → bearer → P&L summary, one token for many calls, and a 401 handled.
import type { Middleware } from "openapi-fetch";
import { describe, expect, inject, it } from "vitest";
import {
  createApiKeyCredential,
  createAuthMiddleware,
  createClientCredentials,
} from "../../packages/auth/src/index.js";
import { AuthenticationError, compareScenarios, createInsightsClient } from "../../packages/insights/src/index.js";
import { createSpecAjv, listOperations, loadSpec, validateResponse } from "../spec-tools.mjs";

const baseUrl = inject("simcelBaseUrl");
const doc = loadSpec();
const ajv = createSpecAjv(doc);
const tokenExamples = listOperations(doc).find((o) => o.operationId === "exchangeApiKey")?.responses[200]?.examples;
const issuedToken = (tokenExamples?.issued as { accessToken?: string } | undefined)?.accessToken ?? "";

/** A fetch that records method, path and Authorization of every request before sending it. */
function recorder() {
  const calls: { method: string; path: string; authorization: string | null; body?: string }[] = [];
  const fetch = async (request: Request) => {
    const url = new URL(request.url);
    calls.push({
      method: request.method,
      path: `${url.pathname}${url.search}`,
      authorization: request.headers.get("authorization"),
      ...(request.method === "POST" && { body: await request.clone().text() }),
    });
    return globalThis.fetch(request);
  };
  return { calls, fetch };
}

describe("@simcel/auth + @simcel/insights on the mock", () => {
  it("exchanges the API key, sends the bearer and returns a typed P&L summary", async () => {
    const { calls, fetch } = recorder();
    const credential = createApiKeyCredential({ apiKey: "sk_test_FAKE_e2e", baseUrl, fetch });
    const insights = createInsightsClient({ baseUrl, fetch, middleware: [createAuthMiddleware({ credential })] });

    const pnl = await insights.getPnlSummary({ planId: "plan_9xKz2", scenarioIds: ["scen_abc", "scen_px3"] });
    expect(validateResponse(doc, ajv, "getPnlSummary", 200, pnl)).toEqual([]);
    const plan = await insights.getPlan("plan_9xKz2");
    const comparison = compareScenarios(pnl, { plan });
    expect(comparison.baseScenarioId).toBe("scen_abc");

    expect(calls).toEqual([
      {
        method: "POST",
        path: "/auth/v1/token",
        authorization: null,
        body: JSON.stringify({ apiKey: "sk_test_FAKE_e2e" }),
      },
      {
        method: "GET",
        path: "/insights/v1/pnl-summary?planId=plan_9xKz2&scenarioIds=scen_abc,scen_px3",
        authorization: `Bearer ${issuedToken}`,
      },
      // the second call reuses the cached token: no second exchange
      { method: "GET", path: "/insights/v1/plans", authorization: `Bearer ${issuedToken}` },
    ]);
  });

  it("works the same with OAuth2 client credentials", async () => {
    const { calls, fetch } = recorder();
    const credential = createClientCredentials({
      clientId: "cli_demo_0001",
      clientSecret: "FAKE-client-secret-e2e",
      scopes: ["insights:read", "plans:read"],
      baseUrl,
      fetch,
    });
    const insights = createInsightsClient({ baseUrl, fetch, middleware: [createAuthMiddleware({ credential })] });
    const plans = await insights.listPlans();
    expect(validateResponse(doc, ajv, "listPlans", 200, plans)).toEqual([]);
    expect(calls.map((c) => `${c.method} ${c.path.split("?")[0]}`)).toEqual([
      "POST /oauth/v1/token",
      "GET /insights/v1/plans",
    ]);
    expect(new URLSearchParams(calls[0]?.body)).toEqual(
      new URLSearchParams({
        grant_type: "client_credentials",
        client_id: "cli_demo_0001",
        client_secret: "FAKE-client-secret-e2e",
        scope: "insights:read plans:read",
      }),
    );
  });

  it("on a 401 invalidates the token and fetches a new one; the same token again is not replayed", async () => {
    const { calls, fetch } = recorder();
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
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      "POST /auth/v1/token",
      "GET /insights/v1/plans",
      "POST /auth/v1/token",
    ]);
    expect(String(error)).not.toContain(issuedToken);
  });
});
