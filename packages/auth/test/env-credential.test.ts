// credentialFromEnv: which variables make which credential, and errors that name what to set.
import { describe, expect, it } from "vitest";
import { AuthConfigError, credentialFromEnv, OriginRefusedError } from "../src/index.js";
import { API_KEY, CLIENT_ID, CLIENT_SECRET, recordingFetch, STATIC_TOKEN } from "./helpers.js";

const configError = (env: Record<string, string | undefined>) => {
  try {
    credentialFromEnv(env);
  } catch (e) {
    expect(e).toBeInstanceOf(AuthConfigError);
    return e as AuthConfigError;
  }
  throw new Error("expected a config error");
};

describe("credentialFromEnv", () => {
  it("builds an API key credential from SIMCEL_API_KEY", () => {
    const credential = credentialFromEnv({ SIMCEL_API_KEY: API_KEY });
    expect(credential).toMatchObject({ kind: "apiKey", baseUrl: "https://app.simcel.io/api" });
    expect(credential.variables).toEqual(["SIMCEL_API_KEY"]);
  });

  it("builds client credentials with scopes split on spaces or commas, and SIMCEL_BASE_URL", async () => {
    const credential = credentialFromEnv({
      SIMCEL_CLIENT_ID: CLIENT_ID,
      SIMCEL_CLIENT_SECRET: CLIENT_SECRET,
      SIMCEL_SCOPES: "insights:read, plans:read",
      SIMCEL_BASE_URL: "https://eu.simcel.test/api/",
    });
    expect(credential).toMatchObject({ kind: "clientCredentials", baseUrl: "https://eu.simcel.test/api" });
    expect(credential.variables).toEqual([
      "SIMCEL_CLIENT_ID",
      "SIMCEL_CLIENT_SECRET",
      "SIMCEL_SCOPES",
      "SIMCEL_BASE_URL",
    ]);
    // the scopes reach the token request
    const { fetch, bodies } = recordingFetch(() => Response.json({ accessToken: "tok_FAKE_env", expiresIn: 60 }));
    const original = globalThis.fetch;
    globalThis.fetch = fetch as typeof globalThis.fetch;
    try {
      await credential.getToken();
    } finally {
      globalThis.fetch = original;
    }
    expect(new URLSearchParams(bodies[0]).get("scope")).toBe("insights:read plans:read");
  });

  it("sends token calls through the fetch it is given, for both kinds that make them", async () => {
    const { fetch, requests } = recordingFetch(() => Response.json({ accessToken: "tok_FAKE_env", expiresIn: 60 }));
    await credentialFromEnv({ SIMCEL_API_KEY: API_KEY }, { fetch }).getToken();
    await credentialFromEnv({ SIMCEL_CLIENT_ID: CLIENT_ID, SIMCEL_CLIENT_SECRET: CLIENT_SECRET }, { fetch }).getToken();
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "POST https://app.simcel.io/api/auth/v1/token",
      "POST https://app.simcel.io/api/oauth/v1/token",
    ]);
  });

  it("builds a static credential from SIMCEL_TOKEN", async () => {
    const credential = credentialFromEnv({ SIMCEL_TOKEN: STATIC_TOKEN });
    expect(credential.kind).toBe("static");
    expect(credential.variables).toEqual(["SIMCEL_TOKEN"]);
    await expect(credential.getToken()).resolves.toMatchObject({ token: STATIC_TOKEN });
  });

  it("trims values and treats blank ones as unset", () => {
    const credential = credentialFromEnv({ SIMCEL_API_KEY: `  ${API_KEY}\n`, SIMCEL_TOKEN: "  ", SIMCEL_BASE_URL: "" });
    expect(credential.kind).toBe("apiKey");
    expect(credential.variables).toEqual(["SIMCEL_API_KEY"]);
  });

  it("names every variable to set when there is none", () => {
    const error = configError({});
    expect(error.message).toBe(
      "[@simcel/auth] no credential in the environment: set SIMCEL_API_KEY, or SIMCEL_CLIENT_ID and SIMCEL_CLIENT_SECRET, or SIMCEL_TOKEN",
    );
  });

  it.each([
    [{ SIMCEL_CLIENT_ID: CLIENT_ID }, "SIMCEL_CLIENT_SECRET", /SIMCEL_CLIENT_ID is set: set SIMCEL_CLIENT_SECRET too/],
    [{ SIMCEL_CLIENT_SECRET: CLIENT_SECRET }, "SIMCEL_CLIENT_ID", /set SIMCEL_CLIENT_ID too/],
    [
      { SIMCEL_API_KEY: API_KEY, SIMCEL_TOKEN: STATIC_TOKEN },
      "SIMCEL_TOKEN",
      /SIMCEL_API_KEY and SIMCEL_TOKEN are set/,
    ],
    [
      { SIMCEL_API_KEY: API_KEY, SIMCEL_CLIENT_ID: CLIENT_ID, SIMCEL_CLIENT_SECRET: CLIENT_SECRET },
      "SIMCEL_CLIENT_ID",
      /SIMCEL_API_KEY and SIMCEL_CLIENT_ID are set: keep only one/,
    ],
    [
      { SIMCEL_API_KEY: API_KEY, SIMCEL_SCOPES: "admin" },
      "SIMCEL_SCOPES",
      /SIMCEL_SCOPES applies to SIMCEL_CLIENT_ID only/,
    ],
    [
      { SIMCEL_API_KEY: API_KEY, SIMCEL_BASE_URL: "not a url" },
      "SIMCEL_BASE_URL",
      /SIMCEL_BASE_URL must be an absolute URL/,
    ],
    [{ SIMCEL_TOKEN: "two words" }, "SIMCEL_TOKEN", /SIMCEL_TOKEN must be a bearer token/],
  ])("reports %o as a config error naming %s", (env, setting, message) => {
    const error = configError(env);
    expect(error.setting).toBe(setting);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(API_KEY);
  });

  it("refuses a plain-http SIMCEL_BASE_URL that is not loopback", () => {
    expect(() => credentialFromEnv({ SIMCEL_API_KEY: API_KEY, SIMCEL_BASE_URL: "http://simcel.example/api" })).toThrow(
      OriginRefusedError,
    );
  });

  it("reads process.env by default", () => {
    const saved = process.env.SIMCEL_TOKEN;
    process.env.SIMCEL_TOKEN = STATIC_TOKEN;
    try {
      expect(credentialFromEnv().kind).toBe("static");
    } finally {
      if (saved === undefined) delete process.env.SIMCEL_TOKEN;
      else process.env.SIMCEL_TOKEN = saved;
    }
  });

  it("works where process does not exist (browsers, workers): a config error, not a ReferenceError", () => {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, "process") as PropertyDescriptor;
    // synchronous on purpose: nothing else runs while process is gone
    Object.defineProperty(globalThis, "process", { value: undefined, configurable: true, writable: true });
    let outcome: unknown;
    try {
      credentialFromEnv();
    } catch (e) {
      outcome = e;
    } finally {
      Object.defineProperty(globalThis, "process", descriptor);
    }
    expect(outcome).toBeInstanceOf(AuthConfigError);
    expect(credentialFromEnv({ SIMCEL_TOKEN: STATIC_TOKEN }).kind).toBe("static");
  });
});
