import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createInsightsClient, type InsightsClientOptions, ServerError, TimeoutError } from "../src/index.js";
import { apiError, fakeFetch, hang, json } from "./helpers.js";

const plans = { plans: [] };
const client = (fetch: NonNullable<InsightsClientOptions["fetch"]>, options: InsightsClientOptions = {}) =>
  createInsightsClient({ baseUrl: "https://api.test", fetch, ...options });

beforeEach(() => {
  vi.useFakeTimers();
  vi.spyOn(Math, "random").mockReturnValue(1);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("timeouts", () => {
  it("aborts an attempt after 30 s by default and says so with a TimeoutError", async () => {
    const { fetch, calls } = fakeFetch(hang);
    const result = client(fetch, { maxRetries: 0 })
      .listPlans()
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(calls[0]?.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await result;
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).message).toContain("timed out after 30000 ms");
    expect(calls[0]?.signal.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("the timeout is per attempt: a timed-out attempt is retried with a fresh limit", async () => {
    const { fetch } = fakeFetch(hang, () => json(200, plans));
    const result = client(fetch, { timeoutMs: 1000 }).listPlans();
    await vi.advanceTimersByTimeAsync(1000); // first attempt times out
    await vi.advanceTimersByTimeAsync(500); // backoff
    await expect(result).resolves.toEqual(plans);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("a per-call timeoutMs overrides the client's", async () => {
    const { fetch } = fakeFetch(hang);
    const result = client(fetch, { maxRetries: 0, timeoutMs: 60_000 })
      .listPlans({ timeoutMs: 50 })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(50);
    expect(await result).toBeInstanceOf(TimeoutError);
  });

  it("the timeout covers reading the body", async () => {
    const { fetch } = fakeFetch(
      (request) =>
        new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('{"plans":'));
              request.signal.addEventListener("abort", () => controller.error(request.signal.reason));
            },
          }),
          { status: 200, headers: { "content-type": "application/json" } },
        ),
    );
    const result = client(fetch, { maxRetries: 0, timeoutMs: 100 })
      .listPlans()
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    expect(await result).toBeInstanceOf(TimeoutError);
  });

  it("rejects a timeoutMs that is not a positive number", async () => {
    const { fetch } = fakeFetch(hang);
    await expect(client(fetch).listPlans({ timeoutMs: 0 })).rejects.toThrow(/^\[@simcel\/insights\] timeoutMs/);
    await expect(client(fetch).listPlans({ timeoutMs: 0 })).rejects.toMatchObject({
      code: "config_invalid",
      setting: "timeoutMs",
    });
    expect(() => client(fetch, { timeoutMs: Number.NaN })).toThrow(/timeoutMs/);
    expect(() => client(fetch, { maxRetries: -1 })).toThrow(/^\[@simcel\/insights\] maxRetries/);
    expect(() => client(fetch, { maxRetries: 1.5 })).toThrow(/maxRetries/);
    expect(() => createInsightsClient({ baseUrl: "app.simcel.io/api", fetch })).toThrow(/baseUrl/);
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe("cancellation", () => {
  it("an abort during the request rejects with the caller's reason, not a TimeoutError", async () => {
    const { fetch, calls } = fakeFetch(hang);
    const controller = new AbortController();
    const reason = new Error("user pressed ctrl-c");
    const result = client(fetch).listPlans({ signal: controller.signal });
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(reason);
    await expect(result).rejects.toBe(reason);
    expect(calls[0]?.signal.aborted).toBe(true);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("an abort on the last attempt is still the caller's reason, not a TimeoutError", async () => {
    const { fetch } = fakeFetch(hang);
    const controller = new AbortController();
    const reason = new Error("cancelled");
    const result = client(fetch, { maxRetries: 0 }).listPlans({ signal: controller.signal });
    controller.abort(reason);
    await expect(result).rejects.toBe(reason);
  });

  it("an abort without a reason rejects with an AbortError", async () => {
    const { fetch } = fakeFetch(hang);
    const controller = new AbortController();
    const result = client(fetch).listPlans({ signal: controller.signal });
    controller.abort();
    await expect(result).rejects.toMatchObject({ name: "AbortError" });
  });

  it("an abort during backoff stops the wait at once, and no retry is sent", async () => {
    const { fetch } = fakeFetch(() => apiError(503, "x", "busy"));
    const controller = new AbortController();
    const result = client(fetch)
      .listPlans({ signal: controller.signal })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(1); // the backoff timer
    controller.abort(new Error("stop"));
    expect(await result).toMatchObject({ message: "stop" });
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("an already aborted signal sends nothing", async () => {
    const { fetch } = fakeFetch(hang);
    const reason = new Error("too late");
    await expect(client(fetch).listPlans({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(fetch).not.toHaveBeenCalled();
  });

  it("a long-lived signal keeps no listener after calls end", async () => {
    const { fetch } = fakeFetch(() => json(200, plans));
    const controller = new AbortController();
    const add = vi.spyOn(controller.signal, "addEventListener");
    const remove = vi.spyOn(controller.signal, "removeEventListener");
    const insights = client(fetch);
    for (let i = 0; i < 3; i++) await insights.listPlans({ signal: controller.signal });
    expect(add).toHaveBeenCalledTimes(3);
    expect(remove.mock.calls.map((c) => c[1])).toEqual(add.mock.calls.map((c) => c[1]));
    expect(vi.getTimerCount()).toBe(0);
  });

  it("no timer is left after success or a final error", async () => {
    const { fetch } = fakeFetch(() => apiError(500, "x", "boom"));
    const result = client(fetch, { maxRetries: 1 })
      .listPlans()
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(500);
    expect(await result).toBeInstanceOf(ServerError);
    expect(vi.getTimerCount()).toBe(0);
  });
});
