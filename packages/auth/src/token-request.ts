// One token request, as both token-fetching credentials make it: attempts through the SDK's one retry
// loop, a strict reading of the answer, and every secret and token registered for redaction.
import {
  BodyStreamError,
  clientIdentity,
  createAttempt,
  createClient,
  endTraceWithError,
  NetworkError,
  type OperationTrace,
  parseErrorBody,
  parseRetryAfter,
  RedirectRefused,
  readLimitedText,
  redactSecrets,
  registerSecret,
  sendAttempt,
  startTrace,
  traceAttempt,
  traceRetries,
  withRetries,
} from "@simcel/core";
import { closedError, SimcelAuthError, TokenRequestError, TokenResponseError, tokenRequestError } from "./errors.js";
import type { paths } from "./generated/openapi.js";
import { b64token } from "./input-checks.js";
import { safeToLog } from "./safe-to-log.js";
import type { AccessToken, Credential, CredentialKind, GetTokenOptions, TokenCallOptions } from "./types.js";

/** What one token call returned, as far as the loop cares. */
type Sent = Promise<{ error?: unknown; response: Response }>;

const NO_REDIRECT = { follow: "none" } as const;

/** Where each kind of credential asks for its token. */
const TOKEN_PATH: Record<CredentialKind, string> = {
  apiKey: "/auth/v1/token",
  clientCredentials: "/oauth/v1/token",
  static: "",
};

/** Attempts per token request: one call and two retries. */
const ATTEMPTS = 3;
const TIMING = { baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 30_000 };
/** A token response is a few hundred bytes; anything past this is not one. */
const TOKEN_BODY_LIMIT = 64 * 1024;
/** Longest lifetime believed, in s: a larger `expiresIn` is capped, so expiry stays a real date. */
export const MAX_TOKEN_LIFETIME_S = 24 * 60 * 60;

/** An openapi-fetch client of the auth operations; `userAgent` is the caller's product, checked already. */
export function tokenClient(baseUrl: string, userAgent?: string) {
  // each token request gives it the transport as its fetch, bound to the attempt (see `tokenCredential`)
  return createClient<paths>({ baseUrl, headers: clientIdentity(userAgent), redirect: "manual" });
}

/** What a credential hands each token request: the attempt's signal, and the transport as the fetch to use. */
export interface TokenRequestInit {
  signal: AbortSignal;
  fetch: (request: Request) => Promise<Response>;
}

/** The `X-Request-Id` of a response, cut and redacted, for support. */
function requestIdOf(response: Response): string | undefined {
  const value = response.headers.get("x-request-id");
  return value ? redactSecrets(value.slice(0, 80)) : undefined;
}

/** Checks a 2xx token body; expiry counts from `started`, the local time the request began. */
export function parseTokenResponse(text: string, started: number): AccessToken {
  let body: Record<string, unknown> | undefined;
  try {
    body = JSON.parse(text);
  } catch {}
  const invalid = (why: string) => new TokenResponseError(`the token response ${why}`);
  if (!body || typeof body !== "object" || Array.isArray(body)) throw invalid("is not a JSON object");
  // camelCase is SIMCEL's shape; snake_case is RFC 6749's
  const pick = (camel: string, snake: string) => (camel in body ? body[camel] : body[snake]);
  const token = pick("accessToken", "access_token");
  const expiresIn = pick("expiresIn", "expires_in");
  const type = pick("tokenType", "token_type");
  if (typeof token !== "string" || !b64token.test(token)) throw invalid("has no valid accessToken");
  registerSecret(token);
  if (typeof expiresIn !== "number" || !(expiresIn > 0 && expiresIn < Infinity))
    throw invalid("has no positive number expiresIn");
  // the documentation allows tokenType to be absent; null is read as absent too
  if (type != null && String(type).toLowerCase() !== "bearer") throw invalid("has a tokenType other than Bearer");
  return { token, tokenType: "Bearer", expiresAt: started + Math.min(expiresIn, MAX_TOKEN_LIFETIME_S) * 1000 };
}

/** Reads a 2xx token body: a broken stream is a network failure (retried), an oversized body is not a token. */
async function readTokenBody(response: Response, signal: AbortSignal, started: number): Promise<AccessToken> {
  const { text, truncated } = await readLimitedText(response, TOKEN_BODY_LIMIT, signal);
  if (truncated) throw new TokenResponseError(`the token response is larger than ${TOKEN_BODY_LIMIT / 1024} KiB`);
  return parseTokenResponse(text, started);
}

/** Failures of the network (no answer, a reset, a cut-off body, a timeout) and 429/5xx are worth another attempt. */
function retryable(error: unknown) {
  if (!(error instanceof TokenRequestError) || error.location) return false;
  const { status } = error;
  return status === undefined || status === 429 || status >= 500 ? { retryAfterMs: error.retryAfterMs } : false;
}

/**
 * Builds a credential that calls `send` for each token through the SDK's retry loop: 4xx and redirects
 * are final, 429/5xx/network/timeouts are retried (`Retry-After` honoured), each attempt limited to
 * `timeoutMs`. `secrets` are registered so nothing the server echoes can show them.
 */
export function tokenCredential(
  kind: CredentialKind,
  baseUrl: string,
  options: TokenCallOptions,
  secrets: string[],
  send: (init: TokenRequestInit) => Sent,
): Credential {
  const { timeoutMs = 30_000 } = options;
  for (const secret of secrets) registerSecret(secret);
  const lifetime = new AbortController();

  const url = baseUrl + TOKEN_PATH[kind];

  async function attemptOnce(signal: AbortSignal, trace: OperationTrace | undefined, n: number): Promise<AccessToken> {
    const attempt = createAttempt(timeoutMs, signal);
    attempt.arm();
    const started = Date.now();
    let status: number | undefined;
    let failure: unknown;
    try {
      // a redirect would carry the secret to wherever the Location points: it is refused, never followed
      const fetch = (request: Request) =>
        sendAttempt(request, { fetch: options.fetch, attempt, redirect: NO_REDIRECT, trace, boundErrorBody: true });
      const { error, response } = await send({ signal: attempt.signal, fetch });
      status = response.status;
      if (response.ok) return await readTokenBody(response, attempt.signal, started);
      const { message, reason } = parseErrorBody(typeof error === "string" ? error : JSON.stringify(error ?? ""));
      throw tokenRequestError({
        status: response.status,
        serverMessage: message ?? "",
        reason,
        retryAfterMs: parseRetryAfter(response.headers.get("retry-after")),
        requestId: requestIdOf(response),
      });
    } catch (error) {
      failure = typedFailure(error, signal, attempt.timedOut);
      throw failure;
    } finally {
      attempt.end();
      if (trace) traceAttempt(trace, n, status, failure, Date.now() - started, url);
    }
  }

  /** A failed attempt as it is thrown: the caller's abort as it is, the rest as typed errors. */
  function typedFailure(error: unknown, signal: AbortSignal, timedOut: boolean): unknown {
    if (signal.aborted || error instanceof SimcelAuthError) return error;
    if (error instanceof RedirectRefused) return tokenRequestError({ status: error.status, location: error.location });
    return tokenRequestError({
      serverMessage: timedOut
        ? `no answer from ${baseUrl} within ${timeoutMs} ms`
        : error instanceof BodyStreamError
          ? `the connection to ${baseUrl} broke off during the answer`
          : `could not reach ${baseUrl}`,
      cause: error instanceof BodyStreamError || error instanceof NetworkError ? error.cause : error,
    });
  }

  async function getToken({ signal, logger, onRetry }: GetTokenOptions = {}): Promise<AccessToken> {
    if (lifetime.signal.aborted) throw closedError("credential");
    const linked = signal ? AbortSignal.any([signal, lifetime.signal]) : lifetime.signal;
    const trace = startTrace("signIn", "token", "POST", url);
    const attempts = () =>
      withRetries({
        operation: "token request",
        attempts: ATTEMPTS,
        timing: TIMING,
        signal: linked,
        run: (n) => attemptOnce(linked, trace, n),
        retryable,
        onRetry: traceRetries(trace, onRetry),
        logger,
      });
    if (!trace) return attempts();
    try {
      const token = await trace.run(attempts);
      trace.end({ status: 200 });
      return token;
    } catch (error) {
      endTraceWithError(trace, error);
      throw error;
    }
  }

  const info = { kind, baseUrl };
  return safeToLog(
    "SimcelCredential",
    {
      ...info,
      getToken,
      async close() {
        lifetime.abort(closedError("credential"));
      },
    },
    info,
  );
}
