// The shared error → message judgement, in the MCP server's words (the CLI's are covered by its own
// tests, which run through the same function).
import { SimcelAuthConfigError, SimcelOriginRefusedError, SimcelTokenRequestError } from "@simcel/auth";
import {
  ConnectionError,
  InvalidRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
} from "@simcel/insights";
import { describe, expect, it } from "vitest";
import { CommandInputError, describeError, type ErrorWording } from "../src/index.js";

const tool: ErrorWording = {
  where: "get_pnl_summary",
  inputHint: "; fix this argument and call again",
  configHint: " (in the server's env)",
  listPlans: "the list_plans tool",
  baseUrlSetting: "SIMCEL_BASE_URL",
  baseUrl: "https://api.example.test",
};

describe("describeError", () => {
  it("a local check names the parameter, and for planId where ids come from", () => {
    const local = new InvalidRequestError("scenarioIds accepts at most 3 ids", { param: "scenarioIds" });
    expect(describeError(local, tool)).toEqual({
      kind: "input",
      param: "scenarioIds",
      message: "get_pnl_summary: scenarioIds accepts at most 3 ids; fix this argument and call again",
    });
    const plan = new InvalidRequestError("planId is required", { param: "planId" });
    expect(describeError(plan, tool).message).toBe(
      "get_pnl_summary: planId is required; list plans with: the list_plans tool; fix this argument and call again",
    );
  });

  it("a 400/422 from the API is an input error without the local hint", () => {
    const e = new InvalidRequestError("422 Unprocessable Entity: dateFrom must be before dateTo", { status: 422 });
    expect(describeError(e, tool)).toEqual({
      kind: "input",
      message: "get_pnl_summary: 422 Unprocessable Entity: dateFrom must be before dateTo",
    });
  });

  it("a command's own input error is renamed in the surface's words", () => {
    const e = new CommandInputError("scenarioIds", "scenarioIds and the base b make 4 scenarios");
    expect(describeError(e, { ...tool, rename: (m) => m.replace("scenarioIds", "--scenarios") })).toEqual({
      kind: "input",
      param: "scenarioIds",
      message: "get_pnl_summary: --scenarios and the base b make 4 scenarios",
    });
  });

  it("missing credentials name the variables to set, then the surface's hint", () => {
    const e = new SimcelAuthConfigError(
      "no credential in the environment: set SIMCEL_API_KEY, or SIMCEL_CLIENT_ID and SIMCEL_CLIENT_SECRET, or SIMCEL_TOKEN",
      { setting: "SIMCEL_API_KEY" },
    );
    const d = describeError(e, tool);
    expect(d.kind).toBe("config");
    expect(d.message).toBe(
      "get_pnl_summary: no credential in the environment: set SIMCEL_API_KEY, or SIMCEL_CLIENT_ID and SIMCEL_CLIENT_SECRET, or SIMCEL_TOKEN (in the server's env)",
    );
    expect(
      describeError(new SimcelOriginRefusedError("refused", { origin: "http://example.test" }), tool),
    ).toMatchObject({
      kind: "config",
      message: expect.stringMatching(/refusing to send credentials to http:\/\/example.test: use an https base URL/),
    });
  });

  it("403 names the scope, 404 says where to list plans, 429 when to retry, a network fault what to check", () => {
    const denied = new PermissionDeniedError("403 Forbidden", { status: 403, scope: "insights:read" });
    expect(describeError(denied, tool).message).toBe(
      "get_pnl_summary: permission denied: the credential lacks the scope insights:read; use an API key or client granted insights:read (403 Forbidden)",
    );
    expect(describeError(new NotFoundError("404 Not Found: Plan p not found", { status: 404 }), tool).message).toBe(
      "get_pnl_summary: not found: 404 Not Found: Plan p not found; list the plans and scenarios you can read with: the list_plans tool",
    );
    const limited = new RateLimitError("429 Too Many Requests", { status: 429, retryAfterMs: 7000 });
    expect(describeError(limited, tool).message).toBe(
      "get_pnl_summary: rate limited: 429 Too Many Requests; retry in 7 s",
    );
    expect(describeError(new ConnectionError("fetch failed"), tool).message).toBe(
      "get_pnl_summary: cannot reach https://api.example.test: fetch failed; check SIMCEL_BASE_URL and the network",
    );
  });

  it("a rate-limited sign-in says when to retry too", () => {
    const e = new SimcelTokenRequestError("token request rejected with HTTP 429: Too many token requests", {
      status: 429,
      retryAfterMs: 30_000,
    });
    expect(describeError(e, tool).message).toMatch(/^get_pnl_summary: sign-in failed: .*; retry in 30 s$/);
  });

  it("sign-in failures, server errors and the unexpected are API errors", () => {
    expect(
      describeError(
        new SimcelTokenRequestError("token request rejected with HTTP 401: Invalid API key", { status: 401 }),
        tool,
      ),
    ).toEqual({
      kind: "api",
      message: "get_pnl_summary: sign-in failed: token request rejected with HTTP 401: Invalid API key",
    });
    expect(describeError(new ServerError("500 Internal Server Error"), tool)).toEqual({
      kind: "api",
      message: "get_pnl_summary: 500 Internal Server Error",
    });
    expect(describeError("a string", tool)).toEqual({
      kind: "api",
      message: "get_pnl_summary: unexpected error: a string",
    });
  });
});
