// One error family across both libraries: every error is a SimcelError (whichever copy of the class a caller holds),
// a sign-in that fails during an API call is both a SimcelError and a TokenRequestError, and JSON.stringify gives
// name, message, code, status and request id — never a secret.
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  AuthConfigError,
  SimcelError as AuthSimcelError,
  createApiKeyCredential,
  createAuthMiddleware,
  SimcelAuthError,
  TokenRequestError,
} from "../../packages/auth/src/index.js";
import {
  ClosedError,
  ConfigError,
  createInsightsClient,
  NotFoundError,
  SimcelApiError,
  SimcelError,
} from "../../packages/insights/src/index.js";

const API_KEY = "sk_test_FAKE_family_key";
const BASE = "https://api.test/api";

const answer = (status: number, message: string, headers: Record<string, string> = {}) =>
  Response.json({ statusCode: status, error: "Error", message }, { status, headers });

function client(fetch: (request: Request) => Promise<Response>) {
  const credential = createApiKeyCredential({ apiKey: API_KEY, baseUrl: BASE, fetch });
  return createInsightsClient({ baseUrl: BASE, fetch, middleware: [createAuthMiddleware({ credential })] });
}

describe("one error family", () => {
  it("a sign-in that fails during an API call is a SimcelError and a TokenRequestError, with its status", async () => {
    const error = await client(async () => answer(401, `bad key ${API_KEY}`, { "x-request-id": "req_t" }))
      .listPlans()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SimcelError);
    expect(error).toBeInstanceOf(AuthSimcelError);
    expect(error).toBeInstanceOf(TokenRequestError);
    expect(error).not.toBeInstanceOf(SimcelApiError);
    expect(error).toMatchObject({ code: "token_request_rejected", status: 401, requestId: "req_t" });
  });

  it("errors of both libraries are SimcelErrors, whichever library's SimcelError is asked", () => {
    const api = new NotFoundError("no plan", { status: 404, requestId: "req_1" });
    const auth = new AuthConfigError("apiKey is required", { setting: "apiKey" });
    for (const error of [api, auth, new ClosedError("closed")]) {
      expect(error).toBeInstanceOf(SimcelError);
      expect(error).toBeInstanceOf(AuthSimcelError);
    }
    expect(auth).not.toBeInstanceOf(SimcelApiError);
    expect(api).not.toBeInstanceOf(SimcelAuthError);
    expect(new ClosedError("x").code).toBe("closed");
  });

  it("an error of another copy of the library (its other build) is a SimcelError of this one", async () => {
    const copy: typeof import("../../packages/core/src/errors.js") = await import(
      "../../packages/core/src/errors.ts?copy=family" as string
    );
    expect(copy.SimcelError).not.toBe(SimcelError);
    const theirs = new copy.SimcelError("x", { code: "timeout" });
    expect(theirs).toBeInstanceOf(SimcelError);
    expect(new ConfigError("bad", { setting: "baseUrl" })).toBeInstanceOf(copy.SimcelError);
    expect(new Error("plain")).not.toBeInstanceOf(SimcelError);
    expect({ code: "timeout" }).not.toBeInstanceOf(SimcelError);
  });

  it("JSON.stringify keeps name, message, code, status and request id, and no secret", async () => {
    const error = await client(async (request) =>
      request.url.endsWith("/token")
        ? Response.json({ accessToken: "tok_FAKE_family", expiresIn: 3600 })
        : answer(404, `plan not found for ${API_KEY} and tok_FAKE_family`, { "x-request-id": "req_404" }),
    )
      .getPnlSummary({ planId: "plan_1" })
      .catch((e: unknown) => e);
    const json = JSON.parse(JSON.stringify(error));
    expect(json).toEqual({
      name: "NotFoundError",
      message: (error as Error).message,
      code: "not_found",
      status: 404,
      requestId: "req_404",
    });
    for (const text of [JSON.stringify(error), inspect(error, { depth: 5 }), String(error)]) {
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain("tok_FAKE_family");
    }
  });

  it("one constructor shape: (message, { fields, cause })", () => {
    const cause = new Error("socket hang up");
    const error = new SimcelError("broke", { code: "connection_failed", status: 502, requestId: "r", cause });
    expect(error).toMatchObject({ message: "broke", code: "connection_failed", status: 502, requestId: "r", cause });
    expect(new SimcelError("plain").code).toBe("simcel_error");
    expect(JSON.stringify(new SimcelError("plain"))).toBe(
      '{"name":"SimcelError","message":"plain","code":"simcel_error"}',
    );
  });
});
