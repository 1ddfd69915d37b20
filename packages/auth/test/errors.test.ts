// The typed errors: one base class, a stable code per case, messages prefixed with the package name.
import { describe, expect, it } from "vitest";
import {
  SimcelAuthConfigError,
  SimcelAuthError,
  SimcelOriginRefusedError,
  SimcelTokenRequestError,
  SimcelTokenResponseError,
} from "../src/index.js";

describe("errors", () => {
  it.each([
    [new SimcelTokenRequestError(401, "Invalid API key"), "SimcelTokenRequestError", "token_request_rejected"],
    [new SimcelTokenRequestError(undefined, "could not reach x"), "SimcelTokenRequestError", "token_request_failed"],
    [
      new SimcelTokenResponseError("the token response is not a JSON object"),
      "SimcelTokenResponseError",
      "token_response_invalid",
    ],
    [new SimcelOriginRefusedError("https://evil.test", "refused"), "SimcelOriginRefusedError", "origin_refused"],
    [new SimcelAuthConfigError("apiKey", "apiKey is required"), "SimcelAuthConfigError", "config_invalid"],
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
    const error = new SimcelTokenRequestError(429, "slow down");
    expect(error).toMatchObject({ status: 429, serverMessage: "slow down" });
    expect(error.message).toBe("[@simcel/auth] token request rejected with HTTP 429: slow down");
    const rfc = new SimcelTokenRequestError(401, "client authentication failed", { reason: "invalid_client" });
    expect(rfc.message).toBe(
      "[@simcel/auth] token request rejected with HTTP 401 invalid_client: client authentication failed",
    );
    expect(rfc.reason).toBe("invalid_client");
    expect(new SimcelTokenRequestError(500, "").message).toBe("[@simcel/auth] token request rejected with HTTP 500");
  });

  it("a refused origin names the origin; a config error names the setting", () => {
    expect(new SimcelOriginRefusedError("https://evil.test", "x").origin).toBe("https://evil.test");
    expect(new SimcelAuthConfigError("SIMCEL_CLIENT_SECRET", "x").setting).toBe("SIMCEL_CLIENT_SECRET");
  });
});
