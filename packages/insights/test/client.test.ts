import type { Middleware } from "openapi-fetch";
import { describe, expect, it } from "vitest";
import { createInsightsClient, defaultBaseUrl, NotFoundError } from "../src/index.js";
import { apiError, co2FY, demandM, fakeFetch, json, pnlFY } from "./helpers.js";

const plans = {
  plans: [
    { id: "plan_1", name: "One", currency: "USD", scenarios: [{ id: "s", name: "S", flags: ["committed"] }] },
    { id: "plan_2", name: "Two", currency: "EUR", scenarios: [] },
  ],
};

describe("createInsightsClient", () => {
  it("defaults to the spec's production base URL", async () => {
    const { fetch, calls } = fakeFetch(() => json(200, plans));
    await createInsightsClient({ fetch }).listPlans();
    expect(defaultBaseUrl).toBe("https://app.simcel.io/api");
    expect(calls[0]?.url).toBe("https://app.simcel.io/api/insights/v1/plans");
    expect(calls[0]?.method).toBe("GET");
  });

  it("returns typed data from each endpoint at its path", async () => {
    const { fetch, calls } = fakeFetch(
      () => json(200, pnlFY),
      () => json(200, demandM),
      () => json(200, co2FY),
    );
    const insights = createInsightsClient({ baseUrl: "https://api.test/root/", fetch });
    expect(await insights.getPnlSummary({ planId: "plan_1" })).toEqual(pnlFY);
    expect(await insights.getDemandForecast({ planId: "plan_1" })).toEqual(demandM);
    expect(await insights.getSustainability({ planId: "plan_1" })).toEqual(co2FY);
    expect(calls.map((r) => new URL(r.url).pathname)).toEqual([
      "/root/insights/v1/pnl-summary",
      "/root/insights/v1/demand-forecast",
      "/root/insights/v1/sustainability",
    ]);
  });

  it("runs the given middleware on every call: any middleware that sets Authorization works", async () => {
    const auth: Middleware = {
      onRequest({ request }) {
        request.headers.set("Authorization", "Bearer sk_test_FAKE_do_not_use");
        return request;
      },
    };
    const { fetch, calls } = fakeFetch(() => json(200, plans));
    await createInsightsClient({ fetch, middleware: [auth] }).listPlans();
    expect(calls[0]?.headers.get("authorization")).toBe("Bearer sk_test_FAKE_do_not_use");
  });

  it("getPlan finds one plan in the list", async () => {
    const { fetch } = fakeFetch(() => json(200, plans));
    expect(await createInsightsClient({ fetch }).getPlan("plan_2")).toEqual(plans.plans[1]);
  });

  it("getPlan throws NotFoundError for a plan the token does not see", async () => {
    const { fetch } = fakeFetch(() => json(200, plans));
    const error = await createInsightsClient({ fetch })
      .getPlan("plan_9")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, method: "GET", path: "/insights/v1/plans" });
    expect((error as Error).message).toContain("plan_9");
  });

  it("raw is the plain openapi-fetch client: { data, error } and no typed errors", async () => {
    const { fetch } = fakeFetch(() => apiError(404, "Not Found", "no such plan"));
    const { raw } = createInsightsClient({ fetch });
    const { data, error, response } = await raw.GET("/insights/v1/pnl-summary", {
      params: { query: { planId: "plan_x" } },
    });
    expect(data).toBeUndefined();
    expect(error).toEqual({ statusCode: 404, error: "Not Found", message: "no such plan" });
    expect(response.status).toBe(404);
  });
});
