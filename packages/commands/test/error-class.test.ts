// The one code → class table behind the CLI's exit codes and its --json error object.
import {
  AuthClosedError,
  SimcelAuthConfigError,
  SimcelOriginRefusedError,
  SimcelTokenRequestError,
  SimcelTokenResponseError,
} from "@simcel/auth";
import {
  AuthenticationError,
  ConnectionError,
  InvalidRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RedirectError,
  ResponseValidationError,
  ServerError,
  SimcelApiError,
  TimeoutError,
} from "@simcel/insights";
import { describe, expect, it } from "vitest";
import { CommandInputError, classifyError, EXIT_CODE_MEANINGS, EXIT_CODES, errorObject } from "../src/index.js";

describe("classifyError", () => {
  const cases: Array<[string, unknown, string, number]> = [
    ["a local parameter check", new InvalidRequestError("bad", { param: "interval" }), "invalid_request", 2],
    ["a 400 from the API", new InvalidRequestError("400", { status: 400 }), "invalid_request", 2],
    ["a 422 from the API", new InvalidRequestError("422", { status: 422 }), "invalid_request", 2],
    ["a command's own input check", new CommandInputError("scenarioIds", "too many"), "invalid_request", 2],
    ["a bad base URL", new SimcelAuthConfigError("bad", { setting: "SIMCEL_BASE_URL" }), "config_invalid", 2],
    ["a redirect off the base URL", new RedirectError("moved", { status: 302 }), "redirect_refused", 2],
    ["plain http off loopback", new SimcelOriginRefusedError("no", { origin: "http://x.test" }), "origin_refused", 2],
    ["a 404", new NotFoundError("404", { status: 404 }), "not_found", 3],
    ["no credential", new SimcelAuthConfigError("no credential", { setting: "SIMCEL_API_KEY" }), "config_invalid", 4],
    ["two kinds of credential", new SimcelAuthConfigError("both", { setting: "SIMCEL_TOKEN" }), "config_invalid", 4],
    [
      "a refused sign-in",
      new SimcelTokenRequestError("Invalid API key", { status: 401, serverMessage: "Invalid API key" }),
      "token_request_rejected",
      4,
    ],
    [
      "a sign-in refused as a bad request",
      new SimcelTokenRequestError("bad", { status: 400, serverMessage: "bad" }),
      "token_request_rejected",
      4,
    ],
    ["a 401 after the replay", new AuthenticationError("401", { status: 401 }), "authentication_failed", 4],
    ["a 403", new PermissionDeniedError("403", { status: 403 }), "permission_denied", 5],
    ["a 429", new RateLimitError("429", { status: 429 }), "rate_limited", 75],
    ["a 503", new ServerError("503", { status: 503 }), "server_error", 75],
    ["a network failure", new ConnectionError("fetch failed"), "connection_failed", 75],
    ["a timeout", new TimeoutError("timed out"), "timeout", 75],
    [
      "a rate-limited sign-in",
      new SimcelTokenRequestError("slow down", { status: 429, serverMessage: "slow down" }),
      "token_request_rejected",
      75,
    ],
    [
      "a sign-in on a failing server",
      new SimcelTokenRequestError("bad gateway", { status: 502, serverMessage: "bad gateway" }),
      "token_request_rejected",
      75,
    ],
    [
      "an unreachable token endpoint",
      new SimcelTokenRequestError("ECONNREFUSED", { serverMessage: "ECONNREFUSED" }),
      "token_request_failed",
      75,
    ],
    ["another 4xx", new SimcelApiError("418", { status: 418 }), "api_error", 2],
    ["another 5xx-like status", new SimcelApiError("599", { status: 599 }), "api_error", 75],
    ["an answer the spec does not allow", new ResponseValidationError("bad", { status: 200 }), "response_invalid", 1],
    ["a token answer that is no token", new SimcelTokenResponseError("bad"), "token_response_invalid", 1],
    ["a closed cache (a bug)", new AuthClosedError("closed"), "unexpected", 1],
    ["a TypeError", new TypeError("boom"), "unexpected", 1],
    ["a Node system error (its code is not ours)", Object.assign(new Error("x"), { code: "EPIPE" }), "unexpected", 1],
    ["a string", "boom", "unexpected", 1],
    ["a code inherited from Object.prototype", Object.assign(new Error("x"), { code: "toString" }), "unexpected", 1],
  ];
  for (const [what, error, code, exitCode] of cases)
    it(`${what}: ${code}, exit ${exitCode}`, () => {
      expect(classifyError(error)).toMatchObject({ code, exitCode });
    });

  it("every exit code has one meaning, in order", () => {
    expect(EXIT_CODE_MEANINGS.map(([code]) => code)).toEqual([0, 1, 2, 3, 4, 5, 75]);
    expect(new Set(Object.values(EXIT_CODES)).size).toBe(Object.keys(EXIT_CODES).length);
  });
});

describe("errorObject", () => {
  it("carries status, request id, Retry-After and hint when the error has them", () => {
    const e = new RateLimitError("429 Too Many Requests", { status: 429, requestId: "req_1", retryAfterMs: 2000 });
    expect(errorObject(e, "simcel pnl: rate limited")).toEqual({
      error: {
        code: "rate_limited",
        status: 429,
        message: "simcel pnl: rate limited",
        requestId: "req_1",
        retryAfterMs: 2000,
      },
    });
    const refused = new AuthenticationError("401", { status: 401, hint: "a fresh token was refused too" });
    expect(errorObject(refused, "m").error.hint).toBe("a fresh token was refused too");
  });

  it("leaves out what is unknown: never null or undefined keys", () => {
    const object = errorObject(new ConnectionError("fetch failed"), "simcel plans: cannot reach");
    expect(object).toEqual({ error: { code: "connection_failed", message: "simcel plans: cannot reach" } });
    expect(Object.keys(JSON.parse(JSON.stringify(object)).error)).toEqual(["code", "message"]);
  });
});
