// Inferred facts never fail a call, and each mismatch is heard once: across calls, across rows of one
// body, and across the clients of one program that share a logger or a hook.
import { describe, expect, it, vi } from "vitest";
import {
  checkResponse,
  createInsightsClient,
  type InsightsClientOptions,
  operations,
  ResponseValidationError,
  type Shape,
  shapes,
} from "../src/index.js";
import { co2FY, fakeFetch, json, pnlFY } from "./helpers.js";

const monthly = (rows: number) => ({
  meta: { planId: "plan_1", currency: "USD", interval: "M", generatedAt: "2025-06-30T08:15:00Z" },
  scenarios: [
    {
      scenarioId: "scen_base",
      scenarioName: "Committed",
      scenarioColor: "teal", // inferred #RRGGBB
      series: Array.from({ length: rows }, (_, i) => {
        const { ...figures } = pnlFY.scenarios[0]!.pnl;
        return { ...figures, month: `2025-${String(i + 1).padStart(2, "0")}` }; // `period` (inferred) is `month`
      }),
    },
  ],
});
const client = (body: unknown, options: InsightsClientOptions = {}) => {
  const { fetch } = fakeFetch(() => json(200, body));
  return createInsightsClient({ baseUrl: "https://api.test", fetch, ...options });
};

describe("a body that differs from the spec only where the spec guessed", () => {
  it("is returned as sent: a missing inferred field, an unknown field in every row, a colour name", async () => {
    const body = monthly(12);
    const onSpecMismatch = vi.fn();
    await expect(
      client(body, { hooks: { onSpecMismatch } }).getPnlSummary({ planId: "plan_1", interval: "M" }),
    ).resolves.toEqual(body);
    // twelve rows, one report per field: the positions of a list count as one
    expect(onSpecMismatch.mock.calls.map(([e]) => [e.pointer, e.expected, e.actual, e.inferred])).toEqual([
      ["/scenarios/0/scenarioColor", "a string matching ^#[0-9A-Fa-f]{6}$", '"teal"', true],
      ["/scenarios/0/series/0/period", "present", "missing", true],
      ["/scenarios/0/series/0/month", "no such field", "present", false],
    ]);
  });

  it("a documented field whose content the spec only guessed must still be there", async () => {
    const withoutSummary = structuredClone(co2FY) as { scenarios: Record<string, unknown>[] };
    delete withoutSummary.scenarios[0]!.summary;
    const error = await client(withoutSummary)
      .getSustainability({ planId: "plan_1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error).toMatchObject({ pointer: "/scenarios/0/summary" });
    // while inside it only totalCO2 is required, and that only by inference
    const withoutTotal = structuredClone(co2FY) as { scenarios: { summary: Record<string, unknown> }[] };
    delete withoutTotal.scenarios[0]!.summary.totalCO2;
    await expect(client(withoutTotal).getSustainability({ planId: "plan_1" })).resolves.toEqual(withoutTotal);
  });
});

describe("once per operation and field, for the whole program", () => {
  it("clients made per request that share a logger and a hook report a mismatch once between them", async () => {
    const warn = vi.fn();
    const onSpecMismatch = vi.fn();
    const shared = { logger: { warn }, hooks: { onSpecMismatch } };
    for (let i = 0; i < 5; i++) await client(monthly(2), shared).getPnlSummary({ planId: "plan_1", interval: "M" });
    expect(warn).toHaveBeenCalledTimes(3);
    expect(onSpecMismatch).toHaveBeenCalledTimes(3);
    // a warn function of its own hears it again: the record is per sink, not a global mute
    const other = vi.fn();
    await client(monthly(2), { logger: { warn: other } }).getPnlSummary({ planId: "plan_1", interval: "M" });
    expect(other).toHaveBeenCalledTimes(3);
    expect(warn).toHaveBeenCalledTimes(3);
  });

  it("a copy of the package (its other build) shares the record", async () => {
    const copy: typeof import("../src/mismatch-reports.js") = await import(
      "../src/mismatch-reports.ts?copy=1" as string
    );
    const own: typeof import("../src/mismatch-reports.js") = await import("../src/mismatch-reports.js");
    expect(copy.firstReport).not.toBe(own.firstReport);
    const sink = {};
    expect(own.firstReport(sink, "k")).toBe(true);
    expect(copy.firstReport(sink, "k")).toBe(false);
    expect(copy.firstReport(sink, "other")).toBe(true);
  });
});

describe("checkResponse, on its own", () => {
  it("lists every mismatch with what the spec says, what came back and whether it was only guessed", () => {
    const shape = operations.listPlans.response as Shape;
    const body = { plans: [{ id: 7, name: "n", currency: "usd", scenarios: [{ id: "s", name: "S", flags: ["x"] }] }] };
    expect(checkResponse(shape, body, shapes as Record<string, Shape>)).toEqual([
      { pointer: "/plans/0/id", expected: "string", actual: "integer", inferred: false, fatal: true },
      {
        pointer: "/plans/0/currency",
        expected: "a string matching ^[A-Z]{3}$",
        actual: '"usd"',
        inferred: false,
        fatal: false,
      },
      {
        pointer: "/plans/0/scenarios/0/flags/0",
        expected: "one of: actual, committed, forecast base, primary",
        actual: '"x"',
        inferred: false,
        fatal: false,
      },
    ]);
  });
});
