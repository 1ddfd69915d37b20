import { inspect } from "node:util";
import type { Middleware } from "openapi-fetch";
import { describe, expect, it } from "vitest";
import {
  AuthenticationError,
  ConnectionError,
  createInsightsClient,
  InvalidRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ResponseValidationError,
  ServerError,
  SimcelApiError,
  TimeoutError,
} from "../src/index.js";
import { apiError, fakeFetch, json } from "./helpers.js";

const token = "sk_test_FAKE_do_not_use.token-value";
const bearer: Middleware = {
  onRequest({ request }) {
    request.headers.set("Authorization", `Bearer ${token}`);
    return request;
  },
};

/** Calls getPnlSummary once (no retries) against one canned response; returns what it threw. */
async function failWith(response: () => Response, call = "getPnlSummary" as "getPnlSummary" | "listPlans") {
  const { fetch, calls } = fakeFetch(response);
  const insights = createInsightsClient({ baseUrl: "https://api.test", fetch, middleware: [bearer], maxRetries: 0 });
  const error = await (call === "listPlans" ? insights.listPlans() : insights.getPnlSummary({ planId: "plan_1" })).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(calls[0]?.headers.get("authorization")).toBe(`Bearer ${token}`);
  return error as SimcelApiError;
}

describe("typed errors", () => {
  it.each([
    [400, "Bad Request", InvalidRequestError, "invalid_request"],
    [422, "Unprocessable Entity", InvalidRequestError, "invalid_request"],
    [401, "Unauthorized", AuthenticationError, "authentication_failed"],
    [403, "Forbidden", PermissionDeniedError, "permission_denied"],
    [404, "Not Found", NotFoundError, "not_found"],
    [429, "Too Many Requests", RateLimitError, "rate_limited"],
    [500, "Internal Server Error", ServerError, "server_error"],
    [502, "Bad Gateway", ServerError, "server_error"],
    [503, "Service Unavailable", ServerError, "server_error"],
    [504, "Gateway Timeout", ServerError, "server_error"],
    [409, "Conflict", SimcelApiError, "api_error"],
  ] as const)("%i gives %s", async (status, reason, Class, code) => {
    const error = await failWith(() =>
      apiError(status, reason, `server says ${status}`, { "x-request-id": `req_${status}` }),
    );
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(SimcelApiError);
    expect(error.name).toBe(Class.name);
    expect(error).toMatchObject({
      status,
      code,
      reason,
      serverMessage: `server says ${status}`,
      operation: "getPnlSummary",
      requestId: `req_${status}`,
      method: "GET",
      path: "/insights/v1/pnl-summary",
    });
    expect(error.message).toMatch(/^\[@simcel\/insights\] /);
    expect(error.message).toContain(`server says ${status}`);
    expect(error.message).toContain(`req_${status}`);
  });

  it("403 names the scope the operation needs, from the spec", async () => {
    const pnl = await failWith(() => apiError(403, "Forbidden", "Insufficient scope"));
    expect(pnl).toBeInstanceOf(PermissionDeniedError);
    expect((pnl as PermissionDeniedError).scope).toBe("insights:read");
    expect(pnl.message).toContain("needs scope insights:read");
    const plans = await failWith(() => apiError(403, "Forbidden", "Insufficient scope"), "listPlans");
    expect((plans as PermissionDeniedError).scope).toBe("plans:read");
    expect(plans.message).toContain("needs scope plans:read");
    expect(plans.path).toBe("/insights/v1/plans");
  });

  it("429 carries Retry-After as retryAfterMs", async () => {
    const error = await failWith(() => apiError(429, "Too Many Requests", "slow down", { "retry-after": "7" }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(7000);
  });

  it("a non-JSON body still gives the right class, with an excerpt as message", async () => {
    const error = await failWith(
      () => new Response("<html><body>\n  <h1>502 Bad Gateway</h1>\n</body></html>", { status: 502 }),
    );
    expect(error).toBeInstanceOf(ServerError);
    expect(error.status).toBe(502);
    expect(error.message).toContain("<h1>502 Bad Gateway</h1>");
  });

  it("an empty body still gives the right class, with the status text", async () => {
    const error = await failWith(() => new Response(null, { status: 404, statusText: "Not Found" }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toContain("404 Not Found");
    expect(error.message).toContain("(no message)");
    expect(error.requestId).toBeUndefined();
  });

  it("a huge error body is not read past 64 KiB", async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 16_384;
        controller.enqueue(new Uint8Array(16_384).fill(120));
        if (pulled > 10_000_000) controller.close();
      },
    });
    const error = await failWith(() => new Response(body, { status: 500 }));
    expect(error).toBeInstanceOf(ServerError);
    expect(pulled).toBeLessThan(200_000);
  });

  it("never carries the token: not in message, String(), JSON or inspect", async () => {
    for (const status of [401, 403, 500]) {
      const error = await failWith(() => apiError(status, "x", "nope"));
      for (const text of [
        error.message,
        String(error),
        JSON.stringify(error),
        inspect(error, { depth: 9 }),
        error.stack,
      ]) {
        expect(text).not.toContain(token);
        expect(text).not.toContain("sk_test_FAKE");
      }
    }
  });

  it("a network failure is a ConnectionError with the cause; a timeout is a TimeoutError", async () => {
    const error = await failWith(() => {
      throw new TypeError("fetch failed");
    });
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toBeInstanceOf(SimcelApiError);
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect(error.status).toBeUndefined();
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(error.message).toContain("fetch failed");
    expect(new TimeoutError("x")).toBeInstanceOf(ConnectionError);
  });

  it("a 200 whose body is not JSON, or is empty, is a ResponseValidationError rather than a crash", async () => {
    const html = await failWith(
      () => new Response("<html>maintenance</html>", { status: 200, headers: { "content-length": "24" } }),
    );
    expect(html).toBeInstanceOf(ResponseValidationError);
    expect(html).toMatchObject({ code: "response_invalid", pointer: "" });
    expect(html.message).toContain("not JSON");
    const empty = await failWith(() => new Response("", { status: 200 }));
    expect(empty).toBeInstanceOf(ResponseValidationError);
    expect(empty.message).toContain("empty body");
  });

  it("an error response a middleware answers in onRequest (skipping onResponse) is still typed", async () => {
    const { fetch } = fakeFetch(() => json(200, {}));
    const cached: Middleware = {
      onRequest: () => apiError(404, "Not Found", "cached miss", { "x-request-id": "req_cache" }),
    };
    const insights = createInsightsClient({ baseUrl: "https://api.test", fetch, middleware: [cached] });
    const error = await insights.getPnlSummary({ planId: "plan_1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, code: "not_found", reason: "Not Found", requestId: "req_cache" });
    expect((error as Error).message).toContain("cached miss");
    expect(fetch).not.toHaveBeenCalled();
  });

  it("an error a middleware throws passes through untouched", async () => {
    class CredentialError extends Error {}
    const thrown = new CredentialError("[@simcel/auth] apiKey is required");
    const { fetch } = fakeFetch(() => json(200, {}));
    const insights = createInsightsClient({
      baseUrl: "https://api.test",
      fetch,
      middleware: [
        {
          onRequest() {
            throw thrown;
          },
        },
      ],
    });
    await expect(insights.listPlans()).rejects.toBe(thrown);
    expect(fetch).not.toHaveBeenCalled();
  });
});
