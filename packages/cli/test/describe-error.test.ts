import { SimcelTokenRequestError } from "@simcel/auth";
import { AuthenticationError, ConnectionError, RateLimitError, ServerError, TimeoutError } from "@simcel/insights";
import { describe, expect, it } from "vitest";
import { describeError, withFlagNames } from "../src/describe-error.js";

describe("describeError", () => {
  it("a failed sign-in is an API error (exit 1) and keeps the server's reason", () => {
    const r = describeError(
      new SimcelTokenRequestError("token request rejected with HTTP 401: Invalid API key", { status: 401 }),
      "plans",
      undefined,
    );
    expect(r).toEqual({
      exitCode: 1,
      line: "simcel plans: sign-in failed: token request rejected with HTTP 401: Invalid API key",
    });
  });

  it("network failures and timeouts name the base URL to check", () => {
    const r = describeError(new ConnectionError("fetch failed"), "pnl", "http://127.0.0.1:9");
    expect(r.exitCode).toBe(1);
    expect(r.line).toBe(
      "simcel pnl: cannot reach http://127.0.0.1:9: fetch failed; check --base-url / SIMCEL_BASE_URL and the network",
    );
    expect(describeError(new TimeoutError("timed out after 30000 ms"), "pnl", "https://x.test").line).toContain(
      "cannot reach https://x.test",
    );
  });

  it("rate limits say when to retry", () => {
    const r = describeError(new RateLimitError("429 Too Many Requests", { retryAfterMs: 1500 }), "demand", undefined);
    expect(r).toEqual({ exitCode: 1, line: "simcel demand: rate limited: 429 Too Many Requests; retry in 2 s" });
  });

  it("a rejected token (401 from the API) and a 5xx are API errors", () => {
    expect(describeError(new AuthenticationError("401 Unauthorized: expired"), "plans", undefined)).toEqual({
      exitCode: 1,
      line: "simcel plans: the API rejected the token: 401 Unauthorized: expired; check the credential in SIMCEL_*",
    });
    expect(describeError(new ServerError("500 Internal Server Error"), "plans", undefined)).toEqual({
      exitCode: 1,
      line: "simcel plans: 500 Internal Server Error",
    });
  });

  it("anything unexpected is exit 1 with its message, never a stack", () => {
    expect(describeError(new TypeError("boom"), undefined, undefined)).toEqual({
      exitCode: 1,
      line: "simcel: unexpected error: boom",
    });
  });
});

describe("withFlagNames", () => {
  it("renames API parameters as the flags that set them, as whole words only", () => {
    expect(withFlagNames("dateFrom must not be after dateTo; scenarioIds; groupBy; planId; intervals")).toBe(
      "--from must not be after --to; --scenarios; --group-by; --plan; intervals",
    );
  });
});
