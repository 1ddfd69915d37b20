// The fault matrix, library side: every fault of the rig's sandbox (scripts/test/rig.ts) driven through @simcel/auth's middleware and
// @simcel/insights' client, one row per case. Each row states what the issue-9 contract (HARDENING-API.md and
// the defect list) says must happen: the outcome of every call (data, or which typed error with which code and
// fields), the exact number of token and API requests the server saw — and, for every row, 0 unhandled
// rejections, 0 handles left open and 0 secrets (the key, the client secret, every token the server issued, in
// every encoding, whole or cut) in any rendering of any error, log line or hook event.
//
// It runs the SOURCES (packages/*/src), not the builds: the suite's leak probe (scripts/test/leak-probe.ts) then
// also records every error the libraries construct on these paths, swallowed ones included, and no stale dist
// can hide a fix or a regression. The built artefacts are exercised by the CLI matrix (a real `simcel` process).
//
// Options the contract adds (logger, hooks, close()) are passed and read loosely, so this file compiles against
// the libraries before and after the hardening lands; errors are matched by name and code, not by class imports.
import { inspect } from "node:util";
import type { Middleware } from "openapi-fetch";
import { afterAll, describe, expect, it } from "vitest";
import {
  type AuthMiddlewareOptions,
  createApiKeyCredential,
  createAuthMiddleware,
  createClientCredentials,
  SimcelAuthError,
} from "../../packages/auth/src/index.js";
import {
  createInsightsClient,
  type InsightsClient,
  type InsightsClientOptions,
  SimcelApiError,
} from "../../packages/insights/src/index.js";
import type { Sandbox, SandboxOptions } from "../../packages/sandbox/src/index.js";
import { listOperations } from "../spec-tools.mjs";
import {
  apiError,
  authError,
  type Count,
  countOk,
  type Expected,
  filler,
  groupOutcomes,
  leftOpen,
  type MatrixRow,
  mismatch,
  renderAll,
  resources,
  rigSecrets,
  showCount,
  summarise,
  writeReport,
} from "./fault-matrix.js";
import { RIG_SECRETS, startRig, until } from "./rig.js";
import { basicCredentials, basicCredentialsRaw, findLeaks, leakNeedles, secretForms } from "./secret-forms.js";

/** What a case's `run` and `check` get. */
interface Ctx {
  server: Sandbox;
  client: InsightsClient;
  /** The auth middleware (its `close()` is part of the contract). */
  auth: object;
  /** Lines the logger received. */
  log: string[];
  /** Hook calls, by hook name. */
  hooks: { name: string; event: unknown }[];
  /** Times the case's own middleware (if any) ran. */
  userMiddlewareCalls: number;
}

interface Case {
  name: string;
  /**
   * The defect of issue 9 the row proves fixed (its number), "hooks/logs" for the design's hooks and logger,
   * or nothing for a row that guards what works today.
   */
  defect?: string;
  credential?: "apiKey" | "clientCredentials";
  server?: SandboxOptions;
  /**
   * Per-attempt API timeout, retries (default the client's), token attempt timeout. The timeouts default to 10 s: a
   * row that is about a timeout sets its own, and the others must not time out because the machine is busy (300
   * concurrent calls on a loaded 2-core machine took over 2 s and were retried: 454 API requests for 300).
   */
  timeoutMs?: number;
  maxRetries?: number;
  tokenTimeoutMs?: number;
  /** A middleware of the user's, registered before the auth middleware. */
  userMiddleware?: (ctx: Ctx) => Middleware;
  setup?: (server: Sandbox) => void;
  /** The calls; default one `listPlans()`. */
  run?: (ctx: Ctx) => Promise<PromiseSettledResult<unknown>[]>;
  /** What every call must end in (any of these). */
  expect: Expected | Expected[];
  tokenRequests: Count;
  apiRequests: Count;
  /** More checks after the calls settled (before anything is closed); returns violations. */
  check?: (ctx: Ctx, results: PromiseSettledResult<unknown>[]) => Promise<string[]> | string[];
  notes?: (ctx: Ctx) => string;
}

/** The API and token attempt timeouts of a row that sets none (see Case.timeoutMs). */
const DEFAULT_TIMEOUT_MS = 10_000;
const ops = listOperations();
const one = async (p: () => Promise<unknown>) => Promise.allSettled([p()]);
const concurrent = (n: number, p: () => Promise<unknown>) => Promise.allSettled(Array.from({ length: n }, p));
async function sequential(n: number, p: () => Promise<unknown>) {
  const out: PromiseSettledResult<unknown>[] = [];
  for (let i = 0; i < n; i++) out.push(...(await Promise.allSettled([p()])));
  return out;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const plansExample = ops.find((o) => o.operationId === "listPlans")?.responses[200]?.examples.twoPlans as {
  plans: Record<string, unknown>[];
};
const pnl = (ctx: Ctx) => ctx.client.getPnlSummary({ planId: ctx.server.plans[0]!.id });
/** 175 characters, then the secret: it crosses the 200-character cut of a non-JSON excerpt with 25 characters. */
const acrossTheCut = (secret: string) => `${filler(175)}${secret} was not accepted`;

/** The `attempt` of each `onRetry` event of one hook, which must be 1, 2, … (the attempt that failed). */
const retriesSeen =
  (hook: "auth.onRetry" | "insights.onRetry", attempts: number[]) =>
  ({ hooks }: Ctx): string[] => {
    const seen = hooks.filter((h) => h.name === hook).map((h) => (h.event as { attempt?: unknown }).attempt);
    return JSON.stringify(seen) === JSON.stringify(attempts)
      ? []
      : [`${hook} attempts ${JSON.stringify(seen)}, expected ${JSON.stringify(attempts)}`];
  };

const tokenRejected = (status: number, fields: Record<string, unknown> = {}) =>
  authError("TokenRequestError", "token_request_rejected", { status, ...fields });
const tokenFailed = authError("TokenRequestError", "token_request_failed", { status: undefined });
const tokenInvalid = authError("TokenResponseError", "token_response_invalid");
const responseInvalid = (pointer: string, operation: string) =>
  apiError("ResponseValidationError", "response_invalid", { pointer, operation });

/** Echo rows: the secret `pick` chooses, in one of its forms, in the server's message. */
function echoes(
  route: "token" | "api",
  status: number,
  who: "key" | "secret" | "token",
  expected: Expected,
  counts: { tokenRequests: Count; apiRequests: Count },
): Case[] {
  const forms = ["raw", "percent", "form", "json", "base64"] as const;
  const defect = who === "token" ? "1" : "2";
  // a retried 5xx is retried at once: these rows are about what the error shows, not about backoff
  const headers = status >= 500 ? { "retry-after": "0" } : {};
  const rows: Case[] = forms.map((form) => ({
    name: `${route} ${status} echoes the ${who} (${form})`,
    defect,
    credential: who === "secret" ? "clientCredentials" : "apiKey",
    setup: (s) =>
      s.fail({
        operation: route,
        kind: "echo",
        status,
        headers,
        text: (r) => {
          const secret = who === "key" ? r.apiKey : who === "secret" ? r.clientSecret : (r.token ?? "");
          return `credential ${secretForms(secret)[form]} is not valid`;
        },
      }),
    expect: expected,
    ...counts,
  }));
  if (who === "secret")
    for (const [what, basic] of [
      ["a Basic header (base64 of id:secret)", basicCredentialsRaw],
      ["an RFC 6749 Basic header (id and secret form-encoded, then base64)", basicCredentials],
    ] as const)
      rows.push({
        name: `${route} ${status} echoes the client secret as ${what}`,
        defect,
        credential: "clientCredentials",
        setup: (s) =>
          s.fail({
            operation: route,
            kind: "echo",
            status,
            headers,
            text: (r) => `Authorization: Basic ${basic(r.clientId, r.clientSecret)} refused`,
          }),
        expect: expected,
        ...counts,
      });
  // only a token request has a body with a secret in it
  if (who === "secret" && route === "token")
    rows.push({
      name: `${route} ${status} echoes the raw form body`,
      defect,
      credential: "clientCredentials",
      setup: (s) =>
        s.fail({ operation: route, kind: "echo", status, headers, text: (r) => `cannot parse body: ${r.body}` }),
      expect: expected,
      ...counts,
    });
  rows.push({
    name: `${route} ${status} text body with the ${who} across the 200-character cut`,
    defect: "3",
    credential: who === "secret" ? "clientCredentials" : "apiKey",
    setup: (s) =>
      s.fail({
        operation: route,
        kind: "echo",
        status,
        headers,
        raw: true,
        text: (r) => acrossTheCut(who === "key" ? r.apiKey : who === "secret" ? r.clientSecret : (r.token ?? "")),
      }),
    expect: expected,
    ...counts,
  });
  return rows;
}

const cases: Case[] = [
  // ── the token endpoint ──────────────────────────────────────────────────────────────────────────────
  {
    name: "healthy: API key, one call (logged, onTokenRefresh once)",
    defect: "hooks/logs",
    expect: "data",
    tokenRequests: 1,
    apiRequests: 1,
    check: ({ log, hooks }) => {
      const refreshes = hooks.filter((h) => h.name === "onTokenRefresh");
      return [
        ...(log.length ? [] : ["the logger received no line (the contract logs each request)"]),
        ...(refreshes.length === 1 &&
        (refreshes[0]?.event as { background?: boolean } | undefined)?.background === false
          ? []
          : [`onTokenRefresh called ${refreshes.length} time(s), expected once with background: false`]),
      ];
    },
  },
  {
    name: "healthy: client credentials (form body, scopes)",
    credential: "clientCredentials",
    expect: "data",
    tokenRequests: 1,
    apiRequests: 1,
    check: ({ server }) => {
      const form = new URLSearchParams(server.requests[0]?.body);
      return form.get("grant_type") === "client_credentials" && form.get("scope") === "insights:read plans:read"
        ? []
        : [`token body ${form.toString().replace(/client_secret=[^&]*/, "client_secret=…")}`];
    },
  },
  {
    name: "cold: 300 concurrent calls share one token",
    run: (ctx) => concurrent(300, () => ctx.client.listPlans()),
    expect: "data",
    tokenRequests: 1,
    apiRequests: 300,
  },
  {
    name: "token 400 (spec body)",
    setup: (s) => s.fail({ operation: "token", kind: "status", status: 400 }),
    expect: tokenRejected(400, { reason: "Bad Request" }),
    tokenRequests: 1,
    apiRequests: 0,
  },
  {
    name: "token 401 (spec body)",
    setup: (s) => s.fail({ operation: "token", kind: "status", status: 401 }),
    expect: { ...tokenRejected(401, { reason: "Unauthorized" }), messageIncludes: ["Invalid API key"] },
    tokenRequests: 1,
    apiRequests: 0,
  },
  {
    name: "token 403",
    setup: (s) => s.fail({ operation: "token", kind: "status", status: 403 }),
    expect: tokenRejected(403),
    tokenRequests: 1,
    apiRequests: 0,
  },
  {
    name: "token 429, Retry-After 120 s (beyond the cap: not waited)",
    defect: "14",
    setup: (s) => s.fail({ operation: "token", kind: "status", status: 429, headers: { "retry-after": "120" } }),
    expect: tokenRejected(429, { retryAfterMs: 120_000 }),
    tokenRequests: 1,
    apiRequests: 0,
  },
  {
    name: "token 429, Retry-After 0, next 1",
    setup: (s) =>
      s.fail({ operation: "token", kind: "status", status: 429, headers: { "retry-after": "0" }, times: 1 }),
    expect: "data",
    tokenRequests: 2,
    apiRequests: 1,
  },
  {
    name: "token 500 always",
    setup: (s) => s.fail({ operation: "token", kind: "status", status: 500 }),
    expect: tokenRejected(500),
    tokenRequests: 3,
    apiRequests: 0,
  },
  {
    name: "token 503 next 2 (onRetry of auth: attempts 1, 2)",
    defect: "hooks/logs",
    setup: (s) => s.fail({ operation: "token", kind: "status", status: 503, times: 2 }),
    expect: "data",
    tokenRequests: 3,
    apiRequests: 1,
    check: retriesSeen("auth.onRetry", [1, 2]),
  },
  // Retry-After 2.5 s makes the sign-in outlast every API attempt (1 s each, 3 attempts, backoff ≤ 0.5 + 1 s):
  // deterministic, where plain 503s cut the attempts or not depending on the backoff's jitter.
  {
    name: "token 503 always (Retry-After 2.5 s), API timeout 1 s: one call",
    defect: "9",
    timeoutMs: 1_000,
    setup: (s) => s.fail({ operation: "token", kind: "status", status: 503, headers: { "retry-after": "2.5" } }),
    expect: tokenRejected(503),
    tokenRequests: [1, 3],
    apiRequests: 0,
  },
  {
    name: "token 503 always (Retry-After 2.5 s), API timeout 1 s: 20 concurrent calls",
    defect: "9",
    timeoutMs: 1_000,
    setup: (s) => s.fail({ operation: "token", kind: "status", status: 503, headers: { "retry-after": "2.5" } }),
    run: (ctx) => concurrent(20, () => ctx.client.listPlans()),
    expect: tokenRejected(503),
    tokenRequests: [1, 3],
    apiRequests: 0,
  },
  {
    // plain 503s: whether today's code cuts the sign-in depends on the backoff's jitter (about 3 runs in 4)
    name: "token 503 always (no Retry-After), API timeout 1 s: 20 concurrent calls",
    timeoutMs: 1_000,
    setup: (s) => s.fail({ operation: "token", kind: "status", status: 503 }),
    run: (ctx) => concurrent(20, () => ctx.client.listPlans()),
    expect: tokenRejected(503),
    tokenRequests: 3,
    apiRequests: 0,
  },
  {
    name: "token hang (token attempt 300 ms, API timeout 1 s)",
    defect: "9",
    timeoutMs: 1_000,
    tokenTimeoutMs: 300,
    setup: (s) => s.fail({ operation: "token", kind: "hang" }),
    expect: tokenFailed,
    tokenRequests: 3,
    apiRequests: 0,
  },
  {
    name: "token reset before headers, always",
    setup: (s) => s.fail({ operation: "token", kind: "reset" }),
    expect: tokenFailed,
    tokenRequests: 3,
    apiRequests: 0,
  },
  {
    name: "token reset before headers, next 1",
    setup: (s) => s.fail({ operation: "token", kind: "reset", times: 1 }),
    expect: "data",
    tokenRequests: 2,
    apiRequests: 1,
  },
  {
    name: "token reset mid-body (200 headers, half the body), always",
    defect: "4",
    setup: (s) => s.fail({ operation: "token", kind: "resetMidBody" }),
    expect: tokenFailed,
    tokenRequests: 3,
    apiRequests: 0,
  },
  {
    name: "token reset mid-body, next 1",
    defect: "4",
    setup: (s) => s.fail({ operation: "token", kind: "resetMidBody", times: 1 }),
    expect: "data",
    tokenRequests: 2,
    apiRequests: 1,
  },
  {
    name: "token 400 with its body reset mid-way: a typed error (rejected: the status came; or failed and retried)",
    defect: "4",
    setup: (s) => s.fail({ operation: "token", kind: "resetMidBody", status: 400 }),
    // auth's contract: token_request_failed means "no response"; a 400 whose message broke off is an answer
    expect: [tokenRejected(400), tokenFailed],
    tokenRequests: [1, 3],
    apiRequests: 0,
    check: (_ctx, [result]) => {
      const error = (result as PromiseRejectedResult).reason as { code?: string };
      const requests = _ctx.server.counts.token;
      return (error?.code === "token_request_rejected" && requests === 1) ||
        (error?.code === "token_request_failed" && requests === 3)
        ? []
        : [`${error?.code} after ${requests} token request(s): rejected is final (1), failed is retried (3)`];
    },
  },
  {
    name: "token 200 malformed JSON",
    setup: (s) =>
      s.fail({
        operation: "token",
        kind: "text",
        contentType: "application/json",
        body: '{"accessToken": "eyJhbGciOi',
      }),
    expect: tokenInvalid,
    tokenRequests: 1,
    apiRequests: 0,
  },
  {
    name: "token 200 HTML page",
    setup: (s) =>
      s.fail({ operation: "token", kind: "text", contentType: "text/html", body: "<html><body>Sign in</body></html>" }),
    expect: tokenInvalid,
    tokenRequests: 1,
    apiRequests: 0,
  },
  {
    name: "token 502 HTML gateway page, always",
    setup: (s) =>
      s.fail({
        operation: "token",
        kind: "text",
        status: 502,
        contentType: "text/html",
        body: "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>",
      }),
    expect: { ...tokenRejected(502), messageIncludes: ["Bad Gateway"] },
    tokenRequests: 3,
    apiRequests: 0,
  },
  {
    name: "token 200 with a 50 MB body",
    setup: (s) => s.fail({ operation: "token", kind: "huge", bytes: 50 * 1024 * 1024 }),
    expect: tokenInvalid,
    tokenRequests: 1,
    apiRequests: 0,
    check: ({ server }) =>
      server.counts.maxBodyBytes < 25 * 1024 * 1024
        ? []
        : [`the client pulled ${server.counts.maxBodyBytes} bytes of a 50 MB token body`],
    notes: ({ server }) => `server wrote ${(server.counts.maxBodyBytes / 1048576).toFixed(1)} MB of 50`,
  },
  {
    name: "token 500 with a 50 MB error page, always",
    setup: (s) =>
      s.fail({ operation: "token", kind: "huge", status: 500, bytes: 50 * 1024 * 1024, contentType: "text/html" }),
    expect: tokenRejected(500),
    tokenRequests: 3,
    apiRequests: 0,
    check: ({ server }) =>
      server.counts.maxBodyBytes < 25 * 1024 * 1024
        ? []
        : [`the client pulled ${server.counts.maxBodyBytes} bytes of a 50 MB error page`],
    notes: ({ server }) => `server wrote ≤ ${(server.counts.maxBodyBytes / 1048576).toFixed(1)} MB per response`,
  },
  ...([0, -1, "3600"] as const).map(
    (value): Case => ({
      name: `token expiresIn ${JSON.stringify(value)}`,
      setup: (s) => s.fail({ operation: "token", kind: "tokenBody", patch: { expiresIn: value } }),
      expect: tokenInvalid,
      tokenRequests: 1,
      apiRequests: 0,
    }),
  ),
  {
    name: "token expiresIn 1e13 (Date cannot hold the expiry): capped or typed error, 2 calls",
    defect: "5",
    setup: (s) => s.fail({ operation: "token", kind: "tokenBody", patch: { expiresIn: 1e13 } }),
    run: (ctx) => sequential(2, () => ctx.client.listPlans()),
    expect: ["data", tokenInvalid],
    tokenRequests: [1, 2],
    apiRequests: [0, 2],
    check: (_ctx, results) =>
      new Set(results.map((r) => r.status)).size === 1 ? [] : ["the two calls ended differently"],
  },
  {
    name: "token tokenType null (the docs: the field may be absent)",
    defect: "14",
    setup: (s) => s.fail({ operation: "token", kind: "tokenBody", patch: { tokenType: null } }),
    expect: "data",
    tokenRequests: 1,
    apiRequests: 1,
  },
  {
    name: "token tokenType absent",
    setup: (s) => s.fail({ operation: "token", kind: "tokenBody", patch: { tokenType: undefined } }),
    expect: "data",
    tokenRequests: 1,
    apiRequests: 1,
  },
  {
    name: 'token tokenType "mac"',
    setup: (s) => s.fail({ operation: "token", kind: "tokenBody", patch: { tokenType: "mac" } }),
    expect: tokenInvalid,
    tokenRequests: 1,
    apiRequests: 0,
  },
  {
    name: "token 401 RFC 6749 invalid_client (client credentials)",
    defect: "6",
    credential: "clientCredentials",
    setup: (s) =>
      s.fail({
        operation: "token",
        kind: "oauthError",
        status: 401,
        error: "invalid_client",
        description: "client authentication failed",
      }),
    expect: { ...tokenRejected(401, { reason: "invalid_client" }), messageIncludes: ["client authentication failed"] },
    tokenRequests: 1,
    apiRequests: 0,
  },
  {
    name: "token 400 RFC 6749 invalid_scope (client credentials)",
    defect: "6",
    credential: "clientCredentials",
    setup: (s) =>
      s.fail({
        operation: "token",
        kind: "oauthError",
        status: 400,
        error: "invalid_scope",
        description: "scope admin is not granted to this client",
      }),
    expect: {
      ...tokenRejected(400, { reason: "invalid_scope" }),
      messageIncludes: ["scope admin is not granted to this client"],
    },
    tokenRequests: 1,
    apiRequests: 0,
  },
  {
    name: "token 302 to the same origin",
    defect: "14",
    setup: (s) => s.fail({ operation: "token", kind: "redirect", to: "same-origin" }),
    expect: authError("TokenRequestError", "token_request_redirected"),
    tokenRequests: 1,
    apiRequests: 0,
    check: ({ server }, [result]) => {
      const location = (result as PromiseRejectedResult).reason?.location;
      return location === server.url ? [] : [`location ${JSON.stringify(location)} ≠ ${server.url}`];
    },
  },
  {
    name: "token 307 to another origin",
    defect: "14",
    setup: (s) => s.fail({ operation: "token", kind: "redirect", status: 307, to: "other-origin" }),
    expect: authError("TokenRequestError", "token_request_redirected"),
    tokenRequests: 1,
    apiRequests: 0,
    check: ({ server }, [result]) => {
      const location = (result as PromiseRejectedResult).reason?.location;
      return [
        ...(location === server.otherOrigin.url
          ? []
          : [`location ${JSON.stringify(location)} ≠ ${server.otherOrigin.url}`]),
        ...(server.otherOrigin.requests.length
          ? [`the other origin got ${server.otherOrigin.requests.length} request(s)`]
          : []),
      ];
    },
  },
  ...echoes("token", 400, "secret", tokenRejected(400), { tokenRequests: 1, apiRequests: 0 }),
  ...echoes("token", 401, "key", tokenRejected(401), { tokenRequests: 1, apiRequests: 0 }),

  // ── the API ─────────────────────────────────────────────────────────────────────────────────────────
  {
    name: "API 401 mid-session: token revoked with 300 calls in flight",
    timeoutMs: 15_000,
    run: async (ctx) => {
      const release = ctx.server.hold("api");
      const calls = concurrent(300, () => ctx.client.listPlans());
      await until(() => ctx.server.counts.api === 300, 15_000);
      ctx.server.revokeTokens();
      release();
      return calls;
    },
    expect: "data",
    tokenRequests: 2,
    apiRequests: 600,
  },
  {
    name: "API 401 next 1 (an expired token): replayed with a new one",
    setup: (s) => s.fail({ operation: "api", kind: "status", status: 401, times: 1 }),
    expect: "data",
    tokenRequests: 2,
    apiRequests: 2,
  },
  {
    name: "API 401 always, 20 sequential calls (refused even fresh: cool-down)",
    defect: "10",
    setup: (s) => s.fail({ operation: "api", kind: "status", status: 401 }),
    run: (ctx) => sequential(20, () => ctx.client.listPlans()),
    expect: apiError("AuthenticationError", "authentication_failed", { status: 401 }),
    tokenRequests: 2,
    apiRequests: 21,
    check: (_ctx, [first]) =>
      (first as PromiseRejectedResult)?.reason?.hint ? [] : ["the first AuthenticationError has no hint"],
  },
  {
    name: "API 401 always, 20 concurrent calls",
    setup: (s) => s.fail({ operation: "api", kind: "status", status: 401 }),
    run: (ctx) => concurrent(20, () => ctx.client.listPlans()),
    expect: apiError("AuthenticationError", "authentication_failed", { status: 401 }),
    tokenRequests: 2,
    // each call is replayed at most once; the cool-down may stop replays that had not started yet
    apiRequests: [21, 40],
  },
  {
    name: "API 403 (plans)",
    setup: (s) => s.fail({ operation: "api", kind: "status", status: 403 }),
    expect: apiError("PermissionDeniedError", "permission_denied", {
      status: 403,
      reason: "Forbidden",
      scope: "plans:read",
    }),
    tokenRequests: 1,
    apiRequests: 1,
  },
  {
    name: "API 404 (P&L)",
    setup: (s) => s.fail({ operation: "api", kind: "status", status: 404 }),
    run: (ctx) => one(() => pnl(ctx)),
    expect: apiError("NotFoundError", "not_found", { status: 404, reason: "Not Found" }),
    tokenRequests: 1,
    apiRequests: 1,
  },
  {
    name: "API 400 (P&L)",
    setup: (s) => s.fail({ operation: "api", kind: "status", status: 400 }),
    run: (ctx) => one(() => pnl(ctx)),
    expect: apiError("InvalidRequestError", "invalid_request", { status: 400, reason: "Bad Request" }),
    tokenRequests: 1,
    apiRequests: 1,
  },
  {
    name: "API 422 (P&L)",
    setup: (s) => s.fail({ operation: "api", kind: "status", status: 422 }),
    run: (ctx) => one(() => pnl(ctx)),
    expect: apiError("InvalidRequestError", "invalid_request", { status: 422 }),
    tokenRequests: 1,
    apiRequests: 1,
  },
  {
    name: "API 429 Retry-After 0, always",
    setup: (s) => s.fail({ operation: "api", kind: "status", status: 429, headers: { "retry-after": "0" } }),
    expect: apiError("RateLimitError", "rate_limited", { status: 429, retryAfterMs: 0 }),
    tokenRequests: 1,
    apiRequests: 3,
  },
  {
    name: "API 500 always",
    setup: (s) => s.fail({ operation: "api", kind: "status", status: 500 }),
    expect: apiError("ServerError", "server_error", { status: 500 }),
    tokenRequests: 1,
    apiRequests: 3,
  },
  {
    name: "API 503 next 2 (onRetry of insights: attempts 1, 2)",
    defect: "hooks/logs",
    setup: (s) => s.fail({ operation: "api", kind: "status", status: 503, times: 2 }),
    expect: "data",
    tokenRequests: 1,
    apiRequests: 3,
    check: retriesSeen("insights.onRetry", [1, 2]),
  },
  {
    name: "API 502 HTML page, always",
    setup: (s) =>
      s.fail({
        operation: "api",
        kind: "text",
        status: 502,
        contentType: "text/html",
        body: "<h1>502 Bad Gateway</h1>",
      }),
    expect: apiError("ServerError", "server_error", { status: 502 }),
    tokenRequests: 1,
    apiRequests: 3,
  },
  {
    name: "API 500 with a 50 MB error page",
    setup: (s) =>
      s.fail({ operation: "api", kind: "huge", status: 500, bytes: 50 * 1024 * 1024, contentType: "text/html" }),
    expect: apiError("ServerError", "server_error", { status: 500 }),
    tokenRequests: 1,
    apiRequests: 3,
    check: ({ server }) =>
      server.counts.maxBodyBytes < 25 * 1024 * 1024
        ? []
        : [`the client pulled ${server.counts.maxBodyBytes} bytes of a 50 MB error page`],
    notes: ({ server }) => `server wrote ≤ ${(server.counts.maxBodyBytes / 1048576).toFixed(1)} MB per response`,
  },
  {
    name: "API hang, timeout 300 ms",
    timeoutMs: 300,
    setup: (s) => s.fail({ operation: "api", kind: "hang" }),
    expect: apiError("TimeoutError", "timeout"),
    tokenRequests: 1,
    apiRequests: 3,
    check: async ({ server }) => {
      await until(() => server.counts.clientAborts >= 3, 3_000).catch(() => {});
      return server.counts.clientAborts === 3 ? [] : [`${server.counts.clientAborts} of 3 hung requests were aborted`];
    },
  },
  {
    name: "API reset before headers, always",
    setup: (s) => s.fail({ operation: "api", kind: "reset" }),
    expect: apiError("ConnectionError", "connection_failed"),
    tokenRequests: 1,
    apiRequests: 3,
  },
  {
    name: "API reset before headers, next 1",
    setup: (s) => s.fail({ operation: "api", kind: "reset", times: 1 }),
    expect: "data",
    tokenRequests: 1,
    apiRequests: 2,
  },
  {
    name: "API reset mid-body, always",
    defect: "4",
    setup: (s) => s.fail({ operation: "api", kind: "resetMidBody" }),
    expect: apiError("ConnectionError", "connection_failed"),
    tokenRequests: 1,
    apiRequests: 3,
  },
  {
    name: "API reset mid-body, next 1",
    defect: "4",
    setup: (s) => s.fail({ operation: "api", kind: "resetMidBody", times: 1 }),
    expect: "data",
    tokenRequests: 1,
    apiRequests: 2,
  },
  {
    // the status is the server's answer, the body only explains it: a 404 stays a 404 (with what arrived of its
    // message), final, not a network failure to retry — a 2xx body cut off is (rows above)
    name: "API 404 with its body reset mid-way: still the 404, not retried",
    defect: "4",
    setup: (s) => s.fail({ operation: "api", kind: "resetMidBody", status: 404 }),
    expect: apiError("NotFoundError", "not_found"),
    tokenRequests: 1,
    apiRequests: 1,
  },
  {
    name: "API 200 non-JSON (HTML)",
    defect: "8",
    setup: (s) =>
      s.fail({ operation: "api", kind: "text", contentType: "text/html", body: "<html>maintenance</html>" }),
    // the contract names no class for an unreadable 2xx: a typed validation or server error, never raw data
    expect: [responseInvalid("", "listPlans"), apiError("ServerError", "server_error")],
    tokenRequests: 1,
    apiRequests: [1, 3],
  },
  {
    name: "API 200 {} for plans",
    defect: "8",
    setup: (s) => s.fail({ operation: "api", kind: "json", body: {} }),
    expect: responseInvalid("/plans", "listPlans"),
    tokenRequests: 1,
    apiRequests: 1,
  },
  {
    name: "API 200 null for plans",
    defect: "8",
    setup: (s) => s.fail({ operation: "api", kind: "json", body: null }),
    expect: responseInvalid("", "listPlans"),
    tokenRequests: 1,
    apiRequests: 1,
  },
  {
    name: "API 200 plan without scenarios (getPlan)",
    defect: "8",
    setup: (s) =>
      s.fail({
        operation: "api",
        kind: "json",
        body: { plans: plansExample.plans.map(({ scenarios: _, ...plan }) => plan) },
      }),
    run: (ctx) => one(() => ctx.client.getPlan("plan_9xKz2")),
    expect: responseInvalid("/plans/0/scenarios", "listPlans"),
    tokenRequests: 1,
    apiRequests: 1,
  },
  {
    name: "API 200 {} for the P&L summary",
    defect: "8",
    setup: (s) => s.fail({ operation: "api", kind: "json", body: {} }),
    run: (ctx) => one(() => pnl(ctx)),
    // the first required field of PnlSummaryResponse in the spec's order
    expect: responseInvalid("/meta", "getPnlSummary"),
    tokenRequests: 1,
    apiRequests: 1,
  },
  {
    name: "API 302 to another origin",
    defect: "7",
    setup: (s) => s.fail({ operation: "api", kind: "redirect", to: "other-origin" }),
    expect: apiError("RedirectError", "redirect_refused"),
    tokenRequests: 1,
    apiRequests: 1,
    check: ({ server }, [result]) => {
      const location = (result as PromiseRejectedResult).reason?.location;
      return [
        ...(location === server.otherOrigin.url
          ? []
          : [`location ${JSON.stringify(location)} ≠ ${server.otherOrigin.url}`]),
        ...(server.otherOrigin.requests.length
          ? [`the other origin got ${server.otherOrigin.requests.length} request(s)`]
          : []),
      ];
    },
  },
  {
    name: "API 307 to the same origin (followed)",
    setup: (s) => s.fail({ operation: "listPlans", kind: "redirect", status: 307, to: "same-origin", times: 1 }),
    expect: "data",
    tokenRequests: 1,
    apiRequests: 2,
  },
  ...echoes("api", 401, "token", apiError("AuthenticationError", "authentication_failed"), {
    tokenRequests: 2,
    apiRequests: 2,
  }),
  ...echoes("api", 403, "token", apiError("PermissionDeniedError", "permission_denied"), {
    tokenRequests: 1,
    apiRequests: 1,
  }),
  ...echoes("api", 400, "token", apiError("InvalidRequestError", "invalid_request"), {
    tokenRequests: 1,
    apiRequests: 1,
  }),
  ...echoes("api", 500, "token", apiError("ServerError", "server_error"), { tokenRequests: 1, apiRequests: 3 }),
  ...echoes("api", 400, "key", apiError("InvalidRequestError", "invalid_request"), {
    tokenRequests: 1,
    apiRequests: 1,
  }),
  ...echoes("api", 400, "secret", apiError("InvalidRequestError", "invalid_request"), {
    tokenRequests: 1,
    apiRequests: 1,
  }),

  // ── the SDK's own machinery ─────────────────────────────────────────────────────────────────────────
  {
    name: "a user's middleware throws a TypeError: not retried, not a ConnectionError",
    defect: "13",
    userMiddleware: (ctx) => ({
      onRequest() {
        ctx.userMiddlewareCalls++;
        throw new TypeError("cannot read properties of undefined (reading 'tenant')");
      },
    }),
    expect: { name: "TypeError", family: "other", messageIncludes: ["tenant"] },
    tokenRequests: [0, 1],
    apiRequests: 0,
    check: (ctx) => (ctx.userMiddlewareCalls === 1 ? [] : [`the middleware ran ${ctx.userMiddlewareCalls} times`]),
  },
  {
    name: "the only caller aborts while the token endpoint hangs: the refresh is cancelled",
    defect: "11",
    tokenTimeoutMs: 30_000,
    setup: (s) => s.fail({ operation: "token", kind: "hang" }),
    run: (ctx) => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 200);
      return one(() => ctx.client.listPlans({ signal: controller.signal }));
    },
    expect: { name: "AbortError", family: "other" },
    tokenRequests: 1,
    apiRequests: 0,
    check: async ({ server }) => {
      await until(() => server.counts.clientAborts >= 1, 3_000).catch(() => {});
      return server.counts.clientAborts
        ? []
        : ["the hung token request was not cancelled within 3 s of its only caller leaving"];
    },
  },
  {
    name: "after the auth middleware's close(), a call fails with SimcelAuthError closed",
    defect: "11",
    run: async (ctx) => {
      const first = await Promise.allSettled([ctx.client.listPlans()]);
      const close = (ctx.auth as { close?: () => Promise<void> }).close;
      if (!close) return [...first, { status: "rejected", reason: new Error("the middleware has no close()") }];
      await close.call(ctx.auth);
      return [...first, ...(await Promise.allSettled([ctx.client.listPlans()]))];
    },
    expect: ["data", authError("SimcelAuthError", "closed")],
    tokenRequests: 1,
    apiRequests: 1,
    check: (_ctx, [first, second]) => [
      ...(first?.status === "fulfilled" ? [] : ["the first call (before close) failed"]),
      ...(second?.status === "rejected" ? [] : ["the call after close() succeeded"]),
    ],
  },
  {
    name: "background refresh fails (token 400 in the refresh window): backs off, keeps serving, reports",
    defect: "12",
    server: { tokenLifetimeS: 4 },
    run: async (ctx) => {
      const first = await Promise.allSettled([ctx.client.listPlans()]);
      const issued = Date.now();
      ctx.server.fail({ operation: "token", kind: "status", status: 400 });
      // past half-life (2 s): every call is in the refresh window, the token valid until 4 s
      await sleep(Math.max(0, 2_200 - (Date.now() - issued)));
      return [...first, ...(await sequential(10, () => ctx.client.listPlans()))];
    },
    expect: "data",
    tokenRequests: 2,
    apiRequests: 11,
    check: ({ hooks }) => {
      const errors = hooks.filter((h) => h.name === "onRefreshError");
      return errors.length >= 1 && errors.every((h) => (h.event as { background?: boolean }).background === true)
        ? []
        : [`onRefreshError called ${errors.length} time(s) with background: true`];
    },
  },
];

const rows: MatrixRow[] = [];
afterAll(() => {
  const path = writeReport("fault-matrix-library.md", "Fault matrix: @simcel/auth + @simcel/insights", rows);
  console.log(
    `fault matrix (library): ${rows.filter((r) => !r.violations.length).length}/${rows.length} as expected → ${path}`,
  );
});

describe("fault matrix: @simcel/auth + @simcel/insights", () => {
  for (const c of cases)
    it(c.name, async () => {
      const baseline = resources();
      const rejections: unknown[] = [];
      const onRejection = (reason: unknown) => rejections.push(reason);
      process.on("unhandledRejection", onRejection);
      // e.g. MaxListenersExceededWarning: what a user's process would print on stderr
      const warnings: Error[] = [];
      const onWarning = (warning: Error) => warnings.push(warning);
      process.on("warning", onWarning);
      const server = await startRig(c.server);
      const log: string[] = [];
      const hooks: Ctx["hooks"] = [];
      const hook = (name: string) => (event: unknown) => {
        hooks.push({ name, event });
      };
      const logger = Object.fromEntries(
        ["debug", "info", "warn", "error"].map((level) => [
          level,
          (message: string, fields?: unknown) => log.push(`${level} ${message} ${inspect(fields, { depth: 6 })}`),
        ]),
      );
      const common = { baseUrl: server.url, timeoutMs: c.tokenTimeoutMs ?? DEFAULT_TIMEOUT_MS, logger };
      const credential =
        c.credential === "clientCredentials"
          ? createClientCredentials({
              ...common,
              clientId: RIG_SECRETS.clientId,
              clientSecret: RIG_SECRETS.clientSecret,
              scopes: ["insights:read", "plans:read"],
            })
          : createApiKeyCredential({ ...common, apiKey: RIG_SECRETS.apiKey });
      const auth = createAuthMiddleware({
        credential,
        logger,
        hooks: {
          onTokenRefresh: hook("onTokenRefresh"),
          onRefreshError: hook("onRefreshError"),
          onRetry: hook("auth.onRetry"),
        },
      } as AuthMiddlewareOptions);
      const ctx = { server, log, hooks, userMiddlewareCalls: 0, auth } as Ctx;
      ctx.client = createInsightsClient({
        baseUrl: server.url,
        middleware: [...(c.userMiddleware ? [c.userMiddleware(ctx)] : []), auth],
        timeoutMs: c.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        ...(c.maxRetries !== undefined && { maxRetries: c.maxRetries }),
        logger,
        hooks: { onRetry: hook("insights.onRetry"), onSpecMismatch: hook("onSpecMismatch") },
      } as InsightsClientOptions);
      c.setup?.(server);

      const started = performance.now();
      const results = await (c.run ?? ((x: Ctx) => one(() => x.client.listPlans())))(ctx);
      const ms = performance.now() - started;
      const violations = [...((await c.check?.(ctx, results)) ?? [])];
      const notes = c.notes?.(ctx) ?? "";

      // close what the contract lets close (absent before the hardening), then let stragglers show
      for (const closable of [ctx.client, auth])
        await (closable as { close?: () => Promise<void> }).close?.().catch((e: unknown) => {
          violations.push(`close() rejected: ${String(e)}`);
        });
      await sleep(100);
      const { token: tokenRequests, api: apiRequests } = server.counts;
      const secrets = rigSecrets(server);
      await server.close();
      const open = await leftOpen(baseline);
      process.off("unhandledRejection", onRejection);
      process.off("warning", onWarning);

      const expected = Array.isArray(c.expect) ? c.expect : [c.expect];
      for (const [i, result] of results.entries()) {
        const why = mismatch(result, expected, { auth: SimcelAuthError, api: SimcelApiError });
        if (why) violations.push(`call ${i + 1}: ${why}`);
        if (violations.length > 6) break;
      }
      if (!countOk(tokenRequests, c.tokenRequests))
        violations.push(`${tokenRequests} token requests, expected ${showCount(c.tokenRequests)}`);
      if (!countOk(apiRequests, c.apiRequests))
        violations.push(`${apiRequests} API requests, expected ${showCount(c.apiRequests)}`);
      const needles = leakNeedles(secrets);
      const shown = [
        ...results.flatMap((r) => (r.status === "rejected" ? renderAll(r.reason) : [])),
        ...log,
        ...hooks.map((h) => inspect(h.event, { depth: 6, showHidden: true })),
      ];
      const leaks = new Set(shown.flatMap((text) => findLeaks(text, needles)));
      if (leaks.size) violations.push(`secrets shown: ${[...leaks].slice(0, 4).join(", ")}`);
      if (rejections.length) violations.push(`${rejections.length} unhandled rejection(s): ${String(rejections[0])}`);
      if (open.length) violations.push(`left open: ${open.join(", ")}`);
      if (warnings.length)
        violations.push(
          `process warning(s): ${warnings.map((w) => `${w.name}: ${w.message.slice(0, 100)}`).join("; ")}`,
        );

      rows.push({
        case: c.name,
        defect: c.defect ?? "",
        expected: expected.map((e) => (e === "data" ? "data" : `${e.name}${e.code ? ` ${e.code}` : ""}`)).join(" or "),
        outcome: groupOutcomes(results.map(summarise)),
        tokenRequests: `${tokenRequests} (${showCount(c.tokenRequests)})`,
        apiRequests: `${apiRequests} (${showCount(c.apiRequests)})`,
        notes: [notes, `${(ms / 1000).toFixed(1)} s`].filter(Boolean).join(", "),
        violations,
      });
      expect(violations).toEqual([]);
    }, 60_000);
});
