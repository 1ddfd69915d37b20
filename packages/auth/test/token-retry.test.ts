// Behaviour 3: 4xx from the token endpoint is final with the server's message; 429, 5xx, network
// errors and timeouts are retried with exponential backoff, jitter and Retry-After, at most 3 attempts.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createApiKeyCredential, SimcelAuthError, TokenRequestError } from "../src/index.js";
import { API_KEY, errorResponse, recordingFetch, settle, tokenResponse } from "./helpers.js";

beforeEach(() => {
  vi.useFakeTimers();
  vi.spyOn(Math, "random").mockReturnValue(0); // jitter at its floor: delay = ceiling / 2
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const credentialWith = (handler: Parameters<typeof recordingFetch>[0]) => {
  const recorded = recordingFetch(handler);
  return { ...recorded, credential: createApiKeyCredential({ apiKey: API_KEY, fetch: recorded.fetch }) };
};

describe("token request errors", () => {
  it.each([400, 401, 403, 404, 422])(
    "HTTP %i is a typed error with the server's message, not retried",
    async (status) => {
      const { credential, fetch } = credentialWith(() => errorResponse(status, "Invalid API key"));
      const error = await credential.getToken().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenRequestError);
      expect(error).toBeInstanceOf(SimcelAuthError);
      expect(error).toMatchObject({ status, serverMessage: "Invalid API key", code: "token_request_rejected" });
      // the server's reason (`error` of the body) comes after the status
      expect((error as Error).message).toBe(
        `[@simcel/auth] token request rejected with HTTP ${status} Error: Invalid API key`,
      );
      expect(error).toMatchObject({ reason: "Error" });
      await vi.runAllTimersAsync();
      expect(fetch).toHaveBeenCalledTimes(1);
    },
  );

  it("reads at most an excerpt of a huge HTML error page", async () => {
    const { credential } = credentialWith(
      () => new Response(`<html>${"<p>oops</p>".repeat(500_000)}</html>`, { status: 400 }),
    );
    const error = (await credential.getToken().catch((e: unknown) => e)) as TokenRequestError;
    expect(error).toBeInstanceOf(TokenRequestError);
    expect(error.serverMessage.length).toBeLessThanOrEqual(301);
    expect(error.serverMessage).toMatch(/^<html><p>oops/);
  });

  it.each([429, 500, 502, 503])("HTTP %i is retried with exponential backoff, then succeeds", async (status) => {
    const { credential, fetch } = credentialWith((_, call) =>
      call < 3 ? errorResponse(status, "busy") : tokenResponse("tok_FAKE_after_retry"),
    );
    const result = settle(credential.getToken());
    await vi.advanceTimersByTimeAsync(0);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(249);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1); // first retry after 500/2 ms
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(499);
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1); // second retry after 1000/2 ms
    expect(fetch).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(0);
    expect(result.value?.token).toBe("tok_FAKE_after_retry");
  });

  it("jitters the backoff: with random() = 1 the first retry waits the full 500 ms", async () => {
    vi.mocked(Math.random).mockReturnValue(1);
    const { credential, fetch } = credentialWith((_, call) =>
      call < 2 ? errorResponse(503, "busy") : tokenResponse(),
    );
    settle(credential.getToken());
    await vi.advanceTimersByTimeAsync(499);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it("waits what Retry-After asks for", async () => {
    const { credential, fetch } = credentialWith((_, call) =>
      call < 2 ? errorResponse(429, "slow down", { "Retry-After": "7" }) : tokenResponse(),
    );
    const result = settle(credential.getToken());
    await vi.advanceTimersByTimeAsync(6_999);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(result.value?.token).toBe("tok_FAKE_1");
  });

  it("does not retry when Retry-After asks for longer than 30 s", async () => {
    const { credential, fetch } = credentialWith(() =>
      errorResponse(429, "come back tomorrow", { "Retry-After": "86400" }),
    );
    await expect(credential.getToken()).rejects.toMatchObject({ status: 429, serverMessage: "come back tomorrow" });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("gives up after 3 attempts with the last error", async () => {
    const { credential, fetch } = credentialWith((_, call) => errorResponse(500, `failure ${call}`));
    const result = settle(credential.getToken());
    await vi.runAllTimersAsync();
    expect(result.error).toBeInstanceOf(TokenRequestError);
    expect(result.error).toMatchObject({ status: 500, serverMessage: "failure 3" });
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it("retries network errors and reports the last one as token_request_failed with the fetch error as cause", async () => {
    const networkError = new TypeError("fetch failed");
    const { credential, fetch } = credentialWith(() => {
      throw networkError;
    });
    const result = settle(credential.getToken());
    await vi.runAllTimersAsync();
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(result.error).toBeInstanceOf(TokenRequestError);
    expect(result.error).toMatchObject({ status: undefined, code: "token_request_failed", cause: networkError });
    expect((result.error as Error).message).toBe(
      "[@simcel/auth] token request failed: could not reach https://app.simcel.io/api",
    );
  });

  it("recovers when the network comes back", async () => {
    const { credential } = credentialWith((_, call) => {
      if (call === 1) throw new TypeError("fetch failed");
      return tokenResponse("tok_FAKE_back");
    });
    const result = settle(credential.getToken());
    await vi.runAllTimersAsync();
    expect(result.value?.token).toBe("tok_FAKE_back");
  });

  it("gives up on an attempt that does not answer within timeoutMs and retries it", async () => {
    const hang = (request: Request) =>
      new Promise<Response>((_, reject) =>
        request.signal.addEventListener("abort", () => reject(request.signal.reason)),
      );
    const fetch = vi.fn((request: Request, call = fetch.mock.calls.length) =>
      call < 2 ? hang(request) : Promise.resolve(tokenResponse("tok_FAKE_late")),
    );
    const credential = createApiKeyCredential({ apiKey: API_KEY, fetch: (r) => fetch(r), timeoutMs: 1_000 });
    const result = settle(credential.getToken());
    await vi.advanceTimersByTimeAsync(999);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1 + 250);
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(result.value?.token).toBe("tok_FAKE_late");
  });

  it("reports a timeout as such after the last attempt", async () => {
    const credential = createApiKeyCredential({
      apiKey: API_KEY,
      timeoutMs: 100,
      fetch: (request) =>
        new Promise((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason))),
    });
    const result = settle(credential.getToken());
    await vi.runAllTimersAsync();
    expect(result.error).toBeInstanceOf(TokenRequestError);
    expect((result.error as Error).message).toMatch(/no answer from https:\/\/app\.simcel\.io\/api within 100 ms/);
  });

  it("stops retrying as soon as the caller aborts during a backoff", async () => {
    const { credential, fetch } = credentialWith(() => errorResponse(503, "busy"));
    const controller = new AbortController();
    const result = settle(credential.getToken({ signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(100);
    controller.abort(new Error("caller gave up"));
    await vi.runAllTimersAsync();
    expect((result.error as Error).message).toBe("caller gave up");
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
