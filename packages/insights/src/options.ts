// The options of an insights client: what a caller may pass, and the settings they resolve to (checked once, at
// creation, so a bad option fails before anything is sent).
import { type Fetch as CoreFetch, clientIdentity, isProductTokens, type Logger, type RetryEvent } from "@simcel/core";
import type { Middleware } from "openapi-fetch";
import { ConfigError } from "./errors.js";
import { defaultBaseUrl } from "./generated/operations.js";

/**
 * A response, or a parameter, that differed from the spec without failing the call, as `onSpecMismatch`
 * receives it: a response field our spec only inferred, an unknown field or enum value, or a parameter
 * that breaks a rule our spec only inferred (sent anyway outside strict mode).
 */
export interface SpecMismatchEvent {
  /** The operation id, e.g. `listPlans`. */
  operation: string;
  /** `response`: a field of the body; `request`: a query parameter the caller passed. */
  direction: "request" | "response";
  /**
   * JSON pointer of the field in the body, or of the value in the parameters (`/planId`, `/scenarioIds/1`);
   * the first one seen: each is reported once per operation, field (array positions count as one) and `expected`.
   */
  pointer: string;
  /** What the spec says. */
  expected: string;
  /** What came back (secrets redacted, long values cut). */
  actual: string;
  /** The spec only inferred this fact (`x-simcel-inferred`); the API may well be right. */
  inferred: boolean;
}

/** Hooks for metrics or tracing; they never receive a secret or token. */
export interface InsightsHooks {
  /** An attempt failed and is about to be retried. */
  onRetry?(event: RetryEvent): void;
  /**
   * A response or a parameter differed from the spec in a way that does not fail the call. Called once per
   * operation and field for each hook function in the process, however many clients share it.
   */
  onSpecMismatch?(event: SpecMismatchEvent): void;
}

/** Options of `createInsightsClient`. */
export interface InsightsClientOptions {
  /**
   * API root. Default: the `baseUrl` of the first middleware that has one (`@simcel/auth`'s middleware
   * carries its credential's), else the spec's production server, `https://app.simcel.io/api`.
   */
  baseUrl?: string | undefined;
  /** openapi-fetch middleware, e.g. `@simcel/auth`'s, or any that sets `Authorization`. Runs on every attempt. */
  middleware?: Middleware[] | undefined;
  /**
   * The fetch to use (tests, proxies, instrumentation); default `globalThis.fetch`. It is handed each attempt's
   * `{ signal }` as its second argument: pass it on so a timeout or an abort cancels the request (the client
   * stops waiting either way).
   */
  fetch?: Fetch | undefined;
  /** Limit of one attempt in ms, from sending the request to the end of its body; default 30 000. A sign-in before it is not counted. */
  timeoutMs?: number | undefined;
  /** Retries of a failed GET (429, 500, 502, 503, 504, network error, broken body, timeout); default 2. */
  maxRetries?: number | undefined;
  /**
   * Where requests, retries and spec mismatches are reported; default silent. A spec mismatch is logged
   * (`warn`) once per operation and field for each `warn` function in the process, however many clients share it.
   */
  logger?: Logger | undefined;
  /** Hooks for metrics or tracing. */
  hooks?: InsightsHooks | undefined;
  /**
   * Refuse parameters that break a rule the spec only inferred (an id's alphabet, a length limit) with
   * `InvalidRequestError`, as documented rules are refused. Default false: such a value is sent, and
   * reported once through `logger.warn` and `onSpecMismatch`.
   */
  strict?: boolean | undefined;
  /**
   * Your product, named first in the User-Agent of every request (`acme-planner/2.1`): `name/version` tokens
   * separated by spaces. The SDK always names itself: `simcel-sdk-typescript/<version> <runtime>/<version>`.
   */
  userAgent?: string | undefined;
}

/** The fetch the client calls: a Request, and the attempt's signal to honour (the SDK's one `Fetch`). */
export type Fetch = CoreFetch;

/** Per-call options, the last argument of every method. */
export interface CallOptions {
  /** Cancels the call at any point, sign-in and backoff included; it rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Overrides the client's per-attempt timeout for this call, in ms. */
  timeoutMs?: number | undefined;
}

/** The settings a client runs with, resolved from its options. */
export interface ClientSettings {
  baseUrl: string;
  /** The base URL's origin: the one redirects may stay within. */
  origin: string;
  middleware: Middleware[];
  fetch: Fetch | undefined;
  timeoutMs: number;
  maxRetries: number;
  logger: Logger | undefined;
  hooks: InsightsHooks | undefined;
  strict: boolean;
  /** The headers naming the SDK (User-Agent, or X-Simcel-Client in a page), set on every request. */
  identity: Record<string, string>;
}

/** A positive, finite number of ms (a timeout). */
export const isTimeout = (ms: number) => ms > 0 && ms < Infinity;

/** Checks `options` and resolves their defaults; throws `ConfigError` naming the first bad option. */
export function resolveOptions(options: InsightsClientOptions): ClientSettings {
  const { middleware = [], fetch, timeoutMs = 30_000, maxRetries = 2, logger, hooks, strict = false } = options;
  // `@simcel/auth`'s middleware carries its credential's base URL
  const fromMiddleware = middleware.find((m) => typeof (m as { baseUrl?: unknown })?.baseUrl === "string") as
    | { baseUrl: string }
    | undefined;
  const baseUrl = options.baseUrl ?? fromMiddleware?.baseUrl ?? defaultBaseUrl;
  let origin: string;
  try {
    const url = new URL(baseUrl);
    if (!/^https?:$/.test(url.protocol)) throw new TypeError();
    origin = url.origin;
  } catch {
    throw new ConfigError(`baseUrl must be an absolute http(s) URL such as ${defaultBaseUrl}`, { setting: "baseUrl" });
  }
  if (!(maxRetries >= 0 && maxRetries % 1 === 0))
    throw new ConfigError("maxRetries must be a whole number ≥ 0", { setting: "maxRetries" });
  if (!isTimeout(timeoutMs)) throw new ConfigError("timeoutMs must be a number of ms > 0", { setting: "timeoutMs" });
  if (options.userAgent !== undefined && !isProductTokens(options.userAgent))
    throw new ConfigError("userAgent must be product tokens such as acme-planner/2.1 (name/version, spaces between)", {
      setting: "userAgent",
    });
  return {
    baseUrl,
    origin,
    middleware,
    fetch,
    timeoutMs,
    maxRetries,
    logger,
    hooks,
    strict,
    identity: clientIdentity(options.userAgent),
  };
}
