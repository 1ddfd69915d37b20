// The EBIT bridge against the spec's cascade: for random P&Ls that obey it (net = gross − trade,
// gross profit = net − COGS, supply-chain cost = storage & handling + transport, EBIT = gross profit −
// supply-chain cost − other costs, DPM = EBIT − overhead, *Percent = field / net), the steps go from
// the base's EBIT to each scenario's EBIT, and each step is the change its own P&L line made.

import { bridgeDomain, compact, ebitBridge, signedCompact } from "@simcel/commands/charts";
import { compareScenarios, type PnlFigures, type PnlSummary } from "@simcel/insights";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

/** The free inputs of one scenario's cascade; everything else follows from them. */
interface Drivers {
  gross: number;
  trade: number;
  cogs: number;
  storage: number;
  transport: number;
  other: number;
  overhead: number;
}

/** The P&L a scenario with these drivers has, by the spec's arithmetic. */
function cascade(d: Drivers): PnlFigures {
  const net = d.gross - d.trade;
  const grossProfit = net - d.cogs;
  const supplyChainCost = d.storage + d.transport;
  const ebit = grossProfit - supplyChainCost - d.other;
  const dpm = ebit - d.overhead;
  return {
    grossFIESales: d.gross,
    tradeExpenses: d.trade,
    netFIESales: net,
    cogs: d.cogs,
    cogsPercent: d.cogs / net,
    grossProfit,
    supplyChainCost,
    storageAndHandling: d.storage,
    transport: d.transport,
    ebit,
    ebitPercent: ebit / net,
    dpm,
    dpmPercent: dpm / net,
  };
}

/** Whole currency units up to a few billions (sums stay exact), or cents when `fractional`. */
const amount = (max: number, fractional: boolean) =>
  fractional ? fc.integer({ min: 0, max: max * 100 }).map((c) => c / 100) : fc.integer({ min: 0, max });

const drivers = (fractional = false) =>
  fc
    .record({
      gross: amount(5e9, fractional),
      tradeShare: fc.double({ min: 0, max: 0.4, noNaN: true }),
      cogs: amount(4e9, fractional),
      storage: amount(5e8, fractional),
      transport: amount(5e8, fractional),
      other: amount(5e8, fractional),
      overhead: amount(5e8, fractional),
    })
    .filter((r) => r.gross > 1000)
    .map(({ tradeShare, ...r }) => ({ ...r, trade: Math.round(r.gross * tradeShare) }));

/** A fiscal-year summary of 1–3 scenarios with these drivers. */
function summary(all: Drivers[]): PnlSummary {
  return {
    meta: { planId: "plan_prop", currency: "EUR", interval: "FY", generatedAt: "2025-06-30T08:15:00Z" },
    scenarios: all.map((d, i) => ({ scenarioId: `scen_${i}`, scenarioName: `Scenario ${i}`, pnl: cascade(d) })),
  };
}

const close = (a: number, b: number, scale: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(scale));

describe("EBIT bridge", () => {
  it("adds up from the base EBIT to each scenario's EBIT, each step the change of its own line, for every base", () => {
    for (const fractional of [false, true])
      fc.assert(
        fc.property(fc.array(drivers(fractional), { minLength: 2, maxLength: 3 }), fc.nat(), (all, pick) => {
          const body = summary(all);
          const baseIndex = pick % all.length;
          const comparison = compareScenarios(body, { baseScenarioId: `scen_${baseIndex}` });
          expect(comparison.rows).toHaveLength(all.length - 1);
          const b = all[baseIndex]!;
          for (const row of comparison.rows) {
            const s = all[Number(row.scenarioId.slice(5))]!;
            const bridge = ebitBridge(row);
            const baseEbit = cascade(b).ebit;
            const ebit = cascade(s).ebit;
            const scale = Math.max(b.gross, s.gross);
            expect(bridge.baseEbit).toBe(baseEbit);
            expect(bridge.ebit).toBe(ebit);
            // Consistent data: exactly the five cascade steps, no unexplained gap.
            expect(bridge.steps.map((x) => x.key)).toEqual([
              "netSales",
              "cogs",
              "storageAndHandling",
              "transport",
              "otherCosts",
            ]);
            const by = Object.fromEntries(bridge.steps.map((x) => [x.key, x.amount]));
            const net = (d: Drivers) => d.gross - d.trade;
            expect(close(by.netSales!, net(s) - net(b), scale)).toBe(true);
            expect(close(by.cogs!, -(s.cogs - b.cogs), scale)).toBe(true);
            expect(close(by.storageAndHandling!, -(s.storage - b.storage), scale)).toBe(true);
            expect(close(by.transport!, -(s.transport - b.transport), scale)).toBe(true);
            expect(close(by.otherCosts!, -(s.other - b.other), scale)).toBe(true);
            // The running total starts at the base EBIT, chains step to step, and lands on the scenario's EBIT.
            expect(bridge.steps[0]!.from).toBe(baseEbit);
            bridge.steps.forEach((x, i) => {
              if (i > 0) expect(x.from).toBe(bridge.steps[i - 1]!.to);
              expect(x.to).toBe(x.from + x.amount);
            });
            expect(close(bridge.steps.at(-1)!.to, ebit, scale)).toBe(true);
            expect(
              close(
                bridge.steps.reduce((sum, x) => sum + x.amount, 0),
                ebit - baseEbit,
                scale,
              ),
            ).toBe(true);
          }
        }),
        { numRuns: 300 },
      );
  });

  it("shows figures that break the cascade as a 'not reconciled' step instead of hiding the gap", () => {
    fc.assert(
      fc.property(
        drivers(),
        drivers(),
        fc.integer({ min: -1e6, max: 1e6 }).filter((n) => n !== 0),
        fc.constantFrom("grossProfit", "supplyChainCost"),
        (b, s, error, field) => {
          const body = summary([b, s]);
          const broken = body.scenarios[1]!.pnl!;
          broken[field] += error;
          const [row] = compareScenarios(body, { baseScenarioId: "scen_0" }).rows;
          const bridge = ebitBridge(row!);
          const gap = bridge.steps.find((x) => x.key === "unreconciled");
          expect(gap).toBeDefined();
          // The gap is exactly the error: other costs are derived from both fields, and absorb it with this sign.
          const sign = field === "grossProfit" ? 1 : -1;
          const scale = Math.max(b.gross, s.gross);
          expect(close(gap!.amount, sign * error, scale)).toBe(true);
          expect(close(bridge.steps.at(-1)!.to, bridge.ebit, scale)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("uses the spec's own example: Committed → Price increase +3% is +55,000 through COGS, storage & handling and transport", () => {
    const body = summary([
      {
        gross: 12_500_000,
        trade: 1_500_000,
        cogs: 6_050_000,
        storage: 400_000,
        transport: 700_000,
        other: 550_000,
        overhead: 880_000,
      },
      {
        gross: 12_600_000,
        trade: 1_600_000,
        cogs: 5_940_000,
        storage: 385_000,
        transport: 770_000,
        other: 550_000,
        overhead: 880_000,
      },
    ]);
    const bridge = ebitBridge(compareScenarios(body).rows[0]!);
    expect(bridge.baseEbit).toBe(3_300_000);
    expect(bridge.ebit).toBe(3_355_000);
    expect(bridge.steps.map((s) => [s.key, s.amount])).toEqual([
      ["netSales", 0],
      ["cogs", 110_000],
      ["storageAndHandling", 15_000],
      ["transport", -70_000],
      ["otherCosts", 0],
    ]);
  });

  it("says which KPI is missing instead of drawing a wrong bridge", () => {
    const body = summary([
      { gross: 100, trade: 0, cogs: 10, storage: 1, transport: 1, other: 1, overhead: 1 },
      { gross: 200, trade: 0, cogs: 10, storage: 1, transport: 1, other: 1, overhead: 1 },
    ]);
    delete (body.scenarios[1]!.pnl as Partial<PnlFigures>).transport;
    expect(() => ebitBridge(compareScenarios(body).rows[0]!)).toThrow(/lacks transport/);
  });

  it("zooms the axis only when the steps would be slivers against zero, and then says where it starts", () => {
    expect(bridgeDomain([3_300_000, 3_410_000, 3_355_000])).toMatchObject({ zoomed: true });
    const zoomed = bridgeDomain([3_300_000, 3_410_000, 3_355_000]);
    expect(zoomed.floor).toBeGreaterThan(0);
    expect(zoomed.floor).toBeLessThan(3_300_000);
    expect(bridgeDomain([3_300_000, 2_300_000, 2_800_000])).toMatchObject({ zoomed: false, floor: 0 });
    expect(bridgeDomain([-500, 200]).floor).toBeLessThanOrEqual(-500);
  });
});

describe("chart labels", () => {
  it("are short above 10,000 and plain below, with a true minus sign on signed amounts", () => {
    expect([3_300_000, 3_355_000, 55_000, 3_700.75, 12.345, 0, -0.0001].map(compact)).toEqual([
      "3.3M",
      "3.355M",
      "55K",
      "3,701",
      "12.35",
      "0",
      "0",
    ]);
    expect([110_000, -70_000, 0, -0].map(signedCompact)).toEqual(["+110K", "−70K", "0", "0"]);
  });
});
