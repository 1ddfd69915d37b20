import { SimcelTokenRequestError } from "@simcel/auth";
import { AuthenticationError, ConnectionError, RateLimitError, ServerError, TimeoutError } from "@simcel/insights";
import { describe, expect, it } from "vitest";
import { describeError, withFlagNames } from "../src/describe-error.js";

describe("describeError", () => {
  it("a refused sign-in is an authentication failure (exit 4) and keeps the server's reason", () => {
    const r = describeError(
      new SimcelTokenRequestError("token request rejected with HTTP 401: Invalid API key", { status: 401 }),
      "plans",
      undefined,
    );
    expect(r).toMatchObject({
      exitCode: 4,
      line: "simcel plans: sign-in failed: token request rejected with HTTP 401: Invalid API key",
    });
  });

  it("network failures and timeouts are temporary (exit 75) and name the base URL to check", () => {
    const r = describeError(new ConnectionError("fetch failed"), "pnl", "http://127.0.0.1:9");
    expect(r.exitCode).toBe(75);
    expect(r.line).toBe(
      "simcel pnl: cannot reach http://127.0.0.1:9: fetch failed; check --base-url / SIMCEL_BASE_URL and the network",
    );
    expect(describeError(new TimeoutError("timed out after 30000 ms"), "pnl", "https://x.test").line).toContain(
      "cannot reach https://x.test",
    );
  });

  it("rate limits are temporary (exit 75) and say when to retry", () => {
    const r = describeError(new RateLimitError("429 Too Many Requests", { retryAfterMs: 1500 }), "demand", undefined);
    expect(r).toMatchObject({ exitCode: 75, line: "simcel demand: rate limited: 429 Too Many Requests; retry in 2 s" });
  });

  it("a rejected token (401 from the API) is authentication (4), a 5xx temporary (75)", () => {
    expect(describeError(new AuthenticationError("401 Unauthorized: expired"), "plans", undefined)).toMatchObject({
      exitCode: 4,
      line: "simcel plans: the API rejected the token: 401 Unauthorized: expired; check the credential in SIMCEL_*",
    });
    expect(describeError(new ServerError("500 Internal Server Error"), "plans", undefined)).toMatchObject({
      exitCode: 75,
      line: "simcel plans: 500 Internal Server Error",
    });
  });

  it("anything unexpected is exit 1 with its message and a request for a report, never a stack", () => {
    expect(describeError(new TypeError("boom"), undefined, undefined)).toMatchObject({
      exitCode: 1,
      line: "simcel: unexpected error: boom; this is a bug: please report it, with what you ran, at https://github.com/simcel/simcel-sdk-typescript/issues",
      json: { error: { code: "unexpected" } },
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
