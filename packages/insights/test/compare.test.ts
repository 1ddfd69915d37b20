import { describe, expect, it } from "vitest";
import {
  chooseBaseScenario,
  compareScenarios,
  InvalidRequestError,
  type KpiComparison,
  type PnlFigures,
  type PnlSummary,
} from "../src/index.js";
import { pnlFY } from "./helpers.js";

const base = pnlFY.scenarios[0]!.pnl;
const fy = (...scenarios: [string, Partial<PnlFigures>][]): PnlSummary => ({
  meta: pnlFY.meta,
  scenarios: scenarios.map(([id, change]) => ({
    scenarioId: id,
    scenarioName: `Name ${id}`,
    pnl: { ...base, ...change },
  })),
});
const kpi = (row: { kpis: KpiComparison[] } | undefined, name: string) => row?.kpis.find((k) => k.kpi === name);

describe("compareScenarios", () => {
  it("compares each other scenario with the first by default: value, delta and delta ratio", () => {
    const result = compareScenarios(fy(["a", {}], ["b", { grossFIESales: 1100, cogs: 450 }]));
    expect(result).toMatchObject({ baseScenarioId: "a", baseScenarioName: "Name a", interval: "FY", currency: "USD" });
    expect(result.rows).toHaveLength(1);
    const row = result.rows[0]!;
    expect(row).toMatchObject({ scenarioId: "b", scenarioName: "Name b", period: null });
    expect(kpi(row, "grossFIESales")).toEqual({
      kpi: "grossFIESales",
      percent: false,
      base: 1000,
      value: 1100,
      delta: 100,
      deltaRatio: 0.1,
    });
    expect(kpi(row, "cogs")).toMatchObject({ delta: -50, deltaRatio: -0.1 });
    expect(row.kpis.map((k) => k.kpi)).toEqual(Object.keys(base));
  });

  it("takes the scenario the plan flags committed as base, given the plan or its scenarios", () => {
    const summary = fy(["a", {}], ["b", { ebit: -100 }], ["c", {}]);
    const scenarios = [
      { id: "a", name: "A", flags: ["actual" as const] },
      { id: "b", name: "B", flags: ["primary" as const, "committed" as const] },
    ];
    const fromPlan = compareScenarios(summary, { plan: { id: "p", name: "P", currency: "USD", scenarios } });
    expect(fromPlan.baseScenarioId).toBe("b");
    expect(fromPlan.rows.map((r) => r.scenarioId)).toEqual(["a", "c"]);
    expect(compareScenarios(summary, { plan: scenarios }).baseScenarioId).toBe("b");
  });

  it("falls back to the first scenario when the committed one is not in the summary", () => {
    const summary = fy(["a", {}], ["c", {}]);
    const plan = [{ id: "b", name: "B", flags: ["committed" as const] }];
    expect(compareScenarios(summary, { plan }).baseScenarioId).toBe("a");
  });

  it("without a committed scenario, the one the plan flags primary is the base (as simcel compare picks it)", () => {
    const summary = fy(["a", {}], ["b", {}], ["c", {}]);
    const plan = [
      { id: "a", name: "A", flags: ["actual" as const] },
      { id: "c", name: "C", flags: ["primary" as const] },
    ];
    expect(compareScenarios(summary, { plan }).baseScenarioId).toBe("c");
    expect(chooseBaseScenario(plan)?.id).toBe("c");
  });

  it("an explicit baseScenarioId wins, and an unknown one is an InvalidRequestError listing the choices", () => {
    const summary = fy(["a", {}], ["b", {}]);
    const plan = [{ id: "a", name: "A", flags: ["committed" as const] }];
    expect(compareScenarios(summary, { baseScenarioId: "b", plan }).baseScenarioId).toBe("b");
    expect(() => compareScenarios(summary, { baseScenarioId: "zz" })).toThrow(InvalidRequestError);
    expect(() => compareScenarios(summary, { baseScenarioId: "zz" })).toThrow(/baseScenarioId .*: a, b/);
    expect(() => compareScenarios({ meta: pnlFY.meta, scenarios: [] })).toThrow(/none/);
  });

  it("a zero base gives a null delta ratio, never Infinity or NaN", () => {
    const row = compareScenarios(fy(["a", {}], ["b", { tradeExpenses: 50 }])).rows[0];
    expect(kpi(row, "tradeExpenses")).toMatchObject({ base: 0, value: 50, delta: 50, deltaRatio: null });
    const same = compareScenarios(fy(["a", {}], ["b", {}])).rows[0];
    expect(kpi(same, "tradeExpenses")).toMatchObject({ delta: 0, deltaRatio: null });
  });

  it("percent KPIs compare in points, not as ratios of ratios", () => {
    const row = compareScenarios(fy(["a", {}], ["b", { cogsPercent: 0.55, ebitPercent: -0.1 }])).rows[0];
    const cogs = kpi(row, "cogsPercent");
    expect(cogs).toMatchObject({ percent: true, base: 0.5, value: 0.55, deltaRatio: null });
    expect(cogs?.delta).toBeCloseTo(0.05, 12);
    expect(kpi(row, "ebitPercent")?.delta).toBeCloseTo(0.1, 12);
    expect(row?.kpis.filter((k) => k.percent).map((k) => k.kpi)).toEqual(["cogsPercent", "ebitPercent", "dpmPercent"]);
  });

  it("a negative base gives a ratio against its size: an improvement is positive", () => {
    const row = compareScenarios(fy(["a", {}], ["b", { ebit: -100 }])).rows[0];
    expect(kpi(row, "ebit")).toMatchObject({ base: -200, value: -100, delta: 100, deltaRatio: 0.5 });
  });

  it("compares a monthly summary month by month, leaving out months the base lacks", () => {
    const month = (period: string, change: Partial<PnlFigures> = {}) => ({ period, ...base, ...change });
    const summary: PnlSummary = {
      meta: { ...pnlFY.meta, interval: "M" },
      scenarios: [
        { scenarioId: "a", scenarioName: "A", series: [month("2025-01"), month("2025-02")] },
        {
          scenarioId: "b",
          scenarioName: "B",
          series: [month("2025-01", { dpm: 330 }), month("2025-02", { dpm: 270 }), month("2025-03")],
        },
      ],
    };
    const result = compareScenarios(summary);
    expect(result.interval).toBe("M");
    expect(result.rows.map((r) => [r.scenarioId, r.period])).toEqual([
      ["b", "2025-01"],
      ["b", "2025-02"],
    ]);
    expect(kpi(result.rows[0], "dpm")).toMatchObject({ delta: 30, deltaRatio: 0.1 });
    expect(kpi(result.rows[1], "dpm")).toMatchObject({ delta: -30, deltaRatio: -0.1 });
    expect(result.rows[0]?.kpis.some((k) => (k.kpi as string) === "period")).toBe(false);
  });
});

describe("chooseBaseScenario", () => {
  const s = (id: string, ...flags: string[]) => ({ id, name: id.toUpperCase(), flags });
  it("committed, else primary, else the first scenario, whatever their order", () => {
    expect(chooseBaseScenario([s("a"), s("b", "primary"), s("c", "committed")])?.id).toBe("c");
    expect(chooseBaseScenario([s("a", "actual"), s("b", "primary")])?.id).toBe("b");
    expect(chooseBaseScenario([s("a", "forecast base"), s("b")])?.id).toBe("a");
  });

  it("reads a plan or a list of scenarios; scenarios without flags are what-ifs", () => {
    const plan = { id: "p", name: "P", currency: "USD", scenarios: [s("x"), s("y", "committed")] };
    expect(chooseBaseScenario(plan)?.id).toBe("y");
    expect(chooseBaseScenario([{ id: "x" }, { id: "y" }])?.id).toBe("x");
  });

  it("a requested id is taken as is when present, undefined when not; no scenarios give undefined", () => {
    const list = [s("a", "committed"), s("b")];
    expect(chooseBaseScenario(list, "b")?.id).toBe("b");
    expect(chooseBaseScenario(list, "zz")).toBeUndefined();
    expect(chooseBaseScenario([])).toBeUndefined();
  });
});
