import { describe, expect, it } from "vitest";
import { backoffDelay, parseRetryAfter } from "../src/index.js";

const timing = { baseDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 30_000 };

describe("backoffDelay", () => {
  it("doubles per attempt, with jitter between half and all of the step", () => {
    expect(backoffDelay(0, timing, undefined, () => 0)).toBe(250);
    expect(backoffDelay(0, timing, undefined, () => 1)).toBe(500);
    expect(backoffDelay(3, timing, undefined, () => 0.5)).toBe(3000);
  });
  it("never exceeds maxDelayMs", () => {
    expect(backoffDelay(20, timing, undefined, () => 1)).toBe(8000);
  });
  it("honours Retry-After up to the cap and refuses to wait longer", () => {
    expect(backoffDelay(0, timing, 2000)).toBe(2000);
    expect(backoffDelay(0, timing, 0)).toBe(0);
    expect(backoffDelay(0, timing, 60_000)).toBeUndefined();
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it("reads delta-seconds", () => {
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter(" 1.5 ", now)).toBe(1500);
  });
  it("reads an HTTP date relative to now, never negative", () => {
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 23:59:00 GMT", now)).toBe(0);
  });
  it("ignores absent or unreadable values", () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-1", now)).toBeUndefined();
    expect(parseRetryAfter("", now)).toBeUndefined();
  });
});
