import { describe, expect, it } from "vitest";
import { dataAge } from "../src/index.js";
import { pnlFY } from "./helpers.js";

describe("dataAge", () => {
  it("tells how old meta.generatedAt is", () => {
    const now = Date.parse("2025-06-30T10:15:00Z");
    expect(dataAge(pnlFY, now)).toEqual({ generatedAt: new Date("2025-06-30T08:15:00Z"), ageMs: 2 * 3600_000 });
    expect(dataAge(pnlFY, new Date(now))).toMatchObject({ ageMs: 7_200_000 });
  });

  it("measures against the current clock by default", () => {
    const age = dataAge({ meta: { ...pnlFY.meta, generatedAt: new Date(Date.now() - 5000).toISOString() } });
    expect("ageMs" in age && age.ageMs).toBeGreaterThanOrEqual(5000);
    expect("ageMs" in age && age.ageMs).toBeLessThan(60_000);
  });

  it('reports a missing generatedAt as "no computed output"', () => {
    const { generatedAt: _, ...meta } = pnlFY.meta;
    expect(dataAge({ meta })).toEqual({
      generatedAt: null,
      reason: "no computed output",
    });
  });

  it("reports an unreadable generatedAt instead of an Invalid Date", () => {
    expect(dataAge({ meta: { ...pnlFY.meta, generatedAt: "yesterday-ish" } })).toEqual({
      generatedAt: null,
      reason: "unreadable generatedAt",
    });
  });
});
