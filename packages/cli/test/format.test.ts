import { describe, expect, it } from "vitest";
import {
  formatAge,
  formatDelta,
  formatDeltaPercent,
  formatExpiry,
  formatMeta,
  formatNumber,
  formatPercent,
  formatTimestamp,
} from "../src/format.js";

describe("formatNumber", () => {
  it("groups thousands with commas whatever the machine's locale", () => {
    expect(formatNumber(12_500_000)).toBe("12,500,000");
    expect(formatNumber(-110_000)).toBe("-110,000");
    expect(formatNumber(999)).toBe("999");
  });
  it("keeps up to two decimals of fractional figures", () => {
    expect(formatNumber(1250.5)).toBe("1,250.5");
    expect(formatNumber(3700.756)).toBe("3,700.76");
    expect(formatNumber(-0.001)).toBe("0");
  });
  it("shows an absent or non-finite value as a dash", () => {
    expect(formatNumber(undefined)).toBe("—");
    expect(formatNumber(null)).toBe("—");
    expect(formatNumber(Number.NaN)).toBe("—");
  });
});

describe("formatPercent", () => {
  it("shows a 0–1 ratio with one decimal and a spaced percent sign", () => {
    expect(formatPercent(0.484)).toBe("48.4 %");
    expect(formatPercent(0.55)).toBe("55.0 %");
    expect(formatPercent(1)).toBe("100.0 %");
    expect(formatPercent(-0.0001)).toBe("0.0 %");
  });
  it("shows null (forecast accuracy off the actual scenario) as a dash", () => {
    expect(formatPercent(null)).toBe("—");
  });
});

describe("deltas", () => {
  it("sign positive deltas and leave zero unsigned", () => {
    expect(formatDelta(55_000)).toBe("+55,000");
    expect(formatDelta(-15_000)).toBe("-15,000");
    expect(formatDelta(0)).toBe("0");
    expect(formatDeltaPercent(0.0167)).toBe("+1.7 %");
    expect(formatDeltaPercent(-0.018)).toBe("-1.8 %");
    expect(formatDeltaPercent(0)).toBe("0.0 %");
    expect(formatDeltaPercent(null)).toBe("—");
  });
});

describe("time", () => {
  const now = Date.parse("2025-07-01T08:15:00Z");
  it("prints timestamps in UTC to the minute", () => {
    expect(formatTimestamp("2025-06-30T08:15:00Z")).toBe("2025-06-30 08:15 UTC");
    expect(formatTimestamp("2025-06-30T10:15:00+02:00")).toBe("2025-06-30 08:15 UTC");
    expect(formatTimestamp("yesterday")).toBe("yesterday");
  });
  it("says how old generatedAt is, in the largest sensible unit", () => {
    expect(formatAge("2025-07-01T08:14:30Z", now)).toBe("just now");
    expect(formatAge("2025-07-01T08:03:00Z", now)).toBe("12 min ago");
    expect(formatAge("2025-06-30T08:15:00Z", now)).toBe("24 h ago");
    expect(formatAge("2025-06-01T08:15:00Z", now)).toBe("30 days ago");
    expect(formatAge("2025-07-02T00:00:00Z", now)).toBe("in the future");
    expect(formatAge("garbage", now)).toBe("unknown age");
  });
  it("says when a token expires", () => {
    expect(formatExpiry(now + 3_600_000, now)).toBe("in 60 min");
    expect(formatExpiry(now + 5 * 3_600_000, now)).toBe("in 5 h");
    expect(formatExpiry(now - 120_000, now)).toBe("expired 2 min ago");
  });
  it("builds the meta line with the data age, or says the data is not computed", () => {
    const meta = { planId: "plan_1", currency: "USD", interval: "FY" };
    expect(formatMeta("P&L", { ...meta, generatedAt: "2025-06-30T08:15:00Z" }, now)).toBe(
      "P&L · plan_1 · USD · FY · generated 2025-06-30 08:15 UTC (24 h ago)",
    );
    expect(formatMeta("P&L", meta, now)).toBe("P&L · plan_1 · USD · FY · not computed yet (no generatedAt)");
  });
});
