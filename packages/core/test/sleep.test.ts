import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { sleep } from "../src/index.js";

describe("sleep", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("resolves after the delay and leaves no timer behind", async () => {
    const done = vi.fn();
    sleep(1000).then(done);
    await vi.advanceTimersByTimeAsync(999);
    expect(done).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });
  it("rejects with the signal's reason on abort and clears its timer", async () => {
    const controller = new AbortController();
    const waiting = sleep(10_000, controller.signal);
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
    expect(vi.getTimerCount()).toBe(0);
  });
  it("rejects at once on an already aborted signal", async () => {
    await expect(sleep(5, AbortSignal.abort())).rejects.toMatchObject({ name: "AbortError" });
  });
});
