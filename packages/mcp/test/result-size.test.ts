// The size cap of tool answers, on the sandbox's largest answer: the demand forecast by day and SKU for every
// scenario of a plan over its 24 months (megabytes of JSON). Over the cap, an answer comes back smaller but whole —
// valid JSON, valid against the tool's output schema — marked truncated, and the narrower calls it advises give
// whole answers.
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../../packages/sandbox/src/index.js";
import { DEFAULT_MAX_RESULT_BYTES } from "../src/result-size.js";
import { textOf } from "./helpers.js";
import { connectInMemory, type InMemoryConnection } from "./in-memory.js";

const KEY = "sk_test_FAKE_result_size_000000000";
let sandbox: Sandbox;
let capped: InMemoryConnection;
let tools: Map<string, Tool>;
let planId: string;
const LARGEST = () => ({ planId, interval: "D", groupBy: "sku" });

beforeAll(async () => {
  sandbox = await startSandbox({});
  sandbox.createApiKey({ key: KEY });
  planId = sandbox.plans[0]?.id as string;
  const env = { SIMCEL_API_KEY: KEY, SIMCEL_BASE_URL: sandbox.url };
  capped = await connectInMemory(env);
  tools = new Map((await capped.client.listTools()).tools.map((t) => [t.name, t]));
});
afterAll(async () => {
  await capped?.close();
  await sandbox?.close();
});

interface Answer {
  isError?: boolean;
  text: string;
  structured: Record<string, unknown> & {
    truncated?: { shown: string; advice: string; fullBytes: number; narrower: Narrowing[] };
    scenarios?: Array<{ scenarioId: string; series?: Array<Record<string, unknown>> }>;
  };
}
interface Narrowing {
  arguments: Record<string, unknown>;
  omit?: string[];
  bytes: number;
  estimated: boolean;
  fits: boolean;
}
async function call(on: InMemoryConnection, name: string, args: Record<string, unknown>): Promise<Answer> {
  const result = await on.client.callTool({ name, arguments: args });
  return {
    ...(result.isError ? { isError: true } : {}),
    text: textOf(result as { content?: unknown }),
    structured: result.structuredContent as Answer["structured"],
  };
}
const bytes = (s: string) => Buffer.byteLength(s, "utf8");
const ajv = addFormats.default(new Ajv({ strict: false, allErrors: true }));
const validOutput = (name: string, value: unknown) => {
  const validate = ajv.compile(tools.get(name)?.outputSchema as object);
  return validate(value) ? [] : validate.errors;
};

/** The API's own answer for `query`, whole: what the tool would answer without a cap. */
async function fromApi(query: Record<string, string>): Promise<Answer> {
  const token = await fetch(`${sandbox.url}/auth/v1/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ apiKey: KEY }),
  }).then((r) => r.json() as Promise<{ accessToken: string }>);
  const text = await fetch(`${sandbox.url}/insights/v1/demand-forecast?${new URLSearchParams(query)}`, {
    headers: { authorization: `Bearer ${token.accessToken}` },
  }).then((r) => r.text());
  return { text, structured: JSON.parse(text) };
}

describe("the answer size cap", () => {
  let full: Answer;
  let cut: Answer;
  beforeAll(async () => {
    full = await fromApi(LARGEST());
    cut = await call(capped, "get_demand_forecast", LARGEST());
    // megabytes built, sent and parsed: seconds on a busy two-core machine
  }, 60_000);

  it("the largest answer is megabytes whole; capped, its text and structuredContent each fit, as valid JSON", () => {
    expect(full.isError, full.text).toBeUndefined();
    expect(bytes(full.text)).toBeGreaterThan(10 * DEFAULT_MAX_RESULT_BYTES);
    expect(full.structured.truncated).toBeUndefined();
    expect(cut.isError, cut.text).toBeUndefined();
    expect(bytes(cut.text)).toBeLessThanOrEqual(DEFAULT_MAX_RESULT_BYTES);
    expect(bytes(JSON.stringify(cut.structured))).toBeLessThanOrEqual(DEFAULT_MAX_RESULT_BYTES);
    expect(JSON.parse(cut.text)).toEqual(cut.structured);
    // most of the cap is used: the cut keeps as much as fits
    expect(bytes(cut.text)).toBeGreaterThan(DEFAULT_MAX_RESULT_BYTES * 0.8);
  });

  it("the cut answer is valid against the tool's output schema (ajv)", () => {
    expect(validOutput("get_demand_forecast", cut.structured)).toEqual([]);
  });

  it("it holds the first periods of every scenario, with their exact figures, and says so", () => {
    const scenarios = cut.structured.scenarios ?? [];
    expect(scenarios.map((s) => s.scenarioId)).toEqual(full.structured.scenarios?.map((s) => s.scenarioId));
    for (const [i, s] of scenarios.entries()) {
      const whole = full.structured.scenarios?.[i]?.series ?? [];
      expect(s.series?.length).toBeGreaterThan(0);
      expect(s.series).toEqual(whole.slice(0, s.series?.length));
    }
    const truncated = cut.structured.truncated!;
    expect(truncated.fullBytes).toBe(bytes(full.text));
    expect(truncated.shown).toMatch(
      /^periods \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2} \(\d+ of 7\d\d\) of all 6 scenarios$/,
    );
    expect(truncated.advice).toMatch(/cut to fit the cap of 100 kB/);
    expect(truncated.advice).toMatch(/dateFrom "\d{4}-\d{2}-\d{2}" and dateTo "\d{4}-\d{2}-\d{2}" gives \d+ kB/);
    expect(truncated.advice).toMatch(/interval "FY" gives about \d+ kB/);
    expect(truncated.advice).toMatch(/no groupBy gives about/);
    expect(truncated.advice).toMatch(/call again from dateFrom "\d{4}-\d{2}-\d{2}"/);
  });

  it("every narrower call it advises as fitting gives a whole answer, of about the size it said", async () => {
    const fitting = cut.structured.truncated!.narrower.filter((n) => n.fits);
    expect(fitting.length).toBeGreaterThanOrEqual(2);
    for (const n of fitting) {
      const args: Record<string, unknown> = { ...LARGEST(), ...n.arguments };
      for (const name of n.omit ?? []) delete args[name];
      const answer = await call(capped, "get_demand_forecast", args);
      expect(answer.isError, answer.text).toBeUndefined();
      expect(answer.structured.truncated, JSON.stringify(n)).toBeUndefined();
      expect(bytes(answer.text)).toBeLessThanOrEqual(DEFAULT_MAX_RESULT_BYTES);
      if (!n.estimated) expect(bytes(JSON.stringify(answer.structured))).toBe(n.bytes);
    }
  });

  it("the cap is set per server: a smaller one cuts smaller answers, and list_plans and compare_scenarios stay whole when they fit", async () => {
    const small = await connectInMemory(
      { SIMCEL_API_KEY: KEY, SIMCEL_BASE_URL: sandbox.url },
      { maxResultBytes: 20_000 },
    );
    try {
      const pnl = await call(small, "get_pnl_summary", { planId, interval: "M" });
      expect(bytes(pnl.text)).toBeLessThanOrEqual(20_000);
      expect(pnl.structured.truncated?.advice).toMatch(/cap of 20 kB/);
      expect(validOutput("get_pnl_summary", pnl.structured)).toEqual([]);
      // by ISO week: the advised window (Monday to Sunday dates) gives a whole answer
      const weekly = { planId, interval: "W", groupBy: "region" };
      const cutWeeks = await call(small, "get_demand_forecast", weekly);
      const window = cutWeeks.structured.truncated?.narrower.find((n) => "dateFrom" in n.arguments);
      expect(window?.fits).toBe(true);
      const following = await call(small, "get_demand_forecast", { ...weekly, ...window?.arguments });
      expect(following.structured.truncated).toBeUndefined();
      expect(following.structured.scenarios).toEqual(cutWeeks.structured.scenarios);
      for (const name of ["list_plans", "compare_scenarios"]) {
        const answer = await call(small, name, name === "list_plans" ? {} : { planId });
        expect(answer.structured.truncated, name).toBeUndefined();
      }
    } finally {
      await small.close();
    }
  });
});
