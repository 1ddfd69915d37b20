import type { Middleware } from "openapi-fetch";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  AuthenticationError,
  ConnectionError,
  createInsightsClient,
  type InsightsClientOptions,
  RateLimitError,
  ServerError,
} from "../src/index.js";
import { apiError, fakeFetch, json } from "./helpers.js";

const plans = { plans: [] };
const ok = () => json(200, plans);
const fail =
  (status: number, headers: Record<string, string> = {}) =>
  () =>
    apiError(status, "x", "nope", headers);
const client = (fetch: NonNullable<InsightsClientOptions["fetch"]>, options: InsightsClientOptions = {}) =>
  createInsightsClient({ baseUrl: "https://api.test", fetch, ...options });

beforeEach(() => {
  vi.useFakeTimers();
  vi.spyOn(Math, "random").mockReturnValue(1); // jitter at its ceiling: delays 500, 1000, 2000 ms
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("retries", () => {
  it.each([429, 500, 502, 503, 504])("retries a GET on %i, then succeeds", async (status) => {
    const { fetch } = fakeFetch(fail(status), fail(status), ok);
    const result = client(fetch).listPlans();
    await vi.advanceTimersByTimeAsync(0);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(499);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(fetch).toHaveBeenCalledTimes(3);
    await expect(result).resolves.toEqual(plans);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("retries a network error", async () => {
    const { fetch } = fakeFetch(() => {
      throw new TypeError("fetch failed");
    }, ok);
    const result = client(fetch).listPlans();
    await vi.advanceTimersByTimeAsync(500);
    await expect(result).resolves.toEqual(plans);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it("gives up after maxRetries (default 2) with the last typed error", async () => {
    const { fetch } = fakeFetch(fail(503));
    const result = client(fetch).listPlans();
    const settled = result.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await settled).toBeInstanceOf(ServerError);
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("honours maxRetries", async () => {
    const { fetch } = fakeFetch(fail(500));
    const none = client(fetch, { maxRetries: 0 }).listPlans();
    await expect(none).rejects.toBeInstanceOf(ServerError);
    expect(fetch).toHaveBeenCalledTimes(1);
    const { fetch: fetch5 } = fakeFetch(fail(500));
    const five = client(fetch5, { maxRetries: 5 })
      .listPlans()
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await five).toBeInstanceOf(ServerError);
    expect(fetch5).toHaveBeenCalledTimes(6);
  });

  it("backs off exponentially with jitter, capped", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0); // jitter at its floor: half of each ceiling
    const start = Date.now();
    const times: number[] = [];
    const { fetch } = fakeFetch(() => {
      times.push(Date.now() - start);
      return apiError(500, "x", "nope");
    });
    const result = client(fetch, { maxRetries: 6 })
      .listPlans()
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(await result).toBeInstanceOf(ServerError);
    // Ceilings 500, 1000, 2000, 4000, 8000, then the 8000 cap; full jitter at 0 halves each.
    expect(times).toEqual([0, 250, 750, 1750, 3750, 7750, 11750]);
  });

  it("honours Retry-After in seconds and as an HTTP date", async () => {
    vi.setSystemTime(new Date("2025-01-01T00:00:00.000Z"));
    const inThreeSeconds = () => new Date(Date.now() + 3000).toUTCString();
    const { fetch } = fakeFetch(
      fail(429, { "retry-after": "5" }),
      () => apiError(503, "x", "busy", { "retry-after": inThreeSeconds() }),
      ok,
    );
    const result = client(fetch).listPlans();
    await vi.advanceTimersByTimeAsync(4999);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(2999);
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(3);
    await expect(result).resolves.toEqual(plans);
  });

  it("does not wait for a Retry-After beyond the cap: the RateLimitError comes at once", async () => {
    const { fetch } = fakeFetch(fail(429, { "retry-after": "3600" }), ok);
    const error = await client(fetch)
      .listPlans()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(3_600_000);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it.each([400, 401, 403, 404, 422])("never retries %i", async (status) => {
    const { fetch } = fakeFetch(fail(status), ok);
    await expect(client(fetch).listPlans()).rejects.toHaveProperty("status", status);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("each retry goes through the middleware again, so it carries the current token", async () => {
    let token = 0;
    const auth: Middleware = {
      onRequest({ request }) {
        request.headers.set("Authorization", `Bearer token-${++token}`);
        return request;
      },
    };
    const { fetch, calls } = fakeFetch(fail(503), ok);
    const result = client(fetch, { middleware: [auth] }).listPlans();
    await vi.advanceTimersByTimeAsync(500);
    await result;
    expect(calls.map((r) => r.headers.get("authorization"))).toEqual(["Bearer token-1", "Bearer token-2"]);
  });

  it("a middleware that replays a 401 itself gets to do so before the error is typed", async () => {
    const replay: Middleware = {
      async onResponse({ request, response, options }) {
        if (response.status !== 401) return undefined;
        const again = new Request(request);
        again.headers.set("Authorization", "Bearer fresh");
        return options.fetch(again);
      },
    };
    const { fetch, calls } = fakeFetch(fail(401), ok);
    await expect(client(fetch, { middleware: [replay] }).listPlans()).resolves.toEqual(plans);
    expect(calls[1]?.headers.get("authorization")).toBe("Bearer fresh");
    const { fetch: twice } = fakeFetch(fail(401));
    await expect(client(twice, { middleware: [replay] }).listPlans()).rejects.toBeInstanceOf(AuthenticationError);
    expect(twice).toHaveBeenCalledTimes(2);
  });

  it("a ConnectionError is thrown after the retries are spent", async () => {
    const { fetch } = fakeFetch(() => {
      throw new TypeError("fetch failed");
    });
    const result = client(fetch, { maxRetries: 1 })
      .listPlans()
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(500);
    expect(await result).toBeInstanceOf(ConnectionError);
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});
