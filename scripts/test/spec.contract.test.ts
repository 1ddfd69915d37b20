// Contract of the mock itself: each operation, called once with valid input, answers 2xx with a
// body that validates against the spec; each secured operation answers 401 with the error body
// when Authorization is missing.
import { describe, expect, inject, it } from "vitest";
import { createSpecAjv, listOperations, loadSpec, validateResponse } from "../spec-tools.mjs";

const doc = loadSpec();
const ajv = createSpecAjv(doc);
const baseUrl = inject("simcelBaseUrl");

/** A valid request for each operation. */
const valid: Record<string, { query?: string; init?: RequestInit }> = {
  issueClientCredentialsToken: {
    init: {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: "cli_demo_0001",
        client_secret: "demo-client-secret",
        scope: "insights:read plans:read",
      }).toString(),
    },
  },
  exchangeApiKey: {
    init: { headers: { "content-type": "application/json" }, body: JSON.stringify({ apiKey: "sk_test_demo_0000" }) },
  },
  listPlans: {},
  getPnlSummary: { query: "planId=plan_9xKz2&scenarioIds=scen_abc,scen_px3&interval=FY" },
  getDemandForecast: { query: "planId=plan_9xKz2&interval=M&groupBy=region" },
  getSustainability: { query: "planId=plan_9xKz2&groupBy=dc" },
};

const operations = listOperations(doc);

describe("Prism mock of the spec", () => {
  it("has a valid request for every operation", () => {
    expect(Object.keys(valid).sort()).toEqual(operations.map((o) => o.operationId).sort());
  });

  it.each(operations.map((o) => [o.operationId, o] as const))(
    "%s answers 2xx with a schema-valid body",
    async (id, op) => {
      const { query, init } = valid[id] ?? {};
      const url = `${baseUrl}${op.path}${query ? `?${query}` : ""}`;
      const headers = new Headers(init?.headers);
      if (op.secured) headers.set("authorization", "Bearer contract-test-token");
      const response = await fetch(url, { ...init, method: op.method, headers });
      const body = await response.json();
      expect(response.status, JSON.stringify(body)).toBe(200);
      expect(validateResponse(doc, ajv, id, 200, body)).toEqual([]);
    },
  );

  it.each(operations.filter((o) => o.secured).map((o) => [o.operationId, o] as const))(
    "%s answers 401 with the error body without Authorization",
    async (id, op) => {
      const { query } = valid[id] ?? {};
      const response = await fetch(`${baseUrl}${op.path}${query ? `?${query}` : ""}`, { method: op.method });
      const body = await response.json();
      expect(response.status).toBe(401);
      expect(validateResponse(doc, ajv, id, 401, body)).toEqual([]);
      expect(body).toMatchObject({ statusCode: 401, error: "Unauthorized" });
    },
  );
});
