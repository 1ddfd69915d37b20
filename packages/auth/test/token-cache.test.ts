// Behaviours 4–9 of the token cache: refresh ahead, single flight, failures never cached, expiry from
// request start, invalidation without storms, and per-caller aborts.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { tokenRequestError } from "../src/errors.js";
import {
  type AccessToken,
  AuthConfigError,
  type Credential,
  createApiKeyCredential,
  createTokenCache,
  defaultBaseUrl,
  TokenRequestError,
  TokenResponseError,
} from "../src/index.js";
import { API_KEY, deferred, errorResponse, recordingFetch, settle, tokenResponse } from "./helpers.js";

const NOW = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

/** A credential whose token calls the test settles by hand. */
function manualCredential() {
  const calls: ReturnType<typeof deferred<AccessToken>>[] = [];
  const getToken = vi.fn((_options?: unknown) => {
    const call = deferred<AccessToken>();
    calls.push(call);
    return call.promise;
  });
  const credential: Credential = { kind: "apiKey", baseUrl: defaultBaseUrl, getToken };
  /** Resolves call `i` with `token`, valid `lifetimeMs` from now. */
  const issue = (i: number, token: string, lifetimeMs = HOUR) =>
    calls[i]?.resolve({ token, tokenType: "Bearer", expiresAt: Date.now() + lifetimeMs });
  const fail = (i: number, error: unknown = tokenRequestError({ status: 503, serverMessage: "busy" })) =>
    calls[i]?.reject(error);
  return { credential, calls, getToken, issue, fail };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

describe("createTokenCache", () => {
  it("gets a token on the first call and serves it from cache afterwards", async () => {
    const { credential, calls, issue } = manualCredential();
    const cache = createTokenCache(credential);
    const first = cache.getToken();
    await flush();
    issue(0, "tok_FAKE_1");
    await expect(first).resolves.toMatchObject({ token: "tok_FAKE_1" });
    vi.setSystemTime(NOW + HOUR - 60_001); // just before the refresh window
    await expect(cache.getToken()).resolves.toMatchObject({ token: "tok_FAKE_1" });
    expect(calls).toHaveLength(1);
  });

  describe("refresh ahead (behaviour 4)", () => {
    it("inside the window serves the cached token at once while ONE background refresh runs", async () => {
      const { credential, calls, issue } = manualCredential();
      const cache = createTokenCache(credential);
      const first = cache.getToken();
      issue(0, "tok_FAKE_1");
      await first;
      vi.setSystemTime(NOW + HOUR - 59_999);
      // resolves although the refresh has not answered
      await expect(cache.getToken()).resolves.toMatchObject({ token: "tok_FAKE_1" });
      await expect(cache.getToken()).resolves.toMatchObject({ token: "tok_FAKE_1" });
      expect(calls).toHaveLength(2);
      issue(1, "tok_FAKE_2");
      await flush();
      await expect(cache.getToken()).resolves.toMatchObject({ token: "tok_FAKE_2" });
      expect(calls).toHaveLength(2);
    });

    it("honours a custom refreshWindowMs", async () => {
      const { credential, calls, issue } = manualCredential();
      const cache = createTokenCache(credential, { refreshWindowMs: 600_000 });
      const first = cache.getToken();
      issue(0, "tok_FAKE_1");
      await first;
      vi.setSystemTime(NOW + HOUR - 600_001);
      await cache.getToken();
      expect(calls).toHaveLength(1);
      vi.setSystemTime(NOW + HOUR - 599_999);
      await cache.getToken();
      expect(calls).toHaveLength(2);
    });

    it("renews a token that lives less than twice the window at half-life, not on every call", async () => {
      const { credential, calls, issue } = manualCredential();
      const cache = createTokenCache(credential); // 60 s window
      const first = cache.getToken();
      issue(0, "tok_FAKE_1", 30_000);
      await first;
      vi.setSystemTime(NOW + 14_999);
      await cache.getToken();
      await cache.getToken();
      expect(calls).toHaveLength(1);
      vi.setSystemTime(NOW + 15_000);
      await expect(cache.getToken()).resolves.toMatchObject({ token: "tok_FAKE_1" });
      expect(calls).toHaveLength(2);
    });

    it("with no valid token, callers wait for one shared refresh", async () => {
      const { credential, calls, issue } = manualCredential();
      const cache = createTokenCache(credential);
      const first = cache.getToken();
      issue(0, "tok_FAKE_1");
      await first;
      vi.setSystemTime(NOW + HOUR); // expired
      const waiting = [settle(cache.getToken()), settle(cache.getToken()), settle(cache.getToken())];
      await flush();
      expect(waiting.some((w) => w.done)).toBe(false);
      expect(calls).toHaveLength(2);
      issue(1, "tok_FAKE_2");
      await flush();
      expect(waiting.map((w) => w.value?.token)).toEqual(["tok_FAKE_2", "tok_FAKE_2", "tok_FAKE_2"]);
    });

    it("refreshes relative to when the token request started (behaviour 7)", async () => {
      const fetch = vi.fn(async () => {
        vi.setSystemTime(Date.now() + 10_000); // each token call takes 10 s
        return tokenResponse(`tok_FAKE_${fetch.mock.calls.length}`, 3600);
      });
      const cache = createTokenCache(createApiKeyCredential({ apiKey: API_KEY, fetch }));
      await expect(cache.getToken()).resolves.toMatchObject({ token: "tok_FAKE_1", expiresAt: NOW + HOUR });
      vi.setSystemTime(NOW + HOUR - 60_000); // the window counted from the request's start, not its answer
      await cache.getToken();
      expect(fetch).toHaveBeenCalledTimes(2);
    });
  });

  it("10,000 concurrent callers cause exactly one token request (behaviour 5)", async () => {
    const gate = deferred<void>();
    const { fetch } = recordingFetch(async () => {
      await gate.promise;
      return tokenResponse("tok_FAKE_shared");
    });
    const cache = createTokenCache(createApiKeyCredential({ apiKey: API_KEY, fetch }));
    const callers = Array.from({ length: 10_000 }, () => cache.getToken());
    await flush();
    gate.resolve();
    const tokens = await Promise.all(callers);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(new Set(tokens.map((t) => t.token))).toEqual(new Set(["tok_FAKE_shared"]));
  });

  describe("failures are never cached (behaviour 6)", () => {
    it("a failed first refresh rejects its callers and the next call tries again", async () => {
      const { fetch } = recordingFetch((_, call) =>
        call === 1 ? errorResponse(401, "Invalid API key") : tokenResponse(),
      );
      const cache = createTokenCache(createApiKeyCredential({ apiKey: API_KEY, fetch }));
      const [a, b] = [cache.getToken(), cache.getToken()];
      await expect(a).rejects.toBeInstanceOf(TokenRequestError);
      await expect(b).rejects.toThrow("Invalid API key");
      await expect(cache.getToken()).resolves.toMatchObject({ token: "tok_FAKE_1" });
      expect(fetch).toHaveBeenCalledTimes(2);
    });

    it("keeps serving a still-valid token while background refreshes fail, backing off between them, then gives the typed error once it expired", async () => {
      const { credential, calls, issue, fail } = manualCredential();
      const onRefreshError = vi.fn();
      const warn = vi.fn();
      const cache = createTokenCache(credential, { hooks: { onRefreshError }, logger: { warn } });
      const first = cache.getToken();
      issue(0, "tok_FAKE_1");
      await first;
      vi.setSystemTime(NOW + HOUR - 30_000);
      await expect(cache.getToken()).resolves.toMatchObject({ token: "tok_FAKE_1" });
      fail(1);
      await flush();
      // reported, with when the next try comes: a quarter of the 30 s left
      expect(onRefreshError).toHaveBeenCalledWith({
        error: expect.any(TokenRequestError),
        background: true,
        retryInMs: 7500,
      });
      expect(warn).toHaveBeenCalledTimes(1);
      // not cached, but backed off: calls in the next 7.5 s start no refresh and still get the valid token
      for (let i = 0; i < 50; i++) await expect(cache.getToken()).resolves.toMatchObject({ token: "tok_FAKE_1" });
      expect(calls).toHaveLength(2);
      vi.setSystemTime(NOW + HOUR - 30_000 + 7_500);
      await expect(cache.getToken()).resolves.toMatchObject({ token: "tok_FAKE_1" });
      expect(calls).toHaveLength(3);
      fail(2);
      await flush();
      vi.setSystemTime(NOW + HOUR);
      const late = settle(cache.getToken());
      await flush();
      expect(calls).toHaveLength(4);
      fail(3);
      await flush();
      expect(late.error).toBeInstanceOf(TokenRequestError);
    });

    it("never hands out a token that had already expired on arrival", async () => {
      const { credential, issue } = manualCredential();
      const cache = createTokenCache(credential);
      const pending = settle(cache.getToken());
      await flush();
      issue(0, "tok_FAKE_stale", 0);
      await flush();
      expect(pending.error).toBeInstanceOf(TokenResponseError);
    });
  });

  describe("invalidate (behaviour 8)", () => {
    it("drops the cached token when it is still that token", async () => {
      const { credential, calls, issue } = manualCredential();
      const cache = createTokenCache(credential);
      const first = cache.getToken();
      issue(0, "tok_FAKE_1");
      await first;
      cache.invalidate("tok_FAKE_1");
      const next = cache.getToken();
      await flush();
      expect(calls).toHaveLength(2);
      issue(1, "tok_FAKE_2");
      await expect(next).resolves.toMatchObject({ token: "tok_FAKE_2" });
    });

    it("keeps a newer token when an old one is invalidated, so many 401s cause one refresh", async () => {
      const { credential, calls, issue } = manualCredential();
      const cache = createTokenCache(credential);
      const first = cache.getToken();
      issue(0, "tok_FAKE_1");
      await first;
      // 100 requests see the same 401 and each invalidate, then ask again
      const again = Array.from({ length: 100 }, () => {
        cache.invalidate("tok_FAKE_1");
        return cache.getToken();
      });
      await flush();
      issue(1, "tok_FAKE_2");
      await Promise.all(again);
      for (let i = 0; i < 100; i++) cache.invalidate("tok_FAKE_1");
      await expect(cache.getToken()).resolves.toMatchObject({ token: "tok_FAKE_2" });
      expect(calls).toHaveLength(2);
    });
  });

  describe("aborts (behaviour 9)", () => {
    it("one caller's abort rejects only that caller; the shared refresh goes on for the others", async () => {
      const { credential, getToken, issue } = manualCredential();
      const cache = createTokenCache(credential);
      const controller = new AbortController();
      const a = settle(cache.getToken());
      const b = settle(cache.getToken({ signal: controller.signal }));
      const c = settle(cache.getToken());
      await flush();
      controller.abort(new Error("b gave up"));
      await flush();
      expect(b.error).toEqual(new Error("b gave up"));
      expect(a.done || c.done).toBe(false);
      issue(0, "tok_FAKE_1");
      await flush();
      expect([a.value?.token, c.value?.token]).toEqual(["tok_FAKE_1", "tok_FAKE_1"]);
      // no caller's signal reached the shared refresh: it got the cache's own
      expect(getToken).toHaveBeenCalledTimes(1);
      const signal = (getToken.mock.calls[0]?.[0] as { signal: AbortSignal } | undefined)?.signal;
      expect(signal).toBeInstanceOf(AbortSignal);
      expect(signal).not.toBe(controller.signal);
      expect(signal?.aborted).toBe(false);
    });

    it("rejects an already aborted caller without starting a refresh", async () => {
      const { credential, calls } = manualCredential();
      const controller = new AbortController();
      controller.abort();
      await expect(createTokenCache(credential).getToken({ signal: controller.signal })).rejects.toThrow(/abort/i);
      expect(calls).toHaveLength(0);
    });

    it("removes its abort listener once the refresh settled", async () => {
      const { credential, issue } = manualCredential();
      const cache = createTokenCache(credential);
      const signal = new AbortController().signal;
      const remove = vi.spyOn(signal, "removeEventListener");
      const pending = cache.getToken({ signal });
      issue(0, "tok_FAKE_1");
      await pending;
      await flush();
      expect(remove).toHaveBeenCalledWith("abort", expect.any(Function));
    });
  });

  it("forceRefresh waits for a new token even when the cached one is valid", async () => {
    const { credential, calls, issue } = manualCredential();
    const cache = createTokenCache(credential);
    const first = cache.getToken();
    issue(0, "tok_FAKE_1");
    await first;
    const forced = cache.getToken({ forceRefresh: true });
    await flush();
    expect(calls).toHaveLength(2);
    issue(1, "tok_FAKE_2");
    await expect(forced).resolves.toMatchObject({ token: "tok_FAKE_2" });
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])("refuses refreshWindowMs %s with a config error", (ms) => {
    const { credential } = manualCredential();
    expect(() => createTokenCache(credential, { refreshWindowMs: ms })).toThrow(AuthConfigError);
    expect(() => createTokenCache(credential, { refreshWindowMs: ms })).toThrow(/refreshWindowMs/);
  });
});
