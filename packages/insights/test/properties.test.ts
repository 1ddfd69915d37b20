// Properties over many generated inputs: the comparison never yields Infinity or NaN and keeps its
// arithmetic; the date check accepts exactly the days a calendar has.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareScenarios, createInsightsClient, InvalidRequestError, type PnlSummary } from "../src/index.js";
import { fakeFetch, json, pnlFY } from "./helpers.js";

const kpis = Object.keys(pnlFY.scenarios[0]!.pnl);
const figures = fc.record(
  Object.fromEntries(kpis.map((k) => [k, fc.oneof(fc.constant(0), fc.double({ min: -1e9, max: 1e9, noNaN: true }))])),
) as fc.Arbitrary<Record<string, number>>;

describe("compareScenarios properties", () => {
  it("delta = value − base; the ratio is finite or null (null for zero bases and percent KPIs)", () => {
    fc.assert(
      fc.property(fc.array(figures, { minLength: 1, maxLength: 3 }), (all) => {
        const summary = {
          meta: pnlFY.meta,
          scenarios: all.map((pnl, i) => ({ scenarioId: `s${i}`, scenarioName: `S${i}`, pnl })),
        } as PnlSummary;
        const result = compareScenarios(summary);
        expect(result.rows).toHaveLength(all.length - 1);
        for (const row of result.rows) {
          expect(row.kpis).toHaveLength(kpis.length);
          for (const k of row.kpis) {
            expect(k.delta).toBe(k.value - k.base);
            if (k.percent || k.base === 0) expect(k.deltaRatio).toBeNull();
            else if (k.deltaRatio === null) expect(Math.abs(k.delta / k.base)).toBe(Number.POSITIVE_INFINITY);
            else expect(Number.isFinite(k.deltaRatio)).toBe(true);
          }
        }
      }),
    );
  });
});

describe("date check properties", () => {
  const client = () => {
    const { fetch } = fakeFetch(() => json(200, pnlFY));
    return createInsightsClient({ baseUrl: "https://api.test", fetch });
  };
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");

  it("accepts every real calendar day", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.date({ min: new Date("1900-01-01"), max: new Date("2199-12-31"), noInvalidDate: true }),
        async (d) => {
          const day = d.toISOString().slice(0, 10);
          await expect(client().getPnlSummary({ planId: "p", dateFrom: day, dateTo: day })).resolves.toBeDefined();
        },
      ),
      { numRuns: 200 },
    );
  });

  it("rejects a day the month does not have", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1900, max: 2199 }), fc.integer({ min: 1, max: 12 }), async (year, month) => {
        const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
        for (const day of [daysInMonth + 1, 0, 32]) {
          const text = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
          await expect(client().getPnlSummary({ planId: "p", dateFrom: text })).rejects.toBeInstanceOf(
            InvalidRequestError,
          );
        }
      }),
      { numRuns: 100 },
    );
  });
});
