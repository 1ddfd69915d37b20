// The days a period label covers, for the dateFrom/dateTo a cut answer advises: ISO weeks start on Monday and
// belong to the year of their Thursday; a fiscal year's days depend on the plan, so none are given.
import { describe, expect, it } from "vitest";
import { periodDays } from "../src/period-dates.js";

describe("periodDays", () => {
  it.each([
    ["2025-01-15", "2025-01-15", "2025-01-15"],
    ["2025-W01", "2024-12-30", "2025-01-05"],
    ["2025-W03", "2025-01-13", "2025-01-19"],
    ["2026-W53", "2026-12-28", "2027-01-03"],
    ["2021-W01", "2021-01-04", "2021-01-10"],
    ["2025-02", "2025-02-01", "2025-02-28"],
    ["2024-02", "2024-02-01", "2024-02-29"],
    ["2025-12", "2025-12-01", "2025-12-31"],
  ])("%s is %s to %s", (period, first, last) => {
    expect(periodDays(period)).toEqual({ first, last });
  });

  it("a fiscal year or an unknown label has no days", () => {
    expect(periodDays("2025")).toBeUndefined();
    expect(periodDays("Q1")).toBeUndefined();
  });
});
