// The typed errors: one base class, a stable code per case, messages prefixed with the package name.
import { describe, expect, it } from "vitest";
import { tokenRequestError } from "../src/errors.js";
import {
  AuthConfigError,
  OriginRefusedError,
  SimcelAuthError,
  TokenRequestError,
  TokenResponseError,
} from "../src/index.js";

describe("errors", () => {
  it.each([
    [
      tokenRequestError({ status: 401, serverMessage: "Invalid API key" }),
      "TokenRequestError",
      "token_request_rejected",
    ],
    [tokenRequestError({ serverMessage: "could not reach x" }), "TokenRequestError", "token_request_failed"],
    [new TokenResponseError("the token response is not a JSON object"), "TokenResponseError", "token_response_invalid"],
    [new OriginRefusedError("refused", { origin: "https://evil.test" }), "OriginRefusedError", "origin_refused"],
    [new AuthConfigError("apiKey is required", { setting: "apiKey" }), "AuthConfigError", "config_invalid"],
    [new SimcelAuthError("something"), "SimcelAuthError", "auth_error"],
  ])("%s has its name, a stable code, and is a SimcelAuthError and an Error", (error, name, code) => {
    expect(error).toBeInstanceOf(SimcelAuthError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(/^\[@simcel\/auth\] /);
    expect(String(error)).toBe(`${name}: ${error.message}`);
  });

  it("a rejected token request keeps the status and the server's message", () => {
    const error = tokenRequestError({ status: 429, serverMessage: "slow down" });
    expect(error).toMatchObject({ status: 429, serverMessage: "slow down" });
    expect(error.message).toBe("[@simcel/auth] token request rejected with HTTP 429: slow down");
    const rfc = tokenRequestError({
      status: 401,
      serverMessage: "client authentication failed",
      reason: "invalid_client",
    });
    expect(rfc.message).toBe(
      "[@simcel/auth] token request rejected with HTTP 401 invalid_client: client authentication failed",
    );
    expect(rfc.reason).toBe("invalid_client");
    expect(tokenRequestError({ status: 500, serverMessage: "" }).message).toBe(
      "[@simcel/auth] token request rejected with HTTP 500",
    );
  });

  it("a refused origin names the origin; a config error names the setting", () => {
    expect(new OriginRefusedError("x", { origin: "https://evil.test" }).origin).toBe("https://evil.test");
    expect(new AuthConfigError("x", { setting: "SIMCEL_CLIENT_SECRET" }).setting).toBe("SIMCEL_CLIENT_SECRET");
  });
});
