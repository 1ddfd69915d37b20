import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createAttempt, hasBrand, stampBrands, withRetries } from "../src/index.js";

const timing = { baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("withRetries", () => {
  it("retries what the policy allows, with backoff, reporting each retry to the hook and the logger", async () => {
    const run = vi.fn(async (attempt: number) => {
      if (attempt < 3) throw new Error(`boom ${attempt}`);
      return "ok";
    });
    const onRetry = vi.fn();
    const info = vi.fn();
    const result = withRetries({
      operation: "op",
      attempts: 3,
      timing,
      run,
      retryable: () => ({}),
      onRetry,
      logger: { info },
      random: () => 1,
    });
    await vi.advanceTimersByTimeAsync(99);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(200);
    await expect(result).resolves.toBe("ok");
    expect(onRetry.mock.calls.map(([e]) => [e.attempt, e.delayMs, e.operation, e.error.message])).toEqual([
      [1, 100, "op", "boom 1"],
      [2, 200, "op", "boom 2"],
    ]);
    expect(info).toHaveBeenCalledTimes(2);
    expect(info.mock.calls[0]?.[0]).toBe("op: attempt 1 failed, retrying in 100 ms: boom 1");
  });

  it("throws a final failure at once and the last failure when attempts are spent", async () => {
    const final = withRetries({
      operation: "op",
      attempts: 5,
      timing,
      run: () => Promise.reject(new Error("no")),
      retryable: () => false,
    });
    await expect(final).rejects.toThrow("no");
    const run = vi.fn(() => Promise.reject(new Error("again")));
    const spent = withRetries({ operation: "op", attempts: 2, timing, run, retryable: () => ({}) }).catch((e) => e);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await spent).toMatchObject({ message: "again" });
    expect(run).toHaveBeenCalledTimes(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("waits Retry-After, and does not retry when the server asks for longer than the cap", async () => {
    const run = vi.fn(() => Promise.reject(new Error("429")));
    const short = withRetries({
      operation: "op",
      attempts: 2,
      timing,
      run,
      retryable: () => ({ retryAfterMs: 3000 }),
    }).catch((e) => e);
    await vi.advanceTimersByTimeAsync(2999);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(2);
    await short;
    const long = vi.fn(() => Promise.reject(new Error("429")));
    await expect(
      withRetries({ operation: "op", attempts: 3, timing, run: long, retryable: () => ({ retryAfterMs: 60_000 }) }),
    ).rejects.toThrow();
    expect(long).toHaveBeenCalledTimes(1);
  });

  it("ends with the caller's reason when it aborts during the wait; no timer is left", async () => {
    const controller = new AbortController();
    const result = withRetries({
      operation: "op",
      attempts: 3,
      timing,
      signal: controller.signal,
      run: () => Promise.reject(new Error("x")),
      retryable: () => ({}),
    }).catch((e) => e);
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new Error("stop"));
    expect(await result).toMatchObject({ message: "stop" });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("survives a throwing hook and a throwing logger", async () => {
    let n = 0;
    const result = withRetries({
      operation: "op",
      attempts: 2,
      timing,
      run: async () => (n++ ? "ok" : Promise.reject(new Error("x"))),
      retryable: () => ({}),
      onRetry: () => {
        throw new Error("hook bug");
      },
      logger: {
        info: () => {
          throw new Error("logger bug");
        },
      },
    });
    await vi.advanceTimersByTimeAsync(1000);
    await expect(result).resolves.toBe("ok");
  });
});

describe("createAttempt", () => {
  it("times out only once armed, and says it was the timeout", async () => {
    const attempt = createAttempt(1000);
    await vi.advanceTimersByTimeAsync(5000);
    expect(attempt.signal.aborted).toBe(false);
    attempt.arm();
    attempt.arm(); // a second arm does not restart the clock
    await vi.advanceTimersByTimeAsync(1000);
    expect(attempt.signal.aborted).toBe(true);
    expect(attempt.timedOut).toBe(true);
    expect((attempt.signal.reason as DOMException).name).toBe("TimeoutError");
    attempt.end();
  });

  it("follows the caller's signal, and end() unlinks it and clears the timer", async () => {
    const caller = new AbortController();
    const attempt = createAttempt(1000, caller.signal);
    attempt.arm();
    caller.abort(new Error("stop"));
    expect(attempt.signal.reason).toMatchObject({ message: "stop" });
    expect(attempt.timedOut).toBe(false);
    attempt.end();
    expect(vi.getTimerCount()).toBe(0);

    const later = new AbortController();
    const other = createAttempt(1000, later.signal);
    other.end();
    later.abort();
    expect(other.signal.aborted).toBe(false);
  });
});

describe("brands", () => {
  class Base extends Error {
    static brand = "t/Base";
    static override [Symbol.hasInstance](value: unknown) {
      // biome-ignore lint/complexity/noThisInStatic: `this` is the class `instanceof` asks about
      return hasBrand(value, (this as { brand?: string }).brand);
    }
    constructor(message: string) {
      super(message);
      stampBrands(this);
    }
  }
  class Child extends Base {
    static override brand = "t/Child";
  }
  it("make instanceof work by brand, along the class chain", () => {
    const child = new Child("x");
    expect(child instanceof Child && child instanceof Base).toBe(true);
    expect(new Base("y") instanceof Child).toBe(false);
    // a look-alike from another copy of the code, built by a different class with the same brands
    class OtherBase extends Error {
      static brand = "t/Base";
      constructor() {
        super("z");
        stampBrands(this);
      }
    }
    class OtherChild extends OtherBase {
      static override brand = "t/Child";
    }
    expect(new OtherChild() instanceof Child).toBe(true);
    expect(new Error("plain") instanceof Base).toBe(false);
    expect(JSON.stringify(child)).toBe("{}");
  });
});
