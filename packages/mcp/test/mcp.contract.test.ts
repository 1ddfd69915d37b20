// The built `simcel-mcp` as a real stdio process, driven by the MCP SDK's own Client over
// StdioClientTransport, against the server under test (the Prism mock of the spec, or live, on a plan
// found through listPlans; the mock's Prefer tricks and figures are mock only). The SDK client itself checks every
// structuredContent against the tool's outputSchema; these tests check the schemas against the spec
// (read here, never retyped), the results against the spec's response schemas, and every error an
// agent can meet.
import { existsSync, readFileSync } from "node:fs";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSpecAjv, deref, listOperations, loadSpec, validateResponse } from "../../../scripts/spec-tools.mjs";
import {
  baseUrl,
  COMING_SOON_STATUSES,
  credentialEnv,
  discoverPlan,
  mockOnly,
} from "../../../scripts/test/contract-env.js";
import {
  type Connection,
  callTool,
  connect,
  FAKE_KEY,
  type LoopbackProxy,
  serverPath,
  startProxy,
  textOf,
} from "./helpers.js";

const spec = loadSpec();
const specAjv = createSpecAjv(spec);
const ops = listOperations(spec) as Array<{
  operationId: string;
  operation: { parameters?: unknown[] };
  responses: Record<string, { examples: Record<string, unknown> }>;
}>;
type Param = { name: string; in: string; required?: boolean; description?: string; schema: Record<string, unknown> };
/** The spec's query parameters of `operationId`, schemas dereferenced. */
const specParams = (operationId: string): Record<string, Param> =>
  Object.fromEntries(
    (ops.find((o) => o.operationId === operationId)?.operation.parameters ?? [])
      .map((p) => deref(spec, p) as Param)
      .filter((p) => p.in === "query")
      .map((p) => [p.name, { ...p, schema: deref(spec, p.schema) as Record<string, unknown> }]),
  );
const pnlParams = specParams("getPnlSummary");
const maxScenarios = pnlParams.scenarioIds!.schema.maxItems as number;

/** Which spec operation each tool stands for (the test's own expectation). */
const TOOLS: Record<string, string> = {
  list_plans: "listPlans",
  get_pnl_summary: "getPnlSummary",
  get_demand_forecast: "getDemandForecast",
  get_sustainability: "getSustainability",
  compare_scenarios: "getPnlSummary",
};

let proxy: LoopbackProxy;
let server: Connection;
/** The server's environment: a FAKE key on the mock, the run's own credential live; `url` replaces the base URL. */
const mockEnv = (url = baseUrl) => ({ ...credentialEnv(FAKE_KEY), SIMCEL_BASE_URL: url });
beforeAll(async () => {
  proxy = await startProxy(baseUrl);
  server = await connect(mockEnv(proxy.url));
});
afterAll(async () => {
  await server?.close();
  await proxy?.close();
});

const call = (name: string, args: Record<string, unknown> = {}, on = server) => callTool(on, name, args);

describe("simcel-mcp tools", () => {
  it("is built (run the build first: pnpm build), with the private command table inlined", () => {
    expect(existsSync(serverPath)).toBe(true);
    // @simcel/commands is never published: an import of it would break every install.
    expect(readFileSync(serverPath, "utf8")).not.toMatch(/from "@simcel\/commands"/);
  });

  it("lists the five tools, read-only, each with an input and an output schema", async () => {
    const { tools } = await server.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(Object.keys(TOOLS));
    for (const tool of tools) {
      expect(tool.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false, openWorldHint: true });
      expect(tool.inputSchema.type).toBe("object");
      expect(tool.outputSchema?.type).toBe("object");
      expect(tool.description?.length).toBeGreaterThan(100);
    }
  });

  it("each input schema has the spec's parameters: names, required, types, enums, maxItems, patterns, formats — the rules the spec only infers named in the tool's description, not enforced", async () => {
    const { tools } = await server.client.listTools();
    for (const tool of tools) {
      const params = specParams(TOOLS[tool.name]!);
      const expected =
        tool.name === "compare_scenarios" ? Object.keys(params).filter((n) => n !== "interval") : Object.keys(params);
      const properties = (tool.inputSchema.properties ?? {}) as Record<string, Record<string, unknown>>;
      expect(
        Object.keys(properties)
          // baseScenarioId is compare's own; fields and format shape the answer (answer-form.test.ts)
          .filter((n) => !["baseScenarioId", "fields", "format"].includes(n))
          .sort(),
        tool.name,
      ).toEqual(expected.sort());
      expect((tool.inputSchema.required ?? []).sort()).toEqual(expected.filter((n) => params[n]!.required).sort());
      for (const name of expected) {
        const got = properties[name]!;
        const want = params[name]!;
        // an inferred rule (x-simcel-inferred: [pattern, …]) is left to the API: a host must not refuse on it
        const inferred = new Set(
          ((want as { "x-simcel-inferred"?: unknown })["x-simcel-inferred"] as string[] | undefined) ?? [],
        );
        const enforced = (key: string, value: unknown) =>
          // the server asks for more scenarios than the API takes in batches: no maxItems for a host to enforce
          (inferred.has(key) && key !== "default" && key !== "enum") || (name === "scenarioIds" && key === "maxItems")
            ? undefined
            : value;
        for (const key of ["type", "enum", "default", "pattern", "format", "minItems", "maxItems", "uniqueItems"])
          expect(got[key], `${tool.name}.${name}.${key}`).toEqual(enforced(key, want.schema[key]));
        const items = want.schema.items && (deref(spec, want.schema.items) as Record<string, unknown>);
        const servedItems =
          items && Object.fromEntries(Object.entries(items).filter(([key]) => !inferred.has(`items.${key}`)));
        expect(got.items, `${tool.name}.${name}.items`).toEqual(servedItems);
        expect(got.description, `${tool.name}.${name}`).toMatch(/\w/);
        // each rule left out of the schema is named, with its value, in the tool's description
        for (const key of inferred) {
          const [head, sub] = key.split(".") as [string, string | undefined];
          const value = sub ? (items as Record<string, unknown> | undefined)?.[sub] : want.schema[head];
          if (key !== "default" && key !== "enum" && key !== "uniqueItems")
            expect(tool.description, `${tool.name} names ${name} ${key}`).toContain(String(value));
        }
        expect(got["x-simcel-inferred"]).toBeUndefined();
      }
    }
    const compare = tools.find((t) => t.name === "compare_scenarios")!;
    const base = (compare.inputSchema.properties as Record<string, Record<string, unknown>>).baseScenarioId!;
    // the same id rules as a scenarioIds item: inferred, so in the tool's description, not enforced
    expect(base.pattern).toBeUndefined();
    expect(compare.description).toContain((pnlParams.scenarioIds!.schema.items as { pattern: string }).pattern);
  });

  it("each data tool's output schema accepts the spec's examples of its response and rejects a broken one", async () => {
    const { tools } = await server.client.listTools();
    // The validator the SDK's client checks structuredContent with.
    const validator = new AjvJsonSchemaValidator();
    for (const tool of tools.filter((t) => t.name !== "compare_scenarios")) {
      const validate = validator.getValidator(tool.outputSchema as Parameters<typeof validator.getValidator>[0]);
      const examples = Object.values(ops.find((o) => o.operationId === TOOLS[tool.name])!.responses["200"]!.examples);
      expect(examples.length).toBeGreaterThan(0);
      for (const example of examples) expect(validate(example).errorMessage).toBeUndefined();
      const broken = structuredClone(examples[0]) as Record<string, unknown>;
      delete broken[Object.keys(broken)[0]!];
      expect(validate(broken).valid, tool.name).toBe(false);
    }
  });

  it("descriptions are written for a model: decimals, freshness, the scenario limit, dates, availability", async () => {
    const { tools } = await server.client.listTools();
    const by = Object.fromEntries(tools.map((t) => [t.name, t.description ?? ""]));
    for (const name of ["get_pnl_summary", "get_demand_forecast", "get_sustainability", "compare_scenarios"]) {
      expect(by[name]).toContain("generatedAt");
      expect(by[name]).toContain(`at most ${maxScenarios}`);
      expect(by[name]).toContain("YYYY-MM-DD");
    }
    expect(by.get_pnl_summary).toMatch(/decimals between 0 and 1/);
    expect(by.get_demand_forecast).toMatch(/forecastAccuracy.* on the `actual` scenario only/);
    expect(by.get_demand_forecast).toMatch(/never compare it across what-if scenarios/);
    expect(by.get_sustainability).toMatch(/coming soon/);
    expect(by.list_plans).toMatch(/committed/);
  });

  const dataTools: Array<[string, (plan: { id: string; scenarioIds: string[] }) => Record<string, unknown>, string]> = [
    ["list_plans", () => ({}), "listPlans"],
    ["get_pnl_summary", ({ id }) => ({ planId: id, interval: "M" }), "getPnlSummary"],
    [
      "get_pnl_summary",
      ({ id, scenarioIds }) => ({
        planId: id,
        scenarioIds: scenarioIds.slice(0, 2),
        dateFrom: "2025-01-01",
        dateTo: "2025-12-31",
      }),
      "getPnlSummary",
    ],
    ["get_demand_forecast", ({ id }) => ({ planId: id, groupBy: "region" }), "getDemandForecast"],
    ["get_sustainability", ({ id }) => ({ planId: id, groupBy: "dc" }), "getSustainability"],
  ];
  for (const [name, argsOf, operationId] of dataTools) {
    const shown = JSON.stringify(argsOf({ id: "PLAN", scenarioIds: ["A", "B"] }));
    it(`${name} ${shown}: structuredContent is the API body, valid against the spec; text is the same JSON`, async (context) => {
      const result = await call(name, argsOf(await discoverPlan()));
      const status = Number(/\b([45]\d\d) [A-Z]/.exec(textOf(result))?.[1]);
      if (name === "get_sustainability" && result.isError && COMING_SOON_STATUSES.includes(status))
        return context.skip(`coming soon: the server answered ${status}, as SIMCEL documents`);
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(validateResponse(spec, specAjv, operationId, 200, result.structuredContent)).toEqual([]);
      // the text is the same JSON, its ratios rounded to 4 decimals for reading (structuredContent keeps them exact)
      expectSameUpToRounding(JSON.parse(textOf(result)), result.structuredContent);
    });
  }

  it("compare_scenarios on the server's plan: a base among its scenarios, each row's EBIT delta, the data's freshness", async () => {
    const { id, plan } = await discoverPlan();
    const result = await call("compare_scenarios", { planId: id });
    expect(result.isError, textOf(result)).toBeFalsy();
    const out = result.structuredContent as {
      baseScenarioId: string;
      rows: Array<{ scenarioId: string; kpis: Array<{ kpi: string; base: number; value: number; delta: number }> }>;
    };
    expect(plan.scenarios.map((s) => s.id)).toContain(out.baseScenarioId);
    for (const row of out.rows) {
      const ebit = row.kpis.find((k) => k.kpi === "ebit")!;
      expect(ebit.delta).toBeCloseTo(ebit.value - ebit.base, 6);
    }
  });

  mockOnly("the figures of the spec's examples").it(
    "compare_scenarios: value, delta and delta % per KPI against the committed scenario, with the data's freshness",
    async () => {
      const result = await call("compare_scenarios", { planId: "plan_9xKz2" });
      expect(result.isError, textOf(result)).toBeFalsy();
      const out = result.structuredContent as {
        meta: { generatedAt: string };
        baseScenarioId: string;
        rows: Array<{ scenarioId: string; kpis: Array<Record<string, unknown>> }>;
      };
      expect(out.baseScenarioId).toBe("scen_abc");
      expect(out.meta.generatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(out.rows.map((r) => r.scenarioId)).toEqual(["scen_px3", "scen_act"]);
      expect(out.rows[0]!.kpis.find((k) => k.kpi === "ebit")).toEqual({
        kpi: "ebit",
        percent: false,
        base: 3_300_000,
        value: 3_355_000,
        delta: 55_000,
        deltaRatio: 55_000 / 3_300_000,
      });
      expect(out.rows[0]!.kpis.find((k) => k.kpi === "ebitPercent")).toMatchObject({ percent: true, deltaRatio: null });
      const explicit = await call("compare_scenarios", { planId: "plan_9xKz2", baseScenarioId: "scen_act" });
      expect(explicit.structuredContent?.baseScenarioId).toBe("scen_act");
    },
  );

  it("the plans resource simcel://plans holds what list_plans returns", async () => {
    const { resources } = await server.client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(["simcel://plans", "ui://simcel/charts.html"]);
    const read = await server.client.readResource({ uri: "simcel://plans" });
    const listed = await call("list_plans");
    expect(JSON.parse((read.contents[0] as { text: string }).text)).toEqual(listed.structuredContent);
    await expect(server.client.readResource({ uri: "simcel://nothing" })).rejects.toThrow(/Resource not found/);
  });
});

/** `text` is `exact` with its numbers rounded to at most 4 decimals: same shape, same strings, numbers within 5e-5. */
function expectSameUpToRounding(text: unknown, exact: unknown, path = "$"): void {
  if (typeof exact === "number" && typeof text === "number") {
    expect(Math.abs(text - exact), path).toBeLessThanOrEqual(5e-5 + Number.EPSILON * Math.abs(exact));
    return;
  }
  if (exact === null || typeof exact !== "object" || text === null || typeof text !== "object") {
    expect(text, path).toEqual(exact);
    return;
  }
  expect(Array.isArray(text), path).toBe(Array.isArray(exact));
  expect(Object.keys(text).sort(), path).toEqual(Object.keys(exact).sort());
  for (const [key, value] of Object.entries(exact))
    expectSameUpToRounding((text as Record<string, unknown>)[key], value, `${path}.${key}`);
}

describe("simcel-mcp tool errors: isError results that say what to do", () => {
  /** Calls `name` and expects a tool error without any API request: the pre-flight checks stopped it. */
  async function rejectedLocally(name: string, args: Record<string, unknown>) {
    const before = proxy.apiRequests;
    const result = await call(name, args);
    expect(result.isError).toBe(true);
    expect(proxy.apiRequests - before, "requests sent for bad input").toBe(0);
    return textOf(result);
  }

  it(`${maxScenarios + 1} scenarios: asked for in batches the API takes, one request per ${maxScenarios} (compare: ${maxScenarios - 1} besides the base)`, async () => {
    // live, the server's own plan when it has enough scenarios; else the mock's plan and made-up ids (the mock answers any)
    const { id, plan } = await discoverPlan();
    const real = plan.scenarios.map((s) => s.id);
    const live = real.length > maxScenarios;
    const planId = live ? id : "plan_9xKz2";
    const ids = live
      ? real.slice(0, maxScenarios + 1)
      : Array.from({ length: maxScenarios + 1 }, (_, i) => `scen_${i}`);
    let before = proxy.apiRequests;
    const pnl = await call("get_pnl_summary", { planId, scenarioIds: ids });
    expect(pnl.isError, textOf(pnl)).toBeFalsy();
    expect(proxy.apiRequests - before).toBe(2);
    expect(validateResponse(spec, specAjv, "getPnlSummary", 200, pnl.structuredContent)).toEqual([]);
    before = proxy.apiRequests;
    const compare = await call("compare_scenarios", {
      planId,
      baseScenarioId: live ? ids[0] : "scen_abc",
      scenarioIds: live ? ids.slice(1, maxScenarios + 1) : ids.slice(0, maxScenarios),
    });
    expect(compare.isError, textOf(compare)).toBeFalsy();
    expect(proxy.apiRequests - before).toBe(2);
  });

  it("a bad interval lists the spec's intervals for that tool", async () => {
    const text = await rejectedLocally("get_pnl_summary", { planId: "plan_9xKz2", interval: "W" });
    expect(text).toContain(`interval must be one of: ${(pnlParams.interval!.schema.enum as string[]).join(", ")}`);
  });

  it("a reversed date range names dateFrom and dateTo", async () => {
    const text = await rejectedLocally("get_demand_forecast", {
      planId: "plan_9xKz2",
      dateFrom: "2025-06-01",
      dateTo: "2025-01-31",
    });
    expect(text).toMatch(/^get_demand_forecast: dateFrom must not be after dateTo \(2025-01-31\)/);
  });

  it("wrong types, unknown arguments and a missing planId are named, with where plan ids come from", async () => {
    expect(
      await rejectedLocally("get_pnl_summary", { planId: "plan_9xKz2", scenarioIds: "scen_abc,scen_px3" }),
    ).toMatch(/scenarioIds must be a list of ids/);
    expect(await rejectedLocally("get_pnl_summary", { planId: "plan_9xKz2", groupBy: "region" })).toMatch(
      /^get_pnl_summary: groupBy is not an argument of this tool; accepted: planId, scenarioIds, interval, dateFrom, dateTo, currency/,
    );
    expect(await rejectedLocally("get_sustainability", {})).toMatch(
      /^get_sustainability: planId is required; list plans with: the list_plans tool/,
    );
    expect(await rejectedLocally("list_plans", { planId: "x" })).toMatch(
      /planId is not an argument of this tool; it takes none/,
    );
  });

  mockOnly("needs the mock's Prefer: code=401").it(
    "401: the API rejected the token (after one replay with a fresh one)",
    async () => {
      const s = await connect(mockEnv(`${proxy.url}/code-401`));
      try {
        const result = await call("get_pnl_summary", { planId: "plan_9xKz2" }, s);
        expect(result.isError).toBe(true);
        expect(textOf(result)).toMatch(
          /^get_pnl_summary: the API rejected the token: 401 .*check the credential in SIMCEL_\*/,
        );
      } finally {
        await s.close();
      }
    },
  );

  mockOnly("needs the mock's Prefer: code=403").it(
    "403: names the scope the tool needs, and never suggests admin",
    async () => {
      const s = await connect(mockEnv(`${proxy.url}/code-403`));
      try {
        const demand = textOf(await call("get_demand_forecast", { planId: "plan_9xKz2" }, s));
        expect(demand).toMatch(/^get_demand_forecast: permission denied: the credential lacks the scope insights:read/);
        const plans = textOf(await call("list_plans", {}, s));
        expect(plans).toMatch(/lacks the scope plans:read/);
        expect(demand + plans).not.toMatch(/admin/);
      } finally {
        await s.close();
      }
    },
  );

  mockOnly("needs the mock's Prefer: code=404").it("404: plan not found, and where to list the plans", async () => {
    const s = await connect(mockEnv(`${proxy.url}/code-404`));
    try {
      const text = textOf(await call("get_pnl_summary", { planId: "plan_xxx" }, s));
      expect(text).toMatch(
        /^get_pnl_summary: not found: 404 Not Found: Plan plan_xxx not found or you do not have access .*; list the plans and scenarios you can read with: the list_plans tool$/,
      );
    } finally {
      await s.close();
    }
    const unknown = await call("compare_scenarios", { planId: "plan_unknown" });
    expect(textOf(unknown)).toMatch(/^compare_scenarios: not found: .*plan_unknown/);
  });

  mockOnly("needs the mock's Prefer: code=429").it(
    "429: rate limited, retry after the server's Retry-After, answered at once",
    async () => {
      const s = await connect(mockEnv(`${proxy.url}/code-429`));
      try {
        const started = performance.now();
        const result = await call("get_sustainability", { planId: "plan_9xKz2" }, s);
        expect(result.isError).toBe(true);
        expect(textOf(result)).toMatch(/^get_sustainability: rate limited: 429 Too Many Requests: .*; retry in 7 s$/);
        // Not waited out inside the tool call (the host may time it out): well under the 7 s asked for.
        expect(performance.now() - started).toBeLessThan(6000);
      } finally {
        await s.close();
      }
    },
  );

  it("an unknown tool is a protocol error, and the server goes on", async () => {
    await expect(call("delete_plan", {})).rejects.toThrow(/Unknown tool delete_plan; tools: list_plans/);
    expect((await call("list_plans")).isError).toBeFalsy();
  });

  it("an unreachable API: sign-in failed, and the server goes on answering", async () => {
    const s = await connect({ SIMCEL_BASE_URL: "http://127.0.0.1:9", SIMCEL_API_KEY: FAKE_KEY });
    try {
      const first = await call("list_plans", {}, s);
      expect(textOf(first)).toMatch(/^list_plans: sign-in failed: token request failed/);
      expect((await s.client.listTools()).tools).toHaveLength(5);
    } finally {
      await s.close();
    }
  });
});

describe("simcel-mcp credentials", () => {
  it("without credentials it starts and lists its tools; every call names the variables to set", async () => {
    const s = await connect({ SIMCEL_BASE_URL: baseUrl });
    try {
      const { tools } = await s.client.listTools();
      expect(tools).toHaveLength(5);
      for (const [tool, args] of [
        ["list_plans", {}],
        ["get_pnl_summary", { planId: "plan_9xKz2" }],
        ["get_demand_forecast", { planId: "plan_9xKz2" }],
        ["get_sustainability", { planId: "plan_9xKz2" }],
        ["compare_scenarios", { planId: "plan_9xKz2" }],
      ] as const) {
        const result = await call(tool, args, s);
        expect(result.isError).toBe(true);
        expect(textOf(result)).toBe(
          `${tool}: no credential in the environment: set SIMCEL_API_KEY, or SIMCEL_CLIENT_ID and SIMCEL_CLIENT_SECRET, or SIMCEL_TOKEN (in the env of this server's entry in the MCP host's configuration; then restart the server). Grant the key the scopes insights:read and plans:read, never admin`,
        );
      }
      await expect(s.client.readResource({ uri: "simcel://plans" })).rejects.toThrow(/set SIMCEL_API_KEY/);
    } finally {
      await s.close();
    }
  });

  it("conflicting credentials are named too", async () => {
    const s = await connect({ SIMCEL_BASE_URL: baseUrl, SIMCEL_API_KEY: FAKE_KEY, SIMCEL_TOKEN: "tok_FAKE_x" });
    try {
      expect(textOf(await call("list_plans", {}, s))).toMatch(
        /^list_plans: SIMCEL_API_KEY and SIMCEL_TOKEN are set: keep only one kind of credential/,
      );
    } finally {
      await s.close();
    }
  });

  it("five tool calls, one token request: one token cache for the life of the server", async () => {
    const planId = (await discoverPlan()).id;
    const counting = await startProxy(baseUrl);
    const s = await connect(mockEnv(counting.url));
    try {
      await call("list_plans", {}, s);
      await call("get_pnl_summary", { planId }, s);
      await call("get_demand_forecast", { planId }, s);
      await call("get_sustainability", { planId }, s);
      await call("compare_scenarios", { planId }, s);
      expect(counting.apiRequests).toBe(6); // compare looks the plan up, then reads the P&L
      expect(counting.tokenRequests).toBe(1);
    } finally {
      await s.close();
      await counting.close();
    }
  });

  mockOnly("fake keys, a static token and the mock's Prefer: code=401").it(
    "no API key, client secret or token in any tool result or stderr line, with debug logging on",
    async () => {
      const SECRET = "FAKE-client-secret-do-not-use";
      const STATIC = "tok_FAKE_static_token_do_not_use";
      const token = (
        Object.values(
          (
            listOperations(spec) as Array<{
              operationId: string;
              responses: Record<string, { examples: Record<string, { accessToken: string }> }>;
            }>
          ).find((o) => o.operationId === "exchangeApiKey")!.responses["200"]!.examples,
        )[0] as { accessToken: string }
      ).accessToken;
      const envs = [
        { ...mockEnv(proxy.url), SIMCEL_LOG: "debug" },
        {
          SIMCEL_BASE_URL: proxy.url,
          SIMCEL_CLIENT_ID: "cli_test_client",
          SIMCEL_CLIENT_SECRET: SECRET,
          SIMCEL_SCOPES: "insights:read plans:read",
          SIMCEL_LOG: "debug",
        },
        { SIMCEL_BASE_URL: `${proxy.url}/code-401`, SIMCEL_TOKEN: STATIC, SIMCEL_LOG: "debug" },
        { SIMCEL_BASE_URL: "http://127.0.0.1:9", SIMCEL_API_KEY: FAKE_KEY, SIMCEL_LOG: "debug" },
      ];
      for (const env of envs) {
        const s = await connect(env);
        const seen: string[] = [];
        try {
          for (const [tool, args] of [
            ["list_plans", {}],
            ["get_pnl_summary", { planId: "plan_9xKz2" }],
            ["compare_scenarios", { planId: "plan_9xKz2" }],
            ["get_pnl_summary", { planId: "plan_9xKz2", scenarioIds: ["a", "b", "c", "d"] }],
          ] as const)
            seen.push(JSON.stringify(await call(tool, args, s)));
        } finally {
          await s.close();
        }
        const stderr = s.stderr();
        expect(stderr, "debug logging wrote nothing").toMatch(/simcel-mcp (debug|info|warn)/);
        for (const text of [...seen, ...stderr.split("\n")]) {
          expect(text).not.toContain("FAKE");
          expect(text).not.toContain(token);
          expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
        }
      }
    },
  );
});
