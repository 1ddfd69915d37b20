// The three credentials: what they send, where, and the typed errors of bad options. Behaviour 7 (expiry
// from the clock at request start) is here too.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  AuthConfigError,
  createApiKeyCredential,
  createClientCredentials,
  createStaticCredential,
  defaultBaseUrl,
  OriginRefusedError,
} from "../src/index.js";
import { API_KEY, CLIENT_ID, CLIENT_SECRET, recordingFetch, STATIC_TOKEN, tokenResponse } from "./helpers.js";

const NOW = Date.UTC(2026, 0, 1);
beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

describe("createApiKeyCredential", () => {
  it("POSTs {apiKey} as JSON to /auth/v1/token of the default base URL and returns the token", async () => {
    const { fetch, requests, bodies } = recordingFetch(() => tokenResponse("tok_FAKE_1", 3600));
    const credential = createApiKeyCredential({ apiKey: API_KEY, fetch });
    expect(credential.kind).toBe("apiKey");
    expect(credential.baseUrl).toBe(defaultBaseUrl);
    await expect(credential.getToken()).resolves.toEqual({
      token: "tok_FAKE_1",
      tokenType: "Bearer",
      expiresAt: NOW + 3_600_000,
    });
    expect(requests).toHaveLength(1);
    const [request] = requests as [Request];
    expect(request.method).toBe("POST");
    expect(request.url).toBe("https://app.simcel.io/api/auth/v1/token");
    expect(request.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(bodies[0] as string)).toEqual({ apiKey: API_KEY });
    // a redirect must not carry the key elsewhere: it is not followed (and is refused, see token-retry)
    expect(request.redirect).toBe("manual");
  });

  it("uses a custom base URL, without a trailing slash, query or user info", async () => {
    const { fetch, requests } = recordingFetch(() => tokenResponse());
    const credential = createApiKeyCredential({ apiKey: API_KEY, baseUrl: "https://eu.simcel.test/api/?x=1#y", fetch });
    expect(credential.baseUrl).toBe("https://eu.simcel.test/api");
    await credential.getToken();
    expect(requests[0]?.url).toBe("https://eu.simcel.test/api/auth/v1/token");
  });

  it("computes expiry from the local clock when the request started, not when it answered (behaviour 7)", async () => {
    const credential = createApiKeyCredential({
      apiKey: API_KEY,
      fetch: async () => {
        vi.setSystemTime(NOW + 5_000); // a slow token endpoint
        return tokenResponse("tok_FAKE_1", 3600);
      },
    });
    await expect(credential.getToken()).resolves.toMatchObject({ expiresAt: NOW + 3_600_000 });
  });

  it.each([
    ["missing", undefined],
    ["empty", ""],
    ["blank", "   "],
    ["not a string", 42],
  ])("refuses a %s apiKey with a config error naming apiKey", (_, apiKey) => {
    const make = () => createApiKeyCredential({ apiKey } as never);
    expect(make).toThrow(AuthConfigError);
    expect(make).toThrow("[@simcel/auth] apiKey is required");
    try {
      make();
    } catch (e) {
      expect((e as AuthConfigError).setting).toBe("apiKey");
      expect((e as AuthConfigError).code).toBe("config_invalid");
    }
  });

  it("refuses a base URL that is not an absolute URL, naming baseUrl and not echoing the value", () => {
    const make = () => createApiKeyCredential({ apiKey: API_KEY, baseUrl: "app.simcel.io/sk_test_typo" });
    expect(make).toThrow(AuthConfigError);
    expect(make).toThrow(/baseUrl must be an absolute URL/);
    expect(make).not.toThrow(/sk_test_typo/);
  });

  it("refuses a plain-http base URL that is not loopback, naming the origin and allowInsecureHttp", () => {
    const make = () => createApiKeyCredential({ apiKey: API_KEY, baseUrl: "http://simcel.internal/api" });
    expect(make).toThrow(OriginRefusedError);
    expect(make).toThrow(/http:\/\/simcel\.internal.*allowInsecureHttp/);
  });

  it.each(["http://127.0.0.1:4010", "http://localhost:4010/api", "http://[::1]:4010"])(
    "accepts plain http to loopback %s",
    (baseUrl) => {
      expect(createApiKeyCredential({ apiKey: API_KEY, baseUrl }).baseUrl).toMatch(/^http:/);
    },
  );

  it("accepts plain http elsewhere with allowInsecureHttp", () => {
    const credential = createApiKeyCredential({
      apiKey: API_KEY,
      baseUrl: "http://simcel.internal/api",
      allowInsecureHttp: true,
    });
    expect(credential.baseUrl).toBe("http://simcel.internal/api");
  });

  it("refuses other schemes even with allowInsecureHttp", () => {
    expect(() =>
      createApiKeyCredential({ apiKey: API_KEY, baseUrl: "ftp://simcel.internal/api", allowInsecureHttp: true }),
    ).toThrow(OriginRefusedError);
  });

  it("honours the caller's abort signal", async () => {
    const credential = createApiKeyCredential({
      apiKey: API_KEY,
      fetch: (request) =>
        new Promise((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason))),
    });
    const controller = new AbortController();
    const pending = credential.getToken({ signal: controller.signal });
    controller.abort(new Error("caller gave up"));
    await expect(pending).rejects.toThrow("caller gave up");
  });
});

describe("createClientCredentials", () => {
  it("POSTs a form body with grant_type, client id and secret and space-joined scopes to /oauth/v1/token", async () => {
    const { fetch, requests, bodies } = recordingFetch(() => tokenResponse("tok_FAKE_2", 60));
    const credential = createClientCredentials({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      scopes: ["insights:read", "plans:read"],
      fetch,
    });
    expect(credential.kind).toBe("clientCredentials");
    await expect(credential.getToken()).resolves.toEqual({
      token: "tok_FAKE_2",
      tokenType: "Bearer",
      expiresAt: NOW + 60_000,
    });
    const [request] = requests as [Request];
    expect(request.method).toBe("POST");
    expect(request.url).toBe("https://app.simcel.io/api/oauth/v1/token");
    expect(request.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(new URLSearchParams(bodies[0]))).toEqual({
      grant_type: "client_credentials",
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      scope: "insights:read plans:read",
    });
  });

  it("omits scope when no scopes are given", async () => {
    const { fetch, bodies } = recordingFetch(() => tokenResponse());
    await createClientCredentials({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, fetch }).getToken();
    expect(new URLSearchParams(bodies[0]).has("scope")).toBe(false);
  });

  it.each([
    ["clientId", { clientSecret: CLIENT_SECRET }],
    ["clientSecret", { clientId: CLIENT_ID }],
  ])("refuses a missing %s with a config error naming it", (setting, options) => {
    const make = () => createClientCredentials(options as never);
    expect(make).toThrow(`[@simcel/auth] ${setting} is required`);
    expect(make).toThrow(AuthConfigError);
  });
});

describe("createStaticCredential", () => {
  it("returns the given token without any request, valid forever when no expiry is given", async () => {
    const credential = createStaticCredential({ token: STATIC_TOKEN });
    expect(credential.kind).toBe("static");
    expect(credential.baseUrl).toBe(defaultBaseUrl);
    await expect(credential.getToken()).resolves.toEqual({
      token: STATIC_TOKEN,
      tokenType: "Bearer",
      expiresAt: Number.POSITIVE_INFINITY,
    });
  });

  it("keeps the given expiry and refuses to hand the token out once it has passed", async () => {
    const credential = createStaticCredential({ token: STATIC_TOKEN, expiresAt: NOW + 1000 });
    await expect(credential.getToken()).resolves.toMatchObject({ expiresAt: NOW + 1000 });
    vi.setSystemTime(NOW + 1000);
    await expect(credential.getToken()).rejects.toThrow(/static token has expired/);
    await expect(credential.getToken()).rejects.toBeInstanceOf(AuthConfigError);
  });

  it("refuses a missing token and one that cannot be a bearer token, without echoing it", () => {
    expect(() => createStaticCredential({} as never)).toThrow("[@simcel/auth] token is required");
    const make = () => createStaticCredential({ token: `${STATIC_TOKEN}\n` });
    expect(make).toThrow(AuthConfigError);
    expect(make).not.toThrow(STATIC_TOKEN);
  });

  it("rejects an already aborted call", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      createStaticCredential({ token: STATIC_TOKEN }).getToken({ signal: controller.signal }),
    ).rejects.toThrow(/abort/i);
  });
});
