// Asking a time-series tool for less: the KPI fields wanted, and a compact table as the text. structuredContent keeps
// the exact numbers and stays valid against the tool's output schema; the text rounds ratios, and says so.
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../../packages/sandbox/src/index.js";
import { readableJson, renderTable } from "../src/answer-form.js";
import { textOf } from "./helpers.js";
import { connectInMemory, type InMemoryConnection } from "./in-memory.js";

const KEY = "sk_test_FAKE_answer_form_00000000";
let sandbox: Sandbox;
let on: InMemoryConnection;
let tools: Map<string, Tool>;
let planId: string;

beforeAll(async () => {
  sandbox = await startSandbox({});
  sandbox.createApiKey({ key: KEY });
  planId = sandbox.plans[0]?.id as string;
  on = await connectInMemory({ SIMCEL_API_KEY: KEY, SIMCEL_BASE_URL: sandbox.url });
  tools = new Map((await on.client.listTools()).tools.map((t) => [t.name, t]));
});
afterAll(async () => {
  await on?.close();
  await sandbox?.close();
});

type Scenarios = Array<{ scenarioId: string; series: Array<Record<string, unknown>> }>;
const call = async (name: string, args: Record<string, unknown>) => {
  const result = await on.client.callTool({ name, arguments: args });
  return {
    isError: result.isError,
    text: textOf(result as { content?: unknown }),
    structured: result.structuredContent as { scenarios: Scenarios },
  };
};
const ajv = addFormats.default(new Ajv({ strict: false }));
const valid = (name: string, value: unknown) => ajv.compile(tools.get(name)?.outputSchema as object)(value);

describe("fields and format", () => {
  it("the time-series tools take fields (their KPI names) and format (json or table); list_plans and compare_scenarios do not", () => {
    for (const name of ["get_pnl_summary", "get_demand_forecast", "get_sustainability"]) {
      const props = tools.get(name)?.inputSchema.properties as Record<
        string,
        { items?: { enum?: string[] }; enum?: string[] }
      >;
      expect(props.format?.enum).toEqual(["json", "table"]);
      expect(props.fields?.items?.enum?.length).toBeGreaterThan(2);
    }
    expect(tools.get("get_pnl_summary")?.inputSchema.properties).toHaveProperty(
      "fields.items.enum",
      expect.arrayContaining(["ebit", "netFIESales"]),
    );
    for (const name of ["list_plans", "compare_scenarios"])
      expect(tools.get(name)?.inputSchema.properties ?? {}).not.toHaveProperty("fields");
  });

  it("fields keeps only the KPIs asked for, with the same exact values, valid against the output schema", async () => {
    const all = await call("get_pnl_summary", { planId, interval: "M" });
    const some = await call("get_pnl_summary", { planId, interval: "M", fields: ["ebit", "netFIESales"] });
    expect(some.isError, some.text).toBeFalsy();
    expect(valid("get_pnl_summary", some.structured)).toBe(true);
    for (const [i, s] of some.structured.scenarios.entries())
      for (const [j, row] of s.series.entries()) {
        expect(Object.keys(row).sort()).toEqual(["ebit", "netFIESales", "period"]);
        const whole = all.structured.scenarios[i]!.series[j]!;
        expect(row).toEqual({ period: whole.period, ebit: whole.ebit, netFIESales: whole.netFIESales });
      }
    expect(Buffer.byteLength(some.text)).toBeLessThan(Buffer.byteLength(all.text) / 3);
  });

  it('format "table": a meta comment, one header row, then one row per scenario and period, with the same numbers', async () => {
    const json = await call("get_demand_forecast", { planId, interval: "M", groupBy: "region" });
    const table = await call("get_demand_forecast", { planId, interval: "M", groupBy: "region", format: "table" });
    expect(table.structured).toEqual(json.structured);
    const [meta, header, ...rows] = table.text.split("\n");
    expect(meta).toMatch(
      /^# meta \{"planId":.*ratios rounded to 4 decimals \(structuredContent has the exact values\)$/,
    );
    expect(header).toBe("scenarioId,period,groupKey,demandVolume,demandValue,fillRate,forecastAccuracy");
    const expected = json.structured.scenarios.flatMap((s) =>
      s.series.map((r): Record<string, unknown> => ({ scenarioId: s.scenarioId, ...r })),
    );
    expect(rows).toHaveLength(expected.length);
    expect(rows[0]!.split(",")).toEqual(
      ["scenarioId", "period", "groupKey", "demandVolume", "demandValue", "fillRate", "forecastAccuracy"].map((k) => {
        const v = expected[0]![k];
        return v === null ? "" : String(v);
      }),
    );
    expect(Buffer.byteLength(table.text)).toBeLessThan(Buffer.byteLength(json.text) / 2);
  });

  it("the instructions tell the model that texts round ratios and structuredContent is exact", () => {
    expect(on.client.getInstructions()).toContain(
      "a result's text rounds them to 4 decimals, its structuredContent has the exact values",
    );
  });

  it("the text rounds ratios (and a percent KPI's delta) to 4 decimals; amounts and structuredContent keep every digit", () => {
    const answer = {
      meta: { planId: "p", currency: "USD", interval: "FY" },
      scenarios: [
        { scenarioId: "s", scenarioName: 'S, "quoted"', pnl: { ebit: 1234.56789, ebitPercent: 0.123456789 } },
      ],
    };
    expect(JSON.parse(readableJson(answer)).scenarios[0].pnl).toEqual({ ebit: 1234.56789, ebitPercent: 0.1235 });
    expect(answer.scenarios[0]!.pnl.ebitPercent).toBe(0.123456789);
    // a comparison's percent KPI: its delta is in points, a ratio too; an amount's delta keeps its digits
    const kpis = [
      { kpi: "ebitPercent", percent: true, base: 0.3, value: 0.305, delta: 0.0050000000000000044, deltaRatio: null },
      { kpi: "ebit", percent: false, base: 3, value: 3.123456, delta: 0.123456, deltaRatio: 0.041152 },
    ];
    expect(JSON.parse(readableJson({ rows: [{ kpis }] })).rows[0].kpis).toEqual([
      { ...kpis[0], delta: 0.005 },
      { ...kpis[1], deltaRatio: 0.0412 },
    ]);
    const lines = renderTable(answer).split("\n");
    expect(lines.slice(1)).toEqual(["scenarioId,ebit,ebitPercent", "s,1234.56789,0.1235"]);
  });

  it("bad fields or format are tool errors naming the argument and what it takes", async () => {
    const badField = await call("get_pnl_summary", { planId, fields: ["ebitda"] });
    expect(badField.isError).toBe(true);
    expect(badField.text).toMatch(/fields must be a non-empty array of .*"ebit"/);
    const badFormat = await call("get_pnl_summary", { planId, format: "csv" });
    expect(badFormat.text).toMatch(/format must be "json" or "table"/);
    const notHere = await call("list_plans", { fields: ["ebit"] });
    expect(notHere.text).toMatch(/fields is not an argument of this tool/);
  });
});
