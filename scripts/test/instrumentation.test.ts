// The hook surface a tracer plugs into: every insights operation and every token request is reported to the
// instrumentation slot, a sign-in nests under the operation that needed it, each HTTP attempt (retries and 401
// replays included) carries the tracer's headers, and nothing reported holds a secret.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApiKeyCredential, createAuthMiddleware } from "../../packages/auth/src/index.js";
import { createInsightsClient, NotFoundError } from "../../packages/insights/src/index.js";
import { installFakeInstrumentation } from "./fake-instrumentation.js";

const API_KEY = "sk_test_FAKE_instrumented_key";
const BASE = "https://api.test/api";
const pnl = {
  meta: { planId: "plan_1", currency: "USD", interval: "FY", generatedAt: "2025-06-30T08:15:00Z" },
  scenarios: [],
};

/** A fetch answering each request by path; it records every request it was handed. */
function server(answer: (path: string, n: number) => Response) {
  const seen: Request[] = [];
  const fetch = async (request: Request) => {
    seen.push(request);
    const path = new URL(request.url).pathname;
    return answer(path, seen.filter((r) => new URL(r.url).pathname === path).length);
  };
  return { fetch, seen };
}

const token = (n: number) => Response.json({ accessToken: `tok_FAKE_traced_${n}`, expiresIn: 3600 });
const problem = (status: number, headers: Record<string, string> = {}) =>
  Response.json({ statusCode: status, error: "Error", message: `said ${API_KEY}` }, { status, headers });

function clients(fetch: (request: Request) => Promise<Response>) {
  const credential = createApiKeyCredential({ apiKey: API_KEY, baseUrl: BASE, fetch });
  const auth = createAuthMiddleware({ credential });
  return createInsightsClient({ baseUrl: BASE, fetch, middleware: [auth] });
}

describe("instrumentation slot", () => {
  let tracer: ReturnType<typeof installFakeInstrumentation>;
  beforeEach(() => {
    tracer = installFakeInstrumentation();
  });
  afterEach(() => tracer.uninstall());

  it("reports an operation, and the sign-in it triggers nested under it, with the tracer's headers on each request", async () => {
    const { fetch, seen } = server((path, n) =>
      path.endsWith("/token") ? token(n) : Response.json(pnl, { headers: { "x-request-id": "req_1" } }),
    );
    await clients(fetch).getPnlSummary({ planId: "plan_1" });

    const [op, signIn] = tracer.operations;
    expect(tracer.operations).toHaveLength(2);
    expect(op?.start).toEqual({
      operation: "getPnlSummary",
      kind: "api",
      method: "GET",
      url: `${BASE}/insights/v1/pnl-summary`,
      sdkVersion: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
    expect(op?.parent).toBeUndefined();
    expect(signIn?.start).toMatchObject({
      operation: "signIn",
      kind: "token",
      method: "POST",
      url: `${BASE}/auth/v1/token`,
    });
    expect(signIn?.parent).toBe(op?.id);
    // each request carried the traceparent its own operation gave
    expect(seen.map((r) => r.headers.get("traceparent"))).toEqual([
      signIn?.headers[0]?.traceparent,
      op?.headers[0]?.traceparent,
    ]);
    expect(op?.attempts).toEqual([
      { attempt: 1, status: 200, durationMs: expect.any(Number), url: `${BASE}/insights/v1/pnl-summary` },
    ]);
    expect(signIn?.attempts).toEqual([
      { attempt: 1, status: 200, durationMs: expect.any(Number), url: `${BASE}/auth/v1/token` },
    ]);
    expect(op?.ends).toEqual([{ status: 200, requestId: "req_1" }]);
    expect(signIn?.ends).toEqual([{ status: 200 }]);
  });

  it("puts fresh headers on every attempt, retries and a 401 replay included, and reports each retry", async () => {
    const { fetch, seen } = server((path, n) => {
      if (path.endsWith("/token")) return token(n);
      if (n === 1) return problem(503, { "retry-after": "0" });
      if (n === 2) return problem(401);
      return Response.json(pnl);
    });
    await clients(fetch).getPnlSummary({ planId: "plan_1" });

    const op = tracer.operations.find((o) => o.start.operation === "getPnlSummary");
    const apiRequests = seen.filter((r) => r.url.includes("/insights/"));
    expect(apiRequests).toHaveLength(3);
    for (const request of apiRequests) expect(request.headers.get("traceparent")).toMatch(/^00-a{32}-\d{16}-01$/);
    // headers are read as each request is sent: the retry and the 401 replay each carry their own
    expect(new Set(apiRequests.map((r) => r.headers.get("traceparent"))).size).toBe(3);
    expect(op?.retries).toEqual([{ attempt: 1, delayMs: 0, status: 503, code: "server_error" }]);
    expect(op?.attempts.map((a) => [a.attempt, a.status, a.error?.code])).toEqual([
      [1, 503, "server_error"],
      [2, 200, undefined],
    ]);
    // two sign-ins: the first token, then the fresh one the 401 asked for, both under the operation
    const signIns = tracer.operations.filter((o) => o.start.operation === "signIn");
    expect(signIns.map((s) => s.parent)).toEqual([op?.id, op?.id]);
  });

  it("ends a failed operation with the error's safe fields and never a secret", async () => {
    const { fetch } = server((path, n) =>
      path.endsWith("/token") ? token(n) : problem(404, { "x-request-id": "req_404" }),
    );
    const error = await clients(fetch)
      .getPnlSummary({ planId: "plan_1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    const op = tracer.operations[0];
    expect(op?.ends).toEqual([
      {
        status: 404,
        requestId: "req_404",
        error: {
          name: "NotFoundError",
          code: "not_found",
          status: 404,
          requestId: "req_404",
          message: (error as Error).message,
        },
      },
    ]);
    const everything = JSON.stringify(tracer.operations);
    expect(everything).not.toContain(API_KEY);
    expect(everything).not.toContain("tok_FAKE_traced");
  });

  it("reports a failed sign-in as the token operation's end, and the API operation's", async () => {
    const { fetch } = server(() => problem(401));
    await expect(clients(fetch).listPlans()).rejects.toThrow();
    const [op, signIn] = tracer.operations;
    expect(signIn?.parent).toBe(op?.id);
    expect(signIn?.ends[0]?.error).toMatchObject({ code: "token_request_rejected", status: 401 });
    expect(op?.ends[0]?.error).toMatchObject({ code: "token_request_rejected", status: 401 });
    expect(JSON.stringify(tracer.operations)).not.toContain(API_KEY);
  });

  it("keeps the call working when the tracer throws", async () => {
    const slot = globalThis as Record<symbol, unknown>;
    const boom = () => {
      throw new Error("tracer broke");
    };
    slot[Symbol.for("simcel.instrumentation/v1")] = {
      startOperation: () => ({ run: boom, headers: boom, attempt: boom, retry: boom, end: boom }),
    };
    const { fetch } = server((path, n) => (path.endsWith("/token") ? token(n) : Response.json(pnl)));
    await expect(clients(fetch).getPnlSummary({ planId: "plan_1" })).resolves.toEqual(pnl);
    slot[Symbol.for("simcel.instrumentation/v1")] = { startOperation: boom };
    await expect(clients(fetch).getPnlSummary({ planId: "plan_1" })).resolves.toEqual(pnl);
  });

  it("sends no trace header when the slot is empty", async () => {
    tracer.uninstall();
    const { fetch, seen } = server((path, n) => (path.endsWith("/token") ? token(n) : Response.json(pnl)));
    await clients(fetch).getPnlSummary({ planId: "plan_1" });
    expect(seen.map((r) => r.headers.get("traceparent"))).toEqual([null, null]);
    expect(tracer.operations).toEqual([]);
  });
});
