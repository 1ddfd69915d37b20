// The command table against the spec (read here, never retyped) and its operations run on a real
// insights client whose injected fetch answers with the spec's own examples.
import { createInsightsClient, InvalidRequestError } from "@simcel/insights";
import { describe, expect, it } from "vitest";
import { deref, listOperations, loadSpec } from "../../../scripts/spec-tools.mjs";
import { CommandInputError, OPERATION_LIST, OPERATIONS, type Operation } from "../src/index.js";

const spec = loadSpec();
const ops = listOperations(spec) as Array<{
  operationId: string;
  path: string;
  operation: { parameters?: unknown[] };
  responses: Record<string, { examples: Record<string, unknown> }>;
}>;
/** The spec's query parameters of an operation, by name: the parameter object with its schema dereferenced. */
function specParams(operationId: string) {
  const op = ops.find((o) => o.operationId === operationId)!;
  return Object.fromEntries(
    (op.operation.parameters ?? [])
      .map(
        (p) => deref(spec, p) as { name: string; in: string; required?: boolean; description: string; schema: object },
      )
      .filter((p) => p.in === "query")
      .map((p) => [p.name, { ...p, schema: deref(spec, p.schema) as Record<string, unknown> }]),
  );
}

const PLANS = {
  plans: [
    {
      id: "plan_1",
      name: "Plan",
      currency: "USD",
      scenarios: [
        { id: "scen_act", name: "Actuals", flags: ["actual"] },
        { id: "scen_prim", name: "Primary", flags: ["primary"] },
        { id: "scen_wif", name: "What-if", flags: [] },
      ],
    },
  ],
};

/** A client whose fetch records each request and answers the plans above or the spec's first P&L example. */
function client(plans: unknown = PLANS) {
  const requests: URL[] = [];
  const pnl = Object.values(ops.find((o) => o.operationId === "getPnlSummary")!.responses["200"]!.examples)[0] as {
    scenarios: Array<{ scenarioId: string }>;
  };
  const fetch = async (request: Request) => {
    const url = new URL(request.url);
    requests.push(url);
    const ids = url.searchParams.get("scenarioIds")?.split(",");
    // The P&L example, with its scenarios renamed to those asked for.
    const body = url.pathname.endsWith("/plans")
      ? plans
      : {
          ...pnl,
          scenarios: (ids ?? ["scen_act", "scen_prim", "scen_wif"]).map((id, i) => ({
            ...pnl.scenarios[i % pnl.scenarios.length],
            scenarioId: id,
            scenarioName: id,
          })),
        };
    return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
  };
  return { insights: createInsightsClient({ baseUrl: "https://api.example.test", fetch, maxRetries: 0 }), requests };
}

describe("the command table", () => {
  it("has one entry per insights operation of the spec, with distinct command and tool names", () => {
    const specIds = ops.filter((o) => o.path.startsWith("/insights/")).map((o) => o.operationId);
    expect(new Set(OPERATION_LIST.map((o) => o.operationId))).toEqual(new Set(specIds));
    expect(new Set(OPERATION_LIST.map((o) => o.command)).size).toBe(OPERATION_LIST.length);
    expect(new Set(OPERATION_LIST.map((o) => o.tool)).size).toBe(OPERATION_LIST.length);
    for (const op of OPERATION_LIST) expect(op.tool).toMatch(/^[a-z][a-z_]*$/);
  });

  it("each data operation takes exactly the spec's parameters, with the spec's schema and description", () => {
    for (const op of OPERATION_LIST.filter((o) => o !== OPERATIONS.compare)) {
      const params = specParams(op.operationId);
      expect(op.parameters.map((p) => p.name).sort()).toEqual(Object.keys(params).sort());
      for (const p of op.parameters) {
        const s = params[p.name]!;
        expect(p.required, p.name).toBe(s.required === true);
        expect(p.schema.description).toBe(s.description);
        for (const key of [
          "type",
          "enum",
          "default",
          "pattern",
          "format",
          "minItems",
          "maxItems",
          "minLength",
          "maxLength",
        ])
          expect(p.schema[key], `${op.operationId} ${p.name} ${key}`).toEqual(s.schema[key]);
      }
      expect(op.inputSchema).toMatchObject({ type: "object", additionalProperties: false });
      expect((op.inputSchema as { required: string[] }).required).toEqual(
        Object.values(params)
          .filter((s) => s.required)
          .map((s) => s.name),
      );
    }
  });

  it("compare takes the P&L parameters but interval (it compares fiscal years), plus baseScenarioId", () => {
    const pnl = specParams("getPnlSummary");
    const names = OPERATIONS.compare.parameters.map((p) => p.name);
    expect(names.sort()).toEqual([...Object.keys(pnl).filter((n) => n !== "interval"), "baseScenarioId"].sort());
    const base = OPERATIONS.compare.parameters.find((p) => p.name === "baseScenarioId")!;
    expect(base.schema.pattern).toBe((pnl.scenarioIds!.schema.items as { pattern: string }).pattern);
  });

  it("every parameter has a distinct CLI flag; enum flags show their values, default first", () => {
    for (const op of OPERATION_LIST) {
      expect(new Set(op.parameters.map((p) => p.flag)).size).toBe(op.parameters.length);
      for (const p of op.parameters) {
        const values = p.facts.enum;
        if (!values) continue;
        expect(new Set(p.usageValue.split("|"))).toEqual(new Set(values));
        if (p.facts.default) expect(p.usageValue.split("|")[0]).toBe(p.facts.default);
      }
    }
    expect(OPERATIONS.pnl.parameters.find((p) => p.name === "interval")?.help).toBe(
      "fiscal year or month (default FY)",
    );
  });

  it("descriptions for a model quote the spec's facts: the scenario limit, decimals, freshness, dates, availability", () => {
    const max = String(specParams("getPnlSummary").scenarioIds!.schema.maxItems);
    for (const op of [OPERATIONS.pnl, OPERATIONS.demand, OPERATIONS.co2, OPERATIONS.compare]) {
      expect(op.description).toContain(`at most ${max}`);
      expect(op.description).toContain("generatedAt");
      expect(op.description).toContain("YYYY-MM-DD");
    }
    expect(OPERATIONS.pnl.description).toMatch(/decimals between 0 and 1/);
    expect(OPERATIONS.demand.description).toMatch(/forecastAccuracy.* on the `actual` scenario only/);
    expect(OPERATIONS.demand.description).toMatch(/never compare it across what-if scenarios/);
    expect(OPERATIONS.co2.availability).toBe("coming-soon");
    expect(OPERATIONS.co2.description).toMatch(/coming soon/);
    expect(OPERATIONS.co2.description).toMatch(/say that SIMCEL has not released this endpoint yet\.$/);
    expect(OPERATIONS.pnl.description).not.toMatch(/coming soon|not released/);
    // Each data operation's description starts with what the spec says of the operation.
    for (const op of [OPERATIONS.pnl, OPERATIONS.demand, OPERATIONS.co2]) {
      const specText = String(
        (ops.find((o) => o.operationId === op.operationId)!.operation as { description: string }).description,
      )
        .trim()
        .replace(/\s+/g, " ");
      expect(op.description.startsWith(specText), op.operationId).toBe(true);
    }
    expect(OPERATIONS.compare.description).toContain(`in batches of ${Number(max) - 1} besides the base`);
  });
});

describe("running operations", () => {
  it("a data operation calls its endpoint with the parameters as given, through `step`", async () => {
    const { insights, requests } = client();
    const steps: string[] = [];
    const step = <T>(call: string, task: () => Promise<T>) => {
      steps.push(call);
      return task();
    };
    const body = await OPERATIONS.pnl.run(insights, { planId: "plan_1", scenarioIds: ["a", "b"] }, { step });
    expect(steps).toEqual(["getPnlSummary"]);
    expect(requests[0]?.search).toBe("?planId=plan_1&scenarioIds=a,b");
    expect(OPERATIONS.pnl.structured(body)).toBe(body);
  });

  it("compare without a base looks the plan up and takes its primary scenario when none is committed", async () => {
    const { insights, requests } = client();
    const outcome = await OPERATIONS.compare.run(insights, { planId: "plan_1" });
    expect(requests.map((u) => u.pathname)).toEqual(["/insights/v1/plans", "/insights/v1/pnl-summary"]);
    expect(requests[1]?.searchParams.get("interval")).toBe("FY");
    expect(outcome.comparison.baseScenarioId).toBe("scen_prim");
    expect(outcome.comparison.rows.map((r) => r.scenarioId)).toEqual(["scen_act", "scen_wif"]);
    const structured = OPERATIONS.compare.structured(outcome);
    expect(structured.meta).toEqual(outcome.summary.meta);
    expect(structured.baseScenarioId).toBe("scen_prim");
  });

  it("compare puts the base first among scenarioIds, and refuses more than the API takes before any request", async () => {
    const { insights, requests } = client();
    await OPERATIONS.compare.run(insights, { planId: "plan_1", baseScenarioId: "b", scenarioIds: ["a", "b"] });
    expect(requests.map((u) => u.searchParams.get("scenarioIds"))).toEqual(["b,a"]);
    const max = specParams("getPnlSummary").scenarioIds!.schema.maxItems as number;
    const ids = Array.from({ length: max }, (_, i) => `s${i}`);
    const error = await OPERATIONS.compare
      .run(insights, { planId: "plan_1", baseScenarioId: "base", scenarioIds: ids })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandInputError);
    expect(error).toMatchObject({ param: "scenarioIds" });
    expect((error as Error).message).toBe(
      `scenarioIds and the base base make ${max + 1} scenarios, the API takes at most ${max}: name at most ${max - 1} besides the base`,
    );
    expect(requests).toHaveLength(1);
  });

  it("compare: a base that is not a string, a plan without scenarios, a base missing from the summary", async () => {
    const { insights } = client({ plans: [{ id: "plan_1", name: "P", currency: "USD", scenarios: [] }] });
    const run = (params: Record<string, unknown>) =>
      (OPERATIONS.compare as Operation).run(insights, params).catch((e: unknown) => e);
    expect(await run({ planId: "plan_1", baseScenarioId: 7 })).toMatchObject({ param: "baseScenarioId" });
    expect(await run({ planId: "plan_1" })).toMatchObject({
      param: "planId",
      message: "plan plan_1 has no scenarios to compare",
    });
    const missing = await run({ planId: "plan_1", baseScenarioId: "zz" });
    expect(missing).toBeInstanceOf(InvalidRequestError);
    expect((missing as Error).message).toMatch(/baseScenarioId must be one of the summary's scenarios/);
  });

  it("the client's pre-flight checks run on the parameters as given: nothing is sent for a bad one", async () => {
    const { insights, requests } = client();
    const error = await OPERATIONS.demand.run(insights, { planId: "plan_1", interval: "Q" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ param: "interval" });
    expect(requests).toHaveLength(0);
  });

  it("an aborted signal cancels the call", async () => {
    const { insights } = client();
    const controller = new AbortController();
    controller.abort(new Error("cancelled by the host"));
    await expect(OPERATIONS.plans.run(insights, {}, { signal: controller.signal })).rejects.toThrow(
      "cancelled by the host",
    );
  });
});
