import { describe, expect, it, vi } from "vitest";
import {
  checkOperationParams,
  createInsightsClient,
  type InsightsClientOptions,
  InvalidRequestError,
  operations,
} from "../src/index.js";
import { fakeFetch, json } from "./helpers.js";

const setup = (options: InsightsClientOptions = {}) => {
  const f = fakeFetch((request) =>
    json(
      200,
      request.url.includes("/plans")
        ? { plans: [{ id: "plan 1", name: "Odd", currency: "USD", scenarios: [] }] }
        : { meta: { planId: "p", currency: "USD", interval: "FY" }, scenarios: [] },
    ),
  );
  return { ...f, insights: createInsightsClient({ baseUrl: "https://api.test", fetch: f.fetch, ...options }) };
};

/** Runs `call`, expects an InvalidRequestError naming `param` with `text` in its message, and no request sent. */
async function rejects(
  call: (c: ReturnType<typeof setup>["insights"]) => Promise<unknown>,
  param: string,
  text: string,
  options: InsightsClientOptions = {},
) {
  const { insights, fetch } = setup(options);
  const error = await call(insights).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidRequestError);
  expect(error).toMatchObject({ param });
  expect((error as InvalidRequestError).status).toBeUndefined();
  expect((error as Error).message).toMatch(/^\[@simcel\/insights\] /);
  expect((error as Error).message).toContain(param);
  expect((error as Error).message).toContain(text);
  expect(fetch).not.toHaveBeenCalled();
}

describe("pre-flight checks (no request on failure)", () => {
  it("requires planId, on every data endpoint and in getPlan", async () => {
    await rejects((c) => c.getPnlSummary({} as never), "planId", "is required");
    await rejects((c) => c.getDemandForecast({ planId: "" }), "planId", "is required");
    await rejects((c) => c.getSustainability({ planId: undefined } as never), "planId", "is required");
    await rejects((c) => c.getPlan(""), "planId", "is required");
  });

  it("in strict mode, rejects a planId the spec's inferred pattern or limit does not allow", async () => {
    const strict = { strict: true };
    await rejects((c) => c.getPnlSummary({ planId: "plan 1/../x" }), "planId", "^[A-Za-z0-9_-]+$", strict);
    await rejects((c) => c.getPnlSummary({ planId: "p".repeat(129) }), "planId", "at most 128", strict);
    await rejects((c) => c.getPlan("plan 1"), "planId", "strict mode enforces", strict);
  });

  it("allows at most 3 scenarioIds (documented), unique (inferred: strict only) and non-empty", async () => {
    await rejects(
      (c) => c.getPnlSummary({ planId: "p", scenarioIds: ["a", "b", "c", "d"] }),
      "scenarioIds",
      "at most 3 ids",
    );
    await rejects((c) => c.getPnlSummary({ planId: "p", scenarioIds: [] }), "scenarioIds", "at least 1 id");
    await rejects((c) => c.getDemandForecast({ planId: "p", scenarioIds: ["a", "a"] }), "scenarioIds", "repeat", {
      strict: true,
    });
    await rejects((c) => c.getSustainability({ planId: "p", scenarioIds: ["a", ""] }), "scenarioIds", '(got "")');
    await rejects((c) => c.getPnlSummary({ planId: "p", scenarioIds: "a,b" as never }), "scenarioIds", "list");
  });

  it("accepts only the intervals each endpoint documents, and names them (CO2's are inferred: strict only)", async () => {
    await rejects((c) => c.getPnlSummary({ planId: "p", interval: "W" as never }), "interval", "one of: M, FY");
    await rejects(
      (c) => c.getDemandForecast({ planId: "p", interval: "Y" as never }),
      "interval",
      "one of: D, W, M, FY",
    );
    await rejects((c) => c.getSustainability({ planId: "p", interval: "D" as never }), "interval", "one of: M, FY", {
      strict: true,
    });
  });

  it("accepts only the groupBy values each endpoint documents", async () => {
    await rejects(
      (c) => c.getDemandForecast({ planId: "p", groupBy: "dc" as never }),
      "groupBy",
      "one of: product, sku, region, channel",
    );
    await rejects(
      (c) => c.getSustainability({ planId: "p", groupBy: "sku" as never }),
      "groupBy",
      "one of: dc, region, transport_mode",
    );
  });

  it("rejects a parameter the endpoint does not have, listing the accepted ones", async () => {
    await rejects((c) => c.getPnlSummary({ planId: "p", groupBy: "sku" } as never), "groupBy", "accepted: planId");
    await rejects((c) => c.getSustainability({ planId: "p", currency: "USD" } as never), "currency", "accepted:");
  });

  it("wants dates as real calendar days", async () => {
    await rejects((c) => c.getPnlSummary({ planId: "p", dateFrom: "2025-02-30" }), "dateFrom", "calendar date");
    await rejects((c) => c.getPnlSummary({ planId: "p", dateTo: "2025-13-01" }), "dateTo", "calendar date");
    await rejects((c) => c.getDemandForecast({ planId: "p", dateFrom: "2025-1-5" }), "dateFrom", "YYYY-MM-DD");
    await rejects((c) => c.getDemandForecast({ planId: "p", dateTo: "2025-01-05T00:00:00Z" }), "dateTo", "YYYY-MM-DD");
  });

  it("wants dateFrom on or before dateTo", async () => {
    await rejects(
      (c) => c.getPnlSummary({ planId: "p", dateFrom: "2025-03-01", dateTo: "2025-02-28" }),
      "dateFrom",
      "after dateTo",
    );
  });

  it("wants currency as a three-letter code", async () => {
    await rejects((c) => c.getPnlSummary({ planId: "p", currency: "usd" }), "currency", "^[A-Z]{3}$");
    await rejects((c) => c.getDemandForecast({ planId: "p", currency: "EURO" }), "currency", "^[A-Z]{3}$");
  });

  it("rejects a non-string value instead of sending it", async () => {
    await rejects((c) => c.getPnlSummary({ planId: 42 } as never), "planId", "must be a string");
  });

  it("lets every valid value the spec lists through, and sends it", async () => {
    for (const [id, op] of Object.entries(operations)) {
      if (!("query" in op)) continue;
      const { interval, groupBy } = op.query as unknown as {
        interval: { enum: string[] };
        groupBy?: { enum: string[] };
      };
      for (const value of interval.enum) {
        const { insights, calls } = setup();
        const method = id as "getPnlSummary";
        await insights[method]({ planId: "plan_1", interval: value as "M" });
        expect(new URL(calls[0]!.url).searchParams.get("interval")).toBe(value);
      }
      for (const value of groupBy?.enum ?? []) {
        const { insights, calls } = setup();
        await insights[id as "getDemandForecast"]({ planId: "plan_1", groupBy: value as "sku" });
        expect(new URL(calls[0]!.url).searchParams.get("groupBy")).toBe(value);
      }
    }
  });

  it("sends a full valid request, scenarioIds comma-separated as the spec documents", async () => {
    const { insights, calls } = setup();
    await insights.getPnlSummary({
      planId: "plan_1",
      scenarioIds: ["scen_a", "scen_b", "scen_c"],
      interval: "M",
      currency: "EUR",
      dateFrom: "2024-02-29",
      dateTo: "2024-02-29",
    });
    const url = new URL(calls[0]!.url);
    expect(url.origin + url.pathname).toBe("https://api.test/insights/v1/pnl-summary");
    expect(url.search).toContain("scenarioIds=scen_a,scen_b,scen_c");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      planId: "plan_1",
      scenarioIds: "scen_a,scen_b,scen_c",
      interval: "M",
      currency: "EUR",
      dateFrom: "2024-02-29",
      dateTo: "2024-02-29",
    });
  });
});

describe("rules the spec only inferred warn instead of refusing, unless strict", () => {
  it("sends a planId outside the inferred alphabet and limit, and reports each rule once, not once per call", async () => {
    const onSpecMismatch = vi.fn();
    const warn = vi.fn();
    const { insights, calls } = setup({ hooks: { onSpecMismatch }, logger: { warn } });
    const long = `plan_${"x".repeat(130)}`;
    for (let i = 0; i < 3; i++) {
      await insights.getPnlSummary({ planId: "plan.9" });
      await insights.getPnlSummary({ planId: long });
    }
    expect(calls.map((r) => new URL(r.url).searchParams.get("planId"))).toEqual([
      "plan.9",
      long,
      "plan.9",
      long,
      "plan.9",
      long,
    ]);
    expect(onSpecMismatch.mock.calls.map(([e]) => e)).toEqual([
      {
        operation: "getPnlSummary",
        direction: "request",
        pointer: "/planId",
        expected: "a string matching ^[A-Za-z0-9_-]+$",
        actual: '"plan.9"',
        inferred: true,
      },
      expect.objectContaining({ pointer: "/planId", expected: "at most 128 characters" }),
    ]);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[0]?.[0]).toBe(
      'getPnlSummary: planId "plan.9" breaks a rule the spec only guessed (a string matching ^[A-Za-z0-9_-]+$): sent anyway (strict: true refuses it)',
    );
  });

  it("sends repeated scenario ids and ids outside the inferred alphabet, and CO2 intervals the docs do not name", async () => {
    const onSpecMismatch = vi.fn();
    const { insights, calls } = setup({ hooks: { onSpecMismatch } });
    await insights.getDemandForecast({ planId: "p", scenarioIds: ["scen.a", "scen.a"] });
    await insights.getSustainability({ planId: "p", interval: "W" as never });
    expect(calls).toHaveLength(2);
    expect(new URL(calls[0]!.url).searchParams.get("scenarioIds")).toBe("scen.a,scen.a");
    expect(onSpecMismatch.mock.calls.map(([e]) => [e.operation, e.pointer, e.expected])).toEqual([
      ["getDemandForecast", "/scenarioIds", "no repeated id"],
      ["getDemandForecast", "/scenarioIds/0", "a string matching ^[A-Za-z0-9_-]+$"],
      ["getSustainability", "/interval", "one of: M, FY"],
    ]);
  });

  it("getPlan looks up a plan whose id is outside the inferred alphabet", async () => {
    const { insights } = setup();
    await expect(insights.getPlan("plan 1")).resolves.toMatchObject({ name: "Odd" });
  });

  it("documented rules next to inferred ones still refuse: required, enum, format, maxItems, minLength", async () => {
    await rejects((c) => c.getPnlSummary({ planId: "" }), "planId", "is required");
    await rejects((c) => c.getPnlSummary({ planId: "p", interval: "D" as never }), "interval", "one of: M, FY");
    await rejects((c) => c.getPnlSummary({ planId: "p", currency: "usd" }), "currency", "^[A-Z]{3}$");
    await rejects((c) => c.getPnlSummary({ planId: "p", dateFrom: "2025-1-1" }), "dateFrom", "YYYY-MM-DD");
    await rejects((c) => c.getPnlSummary({ planId: "p", scenarioIds: ["a", "b", "c", "d"] }), "scenarioIds", "3");
    await rejects((c) => c.getPnlSummary({ planId: "p", scenarioIds: [""] }), "scenarioIds", "at least 1 characters");
  });

  it("checkOperationParams returns the inferred rules broken, and throws for them in strict mode", () => {
    expect(checkOperationParams("getPnlSummary", { planId: "plan_1" })).toEqual([]);
    expect(checkOperationParams("getPnlSummary", { planId: "plan 1", scenarioIds: ["a", "a"] })).toEqual([
      {
        param: "planId",
        pointer: "/planId",
        keyword: "pattern",
        expected: "a string matching ^[A-Za-z0-9_-]+$",
        actual: '"plan 1"',
      },
      {
        param: "scenarioIds",
        pointer: "/scenarioIds",
        keyword: "uniqueItems",
        expected: "no repeated id",
        actual: '["a","a"]',
      },
    ]);
    expect(() => checkOperationParams("getPnlSummary", { planId: "plan 1" }, { strict: true })).toThrow(
      InvalidRequestError,
    );
  });

  it("the generated rules mark exactly the keywords the spec lists as inferred", () => {
    const { planId, scenarioIds, interval } = operations.getSustainability.query;
    expect(planId.inferred).toEqual(["pattern", "maxLength"]);
    expect(scenarioIds.inferred).toEqual(["uniqueItems"]);
    expect(scenarioIds.items.inferred).toEqual(["pattern", "maxLength"]);
    expect(interval.inferred).toEqual(["enum"]);
    expect("inferred" in operations.getPnlSummary.query.interval).toBe(false); // only its default is inferred
    expect("inferred" in operations.getPnlSummary.query.currency).toBe(false);
  });
});
