// What @simcel/auth does with hostile or broken answers: secrets echoed back, bodies cut off, odd lifetimes, keys always refused.
import { isTokenRefused } from "@simcel/core";
import createClient from "openapi-fetch";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createApiKeyCredential,
  createAuthMiddleware,
  createClientCredentials,
  createTokenCache,
  MAX_TOKEN_LIFETIME_S,
  redactSecrets,
  SimcelAuthError,
  TokenRequestError,
} from "../src/index.js";
import { API_KEY, CLIENT_ID, CLIENT_SECRET, recordingFetch, settle, tokenResponse } from "./helpers.js";

const NOW = Date.UTC(2026, 0, 1);
beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

/** A 200 whose body stream resets after `start`, like a connection dropped mid-body. */
function cutOff(start: string): Response {
  let sent = false;
  return new Response(
    new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) controller.error(new TypeError("terminated: other side closed"));
        else {
          sent = true;
          controller.enqueue(new TextEncoder().encode(start));
        }
      },
    }),
    { status: 200, headers: { "content-type": "application/json" } },
  );
}

describe("secrets in what the token endpoint says", () => {
  it("a client secret echoed in the raw form body (URL-encoded, + style) is redacted", async () => {
    const secret = "cs_FAKE+sEcReT/9f3cQ7zZ==";
    const { fetch } = recordingFetch(async (request) =>
      Response.json(
        { statusCode: 400, error: "Bad Request", message: `cannot parse body: ${await request.text()}` },
        { status: 400 },
      ),
    );
    const credential = createClientCredentials({ clientId: CLIENT_ID, clientSecret: secret, fetch });
    const error = (await credential.getToken().catch((e: unknown) => e)) as TokenRequestError;
    expect(error).toBeInstanceOf(TokenRequestError);
    expect(error.serverMessage).toContain("client_secret=[redacted]");
    for (const form of [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)])
      expect(`${error.message} ${error.stack} ${JSON.stringify(error)}`).not.toContain(form);
  });

  it("a key echoed across the point where the message is cut leaves none of itself", async () => {
    for (const pad of [270, 285, 295, 299]) {
      const { fetch } = recordingFetch(() =>
        Response.json(
          { statusCode: 401, error: "Unauthorized", message: `${"x".repeat(pad)}${API_KEY} rejected` },
          { status: 401 },
        ),
      );
      const error = (await createApiKeyCredential({ apiKey: API_KEY, fetch })
        .getToken()
        .catch((e: unknown) => e)) as Error;
      expect(error.message).not.toMatch(/sk_test|FAKE/);
    }
  });

  it("a Basic header echoed in base64 is redacted", async () => {
    const { fetch } = recordingFetch(() =>
      Response.json(
        {
          statusCode: 401,
          error: "Unauthorized",
          message: `bad header: Basic ${btoa(`${CLIENT_ID}:${CLIENT_SECRET}`)}`,
        },
        { status: 401 },
      ),
    );
    const error = (await createClientCredentials({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, fetch })
      .getToken()
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toBe(
      "[@simcel/auth] token request rejected with HTTP 401 Unauthorized: bad header: Basic [redacted]",
    );
  });

  it("redactSecrets knows every token the process was issued", async () => {
    const { fetch } = recordingFetch(() => tokenResponse("tok_FAKE_issued_to_this_process"));
    await createApiKeyCredential({ apiKey: API_KEY, fetch }).getToken();
    expect(redactSecrets("echo: tok_FAKE_issued_to_this_process")).toBe("echo: [redacted]");
  });

  it('registerKey "accepted": a key from a stranger is redacted only once SIMCEL has issued a token for it', async () => {
    const refused = "sk_test_FAKE_stranger_refused_01";
    const accepted = "sk_test_FAKE_stranger_accepted_1";
    const no = recordingFetch(() => Response.json({ statusCode: 401, message: "bad key" }, { status: 401 }));
    await createApiKeyCredential({ apiKey: refused, fetch: no.fetch, registerKey: "accepted" })
      .getToken()
      .catch(() => {});
    expect(redactSecrets(`plan ${refused}`)).toBe(`plan ${refused}`);
    const yes = recordingFetch(() => tokenResponse("tok_FAKE_for_the_stranger"));
    const credential = createApiKeyCredential({ apiKey: accepted, fetch: yes.fetch, registerKey: "accepted" });
    expect(redactSecrets(`plan ${accepted}`)).toBe(`plan ${accepted}`);
    await credential.getToken();
    expect(redactSecrets(`plan ${accepted}`)).toBe("plan [redacted]");
  });

  it('registerKey "accepted" for client credentials: a secret typed by a stranger is redacted only once accepted', async () => {
    const refused = "cs_FAKE_stranger_refused_secret_1";
    const accepted = "cs_FAKE_stranger_accepted_secret1";
    const no = recordingFetch(() => Response.json({ statusCode: 401, message: "bad client" }, { status: 401 }));
    await createClientCredentials({
      clientId: CLIENT_ID,
      clientSecret: refused,
      fetch: no.fetch,
      registerKey: "accepted",
    })
      .getToken()
      .catch(() => {});
    expect(redactSecrets(`plan ${refused}`)).toBe(`plan ${refused}`);
    const yes = recordingFetch(() => tokenResponse("tok_FAKE_for_the_stranger_client"));
    const credential = createClientCredentials({
      clientId: CLIENT_ID,
      clientSecret: accepted,
      fetch: yes.fetch,
      registerKey: "accepted",
    });
    expect(redactSecrets(`plan ${accepted}`)).toBe(`plan ${accepted}`);
    await credential.getToken();
    expect(redactSecrets(`plan ${accepted}`)).toBe("plan [redacted]");
  });
});

describe("a token response cut off mid-body is a network failure, retried", () => {
  it("retries, then succeeds", async () => {
    const { fetch } = recordingFetch((_, call) =>
      call === 1 ? cutOff('{"accessToken":"tok_FAKE_') : tokenResponse("tok_FAKE_2"),
    );
    const token = createApiKeyCredential({ apiKey: API_KEY, fetch }).getToken();
    await vi.advanceTimersByTimeAsync(1000);
    await expect(token).resolves.toMatchObject({ token: "tok_FAKE_2" });
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it("after the last attempt, says the connection broke off (not that the body was not JSON)", async () => {
    const { fetch } = recordingFetch(() => cutOff('{"accessToken":"tok_FAKE_'));
    const result = settle(createApiKeyCredential({ apiKey: API_KEY, fetch }).getToken());
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(result.error).toBeInstanceOf(TokenRequestError);
    expect(result.error).toMatchObject({ code: "token_request_failed", status: undefined });
    expect((result.error as Error).message).toMatch(/broke off during the answer/);
  });
});

describe("token lifetimes", () => {
  it("caps an absurd expiresIn at 24 h: the expiry stays a real date", async () => {
    const { fetch } = recordingFetch(() =>
      Response.json({ accessToken: "tok_FAKE_long", expiresIn: 1e13, tokenType: "Bearer" }),
    );
    const token = await createApiKeyCredential({ apiKey: API_KEY, fetch }).getToken();
    expect(token.expiresAt).toBe(NOW + MAX_TOKEN_LIFETIME_S * 1000);
    expect(new Date(token.expiresAt).toISOString()).toBe("2026-01-02T00:00:00.000Z");
  });
});

describe("RFC 6749 error bodies keep their reason", () => {
  it("puts error_description in the message and error in `reason`", async () => {
    const { fetch } = recordingFetch(() =>
      Response.json({ error: "invalid_client", error_description: "client authentication failed" }, { status: 401 }),
    );
    const error = (await createClientCredentials({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, fetch })
      .getToken()
      .catch((e: unknown) => e)) as TokenRequestError;
    expect(error).toMatchObject({
      status: 401,
      reason: "invalid_client",
      serverMessage: "client authentication failed",
    });
    expect(error.message).toBe(
      "[@simcel/auth] token request rejected with HTTP 401 invalid_client: client authentication failed",
    );
  });
});

describe("more token request failures", () => {
  it("a 429 carries the server's Retry-After", async () => {
    const { fetch } = recordingFetch(() =>
      Response.json(
        { statusCode: 429, error: "Too Many Requests", message: "slow down" },
        { status: 429, headers: { "retry-after": "120" } },
      ),
    );
    const error = await createApiKeyCredential({ apiKey: API_KEY, fetch })
      .getToken()
      .catch((e: unknown) => e);
    // 120 s is beyond what a token request waits for: not retried, and the caller learns how long to wait
    expect(error).toMatchObject({ status: 429, retryAfterMs: 120_000 });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("reads tokenType null as absent, as the documentation allows", async () => {
    const { fetch } = recordingFetch(() =>
      Response.json({ accessToken: "tok_FAKE_n", expiresIn: 3600, tokenType: null }),
    );
    await expect(createApiKeyCredential({ apiKey: API_KEY, fetch }).getToken()).resolves.toMatchObject({
      token: "tok_FAKE_n",
    });
  });

  it("a redirect of the token request fails at once, says so and names only the origin", async () => {
    const { fetch } = recordingFetch(
      () => new Response(null, { status: 307, headers: { location: "https://elsewhere.test/steal?code=1" } }),
    );
    const error = await createApiKeyCredential({ apiKey: API_KEY, fetch })
      .getToken()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenRequestError);
    expect(error).toMatchObject({ code: "token_request_redirected", location: "https://elsewhere.test" });
    expect((error as Error).message).toMatch(/redirected to https:\/\/elsewhere\.test: credentials are never sent/);
    expect((error as Error).message).not.toContain("steal");
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});

/** A toy API that refuses every token (a revoked key), on a client of any openapi-fetch spec. */
function refusingApi(middlewareOptions: Record<string, unknown> = {}) {
  const tokens = recordingFetch((_, call) => tokenResponse(`tok_FAKE_${call}`));
  const api = recordingFetch(() =>
    Response.json({ message: "Bearer token is missing or has expired" }, { status: 401 }),
  );
  const credential = createApiKeyCredential({ apiKey: API_KEY, fetch: tokens.fetch });
  const middleware = createAuthMiddleware({ credential, ...middlewareOptions });
  const client = createClient<Record<string, never>>({ baseUrl: "https://app.simcel.io/api", fetch: api.fetch });
  client.use(middleware);
  // biome-ignore lint/suspicious/noExplicitAny: a path of no spec
  const get = () => (client as any).GET("/widgets");
  return { tokens, api, middleware, get };
}

describe("a key that is always refused", () => {
  it("20 calls make 2 token requests, not 21: after a fresh token is refused too, 401s are answered during a cool-down", async () => {
    const warn = vi.fn();
    const { tokens, api, get } = refusingApi({ logger: { warn } });
    const responses = [];
    for (let i = 0; i < 20; i++) responses.push((await get()).response as Response);
    expect(tokens.fetch).toHaveBeenCalledTimes(2);
    expect(api.fetch).toHaveBeenCalledTimes(21); // one replay, then each call once
    expect(responses.every((r) => r.status === 401 && isTokenRefused(r))).toBe(true);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(/freshly issued token was refused/);
  });

  it("after the cool-down, a 401 may earn one new token again", async () => {
    const { tokens, get } = refusingApi({ refusedCooldownMs: 1000 });
    await get();
    await get();
    expect(tokens.fetch).toHaveBeenCalledTimes(2);
    vi.setSystemTime(NOW + 1001);
    await get();
    expect(tokens.fetch).toHaveBeenCalledTimes(3);
  });

  it("20 concurrent calls also make 2 token requests", async () => {
    const { tokens, get } = refusingApi();
    await Promise.all(Array.from({ length: 20 }, get));
    expect(tokens.fetch).toHaveBeenCalledTimes(2);
  });
});

describe("an abandoned refresh is cancelled; everything can be closed", () => {
  /** A token endpoint that never answers; it records the signals it was handed. */
  function hangingEndpoint() {
    const signals: AbortSignal[] = [];
    const fetch = vi.fn(
      (request: Request) =>
        new Promise<Response>((_, reject) => {
          signals.push(request.signal);
          request.signal.addEventListener("abort", () => reject(request.signal.reason));
        }),
    );
    return { fetch, signals };
  }

  it("the only caller aborts while the token endpoint hangs: the token request is aborted, no timer is left", async () => {
    const { fetch, signals } = hangingEndpoint();
    const cache = createTokenCache(createApiKeyCredential({ apiKey: API_KEY, fetch }));
    const controller = new AbortController();
    const waiting = settle(cache.getToken({ signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(100);
    controller.abort(new Error("caller left"));
    await vi.advanceTimersByTimeAsync(0);
    expect(waiting.error).toMatchObject({ message: "caller left" });
    expect(signals[0]?.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("keeps the refresh while another caller still waits", async () => {
    const { fetch, signals } = hangingEndpoint();
    const cache = createTokenCache(createApiKeyCredential({ apiKey: API_KEY, fetch }));
    const controller = new AbortController();
    settle(cache.getToken({ signal: controller.signal }));
    const other = settle(cache.getToken());
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(signals[0]?.aborted).toBe(false);
    expect(other.done).toBe(false);
    await cache.close();
    await vi.advanceTimersByTimeAsync(0);
    expect(other.error).toMatchObject({ code: "closed" });
  });

  it("close() of a cache, a middleware and a credential: in-flight work stops, later calls are refused", async () => {
    const { fetch, signals } = hangingEndpoint();
    const credential = createApiKeyCredential({ apiKey: API_KEY, fetch });
    const middleware = createAuthMiddleware({ credential });
    const request = new Request("https://app.simcel.io/api/x");
    const pending = settle(middleware.onRequest({ request }));
    await vi.advanceTimersByTimeAsync(10);
    await middleware.close();
    await vi.advanceTimersByTimeAsync(0);
    expect(signals[0]?.aborted).toBe(true);
    expect(pending.error).toBeInstanceOf(SimcelAuthError);
    expect(pending.error).toMatchObject({ code: "closed" });
    await expect(middleware.onRequest({ request })).rejects.toMatchObject({ code: "closed" });
    await credential.close?.();
    await expect(credential.getToken()).rejects.toMatchObject({ code: "closed" });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("offers [Symbol.asyncDispose] where the runtime has it", async () => {
    const dispose = (Symbol as { asyncDispose?: symbol }).asyncDispose;
    if (!dispose) return expect(process.versions.node.split(".")[0]).toBe("18");
    const cache = createTokenCache(
      createApiKeyCredential({ apiKey: API_KEY, fetch: recordingFetch(() => tokenResponse()).fetch }),
    );
    await (cache as unknown as Record<symbol, () => Promise<void>>)[dispose]?.();
    await expect(cache.getToken()).rejects.toMatchObject({ code: "closed" });
  });
});

describe("hooks and logs", () => {
  it("report refreshes and token-request retries, without the token", async () => {
    const { fetch } = recordingFetch((_, call) =>
      call === 1
        ? Response.json({ statusCode: 503, error: "Service Unavailable", message: "busy" }, { status: 503 })
        : tokenResponse("tok_FAKE_hooked"),
    );
    const onTokenRefresh = vi.fn();
    const onRetry = vi.fn();
    const lines: string[] = [];
    const logger = { debug: (m: string) => lines.push(m), info: (m: string) => lines.push(m) };
    const cache = createTokenCache(createApiKeyCredential({ apiKey: API_KEY, fetch }), {
      hooks: { onTokenRefresh, onRetry },
      logger,
    });
    const token = cache.getToken();
    await vi.advanceTimersByTimeAsync(1000);
    await token;
    expect(onRetry).toHaveBeenCalledWith(
      expect.objectContaining({ operation: "token request", attempt: 1, error: expect.any(TokenRequestError) }),
    );
    expect(onTokenRefresh).toHaveBeenCalledWith({
      kind: "apiKey",
      expiresAt: expect.any(Number),
      durationMs: expect.any(Number),
      background: false,
    });
    expect(lines.some((l) => l.startsWith("token request: attempt 1 failed, retrying in"))).toBe(true);
    expect(lines.some((l) => l.startsWith("token refreshed in"))).toBe(true);
    expect(JSON.stringify([lines, onTokenRefresh.mock.calls, onRetry.mock.calls])).not.toMatch(/FAKE/);
  });
});

describe("instanceof across copies of the package (the ESM and CJS builds in one process)", () => {
  it("an error from another copy is an instance of this copy's classes, and not of unrelated ones", async () => {
    // a second evaluation of the module (a query makes it another module instance), as a second build would be
    const copy: typeof import("../src/errors.js") = await import("../src/errors.ts?copy=1" as string);
    const theirs = new copy.TokenRequestError("x", { status: 401 });
    expect(copy.TokenRequestError).not.toBe(TokenRequestError);
    expect(theirs).toBeInstanceOf(TokenRequestError);
    expect(theirs).toBeInstanceOf(SimcelAuthError);
    expect(new copy.SimcelAuthError("y")).not.toBeInstanceOf(TokenRequestError);
  });
});
