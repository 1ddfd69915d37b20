import { describe, expect, it } from "vitest";
import { isDuration } from "../src/index.js";

describe("isDuration: the one check of the libraries' numeric options", () => {
  it("takes a finite number above 0, and 0 only when allowed", () => {
    for (const ok of [1, 0.5, 30_000]) expect(isDuration(ok), String(ok)).toBe(true);
    for (const bad of [0, -1, Infinity, Number.NaN, "100", undefined, null])
      expect(isDuration(bad), String(bad)).toBe(false);
    expect(isDuration(0, { zero: true })).toBe(true);
    expect(isDuration(-1, { zero: true })).toBe(false);
  });
});
