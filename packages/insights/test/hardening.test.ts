// The insights side of the hardening issue: each test names the defect it pins down, and failed before the fix.
import type { Middleware } from "openapi-fetch";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  AuthenticationError,
  ConnectionError,
  createInsightsClient,
  type InsightsClientOptions,
  RedirectError,
  ResponseValidationError,
  ServerError,
  SimcelApiError,
  TimeoutError,
} from "../src/index.js";
import { fakeFetch, hang, json, pnlFY } from "./helpers.js";

const TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJGQUtFIn0.c2lnX0ZBS0VfdG9rZW4";
const OPAQUE_TOKEN = "tok_FAKE_opaque_0123456789";
const plans = { plans: [{ id: "plan_1", name: "One", currency: "USD", scenarios: [] }] };
const client = (fetch: NonNullable<InsightsClientOptions["fetch"]>, options: InsightsClientOptions = {}) =>
  createInsightsClient({ baseUrl: "https://api.test", fetch, ...options });
/** A middleware that authenticates with `token`, as any auth middleware would. */
const bearer = (token: string): Middleware => ({
  onRequest({ request }) {
    request.headers.set("Authorization", `Bearer ${token}`);
    return request;
  },
});
const renderings = (e: unknown) => {
  const error = e as Error;
  return `${error.message}\n${error.stack}\n${JSON.stringify(error)}\n${String(error)}`;
};

beforeEach(() => {
  vi.useFakeTimers();
  vi.spyOn(Math, "random").mockReturnValue(1);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("a bearer token echoed by the API never reaches the error (defect 1)", () => {
  it.each([400, 401, 403, 500])("HTTP %i echoing the token it was sent", async (status) => {
    for (const token of [TOKEN, OPAQUE_TOKEN]) {
      const { fetch } = fakeFetch((request) =>
        json(status, {
          statusCode: status,
          error: "Nope",
          message: `token ${request.headers.get("authorization")?.slice(7)} is not valid`,
        }),
      );
      const error = await client(fetch, { middleware: [bearer(token)], maxRetries: 0 })
        .listPlans()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SimcelApiError);
      expect(renderings(error)).not.toContain(token);
      expect((error as SimcelApiError).serverMessage).toBe("token [redacted] is not valid");
    }
  });
});

describe("a body cut off mid-stream is a network failure, retried (defect 4)", () => {
  it("retries, then returns the whole body", async () => {
    let sent = false;
    const broken = () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent) controller.error(new TypeError("terminated"));
            else {
              sent = true;
              controller.enqueue(new TextEncoder().encode('{"plans":[{"id":'));
            }
          },
        }),
        { headers: { "content-type": "application/json" } },
      );
    const { fetch } = fakeFetch(broken, () => json(200, plans));
    const result = client(fetch).listPlans();
    await vi.advanceTimersByTimeAsync(1000);
    await expect(result).resolves.toEqual(plans);
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});

describe("redirects (defect 7)", () => {
  it("a redirect to another origin is not followed: a typed error names the location's origin", async () => {
    const { fetch } = fakeFetch(
      () => new Response(null, { status: 302, headers: { location: "https://evil.test/steal?x=1" } }),
    );
    const error = await client(fetch)
      .listPlans()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedirectError);
    expect(error).toMatchObject({ code: "redirect_refused", location: "https://evil.test", operation: "listPlans" });
    expect((error as Error).message).toContain("redirected to https://evil.test");
    expect((error as Error).message).not.toContain("steal");
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("a redirect within the base URL's origin is followed, with the same request", async () => {
    const { fetch, calls } = fakeFetch(
      () => new Response(null, { status: 308, headers: { location: "/v2/plans" } }),
      () => json(200, plans),
    );
    await expect(client(fetch, { middleware: [bearer(OPAQUE_TOKEN)] }).listPlans()).resolves.toEqual(plans);
    expect(calls.map((r) => r.url)).toEqual(["https://api.test/insights/v1/plans", "https://api.test/v2/plans"]);
    expect(calls[1]?.headers.get("authorization")).toBe(`Bearer ${OPAQUE_TOKEN}`);
  });

  it("asks fetch not to follow redirects itself", async () => {
    const { fetch, calls } = fakeFetch(() => json(200, plans));
    await client(fetch).listPlans();
    expect(calls[0]?.redirect).toBe("manual");
  });
});

describe("a 200 that is not what the spec says (defect 8)", () => {
  it.each([
    ["{}", {}, "/plans", "present"],
    ["null", null, "", "object"],
    ["plans not a list", { plans: "none" }, "/plans", "array"],
    ["a plan without scenarios", { plans: [{ id: "p", name: "n", currency: "USD" }] }, "/plans/0/scenarios", "present"],
  ])("%s: a typed error naming the operation and the first wrong field", async (_, body, pointer, expected) => {
    const { fetch } = fakeFetch(() => json(200, body));
    const error = await client(fetch)
      .listPlans()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error).toMatchObject({ code: "response_invalid", operation: "listPlans", pointer });
    expect((error as Error).message).toContain(`should be ${expected}`);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("getPlan then fails with that typed error, never a raw TypeError", async () => {
    const { fetch } = fakeFetch(() => json(200, {}));
    await expect(client(fetch).getPlan("plan_1")).rejects.toBeInstanceOf(ResponseValidationError);
  });

  it("what only our inference says, extra fields and new enum values pass, each reported once", async () => {
    const odd = {
      plans: [
        { id: "p", name: "n", currency: "USD", owner: "x", scenarios: [{ id: "s", name: "S", flags: ["archived"] }] },
        { id: "q", name: "m", currency: "EUR", owner: "y", scenarios: [] },
      ],
    };
    const pnl = structuredClone(pnlFY) as { scenarios: Record<string, unknown>[] };
    (pnl.scenarios[0] as Record<string, unknown>).scenarioColor = "blue"; // inferred: #RRGGBB
    const { fetch } = fakeFetch((request) => json(200, request.url.includes("plans") ? odd : pnl));
    const onSpecMismatch = vi.fn();
    const warn = vi.fn();
    const insights = client(fetch, { hooks: { onSpecMismatch }, logger: { warn } });
    for (let i = 0; i < 3; i++) {
      await expect(insights.listPlans()).resolves.toEqual(odd);
      await expect(insights.getPnlSummary({ planId: "plan_1" })).resolves.toEqual(pnl);
    }
    expect(onSpecMismatch.mock.calls.map(([e]) => [e.operation, e.pointer, e.inferred])).toEqual([
      ["listPlans", "/plans/0/owner", false],
      ["listPlans", "/plans/0/scenarios/0/flags/0", false],
      ["getPnlSummary", "/scenarios/0/scenarioColor", true],
    ]);
    expect(warn).toHaveBeenCalledTimes(3);
    expect(warn.mock.calls[2]?.[0]).toBe(
      'getPnlSummary: the response differs from the spec at /scenarios/0/scenarioColor: the spec guessed a string matching ^#[0-9A-Fa-f]{6}$, the API sent "blue"',
    );
  });

  it("a documented field of the wrong type fails even when it sits next to inferred ones", async () => {
    const pnl = structuredClone(pnlFY) as { scenarios: { pnl: Record<string, unknown> }[] };
    (pnl.scenarios[0] as { pnl: Record<string, unknown> }).pnl.ebit = "3,300,000";
    const { fetch } = fakeFetch(() => json(200, pnl));
    await expect(client(fetch).getPnlSummary({ planId: "plan_1" })).rejects.toMatchObject({
      pointer: "/scenarios/0/pnl/ebit",
      message: expect.stringContaining("should be number, got string"),
    });
  });
});

describe("sign-in is the auth layer's business (defect 9)", () => {
  it("an auth middleware's own error is not retried and not turned into a TimeoutError", async () => {
    const signIn = vi.fn(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5000)); // a slow sign-in, longer than the API timeout
      throw Object.assign(new Error("[@simcel/auth] token request rejected with HTTP 503"), {
        name: "TokenRequestError",
      });
    });
    const { fetch } = fakeFetch(() => json(200, plans));
    const result = client(fetch, { timeoutMs: 1000, middleware: [{ onRequest: signIn }] })
      .listPlans()
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await result).toMatchObject({ name: "TokenRequestError" });
    expect(signIn).toHaveBeenCalledTimes(1);
    expect(fetch).not.toHaveBeenCalled();
  });

  it("the per-attempt timeout starts after the middleware's work, so a slow sign-in is not cut", async () => {
    const signIn = vi.fn(async ({ request }: { request: Request }) => {
      await new Promise((resolve) => setTimeout(resolve, 5000));
      request.headers.set("Authorization", `Bearer ${OPAQUE_TOKEN}`);
      return request;
    });
    const { fetch } = fakeFetch(() => json(200, plans));
    const result = client(fetch, { timeoutMs: 1000, middleware: [{ onRequest: signIn }] }).listPlans();
    await vi.advanceTimersByTimeAsync(5000);
    await expect(result).resolves.toEqual(plans);
  });

  it("the caller's own signal still cuts a sign-in", async () => {
    const signIn = vi.fn(
      ({ request }: { request: Request }) =>
        new Promise<Request>((_, reject) =>
          request.signal.addEventListener("abort", () => reject(request.signal.reason)),
        ),
    );
    const { fetch } = fakeFetch(() => json(200, plans));
    const controller = new AbortController();
    const result = client(fetch, { middleware: [{ onRequest: signIn }] })
      .listPlans({ signal: controller.signal })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new Error("ctrl-c"));
    expect(await result).toMatchObject({ message: "ctrl-c" });
  });

  it("the API timeout still applies to the request itself", async () => {
    const { fetch } = fakeFetch(hang);
    const result = client(fetch, { timeoutMs: 1000, maxRetries: 0 })
      .listPlans()
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await result).toBeInstanceOf(TimeoutError);
  });
});

describe("a user's middleware that throws a TypeError (defect 13)", () => {
  it("is neither a ConnectionError nor retried", async () => {
    const broken = vi.fn(() => {
      throw new TypeError("Cannot read properties of undefined (reading 'id')");
    });
    const { fetch } = fakeFetch(() => json(200, plans));
    const error = await client(fetch, { middleware: [{ onRequest: broken }] })
      .listPlans()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).not.toBeInstanceOf(ConnectionError);
    expect(broken).toHaveBeenCalledTimes(1);
  });

  it("while a failure of fetch itself is a ConnectionError, retried", async () => {
    const { fetch } = fakeFetch(
      () => {
        throw new TypeError("fetch failed");
      },
      () => json(200, plans),
    );
    const result = client(fetch).listPlans();
    await vi.advanceTimersByTimeAsync(1000);
    await expect(result).resolves.toEqual(plans);
  });
});

describe("a freshly issued token refused too (defect 10, the client's half)", () => {
  it("AuthenticationError carries a hint when the auth middleware marked the 401", async () => {
    const { fetch } = fakeFetch(() =>
      json(
        401,
        { statusCode: 401, error: "Unauthorized", message: "revoked" },
        { "x-simcel-token-refused": "fresh-token-refused" },
      ),
    );
    const error = (await client(fetch)
      .listPlans()
      .catch((e: unknown) => e)) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.hint).toMatch(/revoked, or meant for another environment/);
    expect(error.message).toContain(error.hint as string);
    const { fetch: plain } = fakeFetch(() => json(401, { statusCode: 401, error: "Unauthorized", message: "expired" }));
    expect(
      (
        (await client(plain)
          .listPlans()
          .catch((e: unknown) => e)) as AuthenticationError
      ).hint,
    ).toBeUndefined();
  });
});

describe("hooks, logs and the default base URL", () => {
  it("onRetry and the logger report each retry and each request, without secrets", async () => {
    const { fetch } = fakeFetch(
      () => json(503, { statusCode: 503, error: "Service Unavailable", message: `busy ${OPAQUE_TOKEN}` }),
      () => json(200, plans),
    );
    const onRetry = vi.fn();
    const lines: string[] = [];
    const logger = { debug: (m: string) => lines.push(m), info: (m: string) => lines.push(m) };
    const result = client(fetch, { middleware: [bearer(OPAQUE_TOKEN)], hooks: { onRetry }, logger }).listPlans();
    await vi.advanceTimersByTimeAsync(1000);
    await result;
    expect(onRetry).toHaveBeenCalledWith(
      expect.objectContaining({ operation: "listPlans", attempt: 1, delayMs: 500, error: expect.any(ServerError) }),
    );
    expect(lines[0]).toMatch(/^listPlans: GET \/insights\/v1\/plans → 503 in \d+ ms$/);
    expect(lines[1]).toMatch(
      /^listPlans: attempt 1 failed, retrying in 500 ms: \[@simcel\/insights\] 503 Service Unavailable: busy \[redacted\]/,
    );
    expect(lines[2]).toMatch(/→ 200 in/);
    expect(lines.join("\n")).not.toContain("FAKE");
  });

  it("takes its base URL from a middleware that carries one, as @simcel/auth's does", async () => {
    const { fetch, calls } = fakeFetch(() => json(200, plans));
    const middleware = Object.assign(bearer(OPAQUE_TOKEN), { baseUrl: "http://127.0.0.1:4010" });
    await createInsightsClient({ fetch, middleware: [middleware] }).listPlans();
    expect(calls[0]?.url).toBe("http://127.0.0.1:4010/insights/v1/plans");
    await createInsightsClient({ fetch, baseUrl: "https://own.test", middleware: [middleware] }).listPlans();
    expect(calls[1]?.url).toBe("https://own.test/insights/v1/plans");
  });

  it("close() aborts calls in flight and refuses new ones", async () => {
    const { fetch, calls } = fakeFetch(hang);
    const insights = client(fetch);
    const pending = insights.listPlans().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    await insights.close();
    expect(await pending).toMatchObject({ code: "closed" });
    expect(calls[0]?.signal.aborted).toBe(true);
    await expect(insights.listPlans()).rejects.toMatchObject({ code: "closed" });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("the raw client stays plain openapi-fetch: no typed errors, no checks", async () => {
    const { fetch } = fakeFetch(() => json(200, {}));
    const { data, response } = await client(fetch).raw.GET("/insights/v1/plans");
    expect(response.status).toBe(200);
    expect(data).toEqual({});
  });
});

describe("instanceof across copies of the package (the ESM and CJS builds in one process)", () => {
  it("an error from another copy is an instance of this copy's classes", async () => {
    const copy: typeof import("../src/errors.js") = await import("../src/errors.ts?copy=1" as string);
    expect(copy.TimeoutError).not.toBe(TimeoutError);
    const theirs = new copy.TimeoutError("x");
    expect(theirs).toBeInstanceOf(TimeoutError);
    expect(theirs).toBeInstanceOf(ConnectionError);
    expect(theirs).toBeInstanceOf(SimcelApiError);
    expect(theirs).not.toBeInstanceOf(ServerError);
    expect(new copy.ServerError("y")).not.toBeInstanceOf(ConnectionError);
  });
});
