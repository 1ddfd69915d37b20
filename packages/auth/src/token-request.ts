// One token request, as both token-fetching credentials make it: attempts through the SDK's one retry
// loop, a strict reading of the answer, and every secret and token registered for redaction.
import {
  BodyStreamError,
  createAttempt,
  createClient,
  type ErrorBody,
  parseRetryAfter,
  readErrorBody,
  readLimitedText,
  registerSecret,
  withRetries,
} from "@simcel/core";
import { closedError, SimcelAuthError, SimcelTokenRequestError, SimcelTokenResponseError } from "./errors.js";
import type { paths } from "./generated/openapi.js";
import { b64token } from "./input-checks.js";
import { safeToLog } from "./safe-to-log.js";
import type { AccessToken, Credential, CredentialKind, Fetch, GetTokenOptions, TokenCallOptions } from "./types.js";

/** What one token call returned, as far as the loop cares. */
type Sent = Promise<{ error?: unknown; response: Response }>;

/** Attempts per token request: one call and two retries. */
const ATTEMPTS = 3;
const TIMING = { baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 30_000 };
/** A token response is a few hundred bytes; anything past this is not one. */
const TOKEN_BODY_LIMIT = 64 * 1024;
/** Longest lifetime believed, in s: a larger `expiresIn` is capped, so expiry stays a real date. */
export const MAX_TOKEN_LIFETIME_S = 24 * 60 * 60;

/** The origin a redirect points to, for the error (never the path: it may carry a code). */
function redirectOrigin(request: Request, response: Response): string {
  try {
    return new URL(response.headers.get("location") ?? "", request.url).origin;
  } catch {
    return "an unreadable location";
  }
}

/** An openapi-fetch client of the auth operations. */
export function tokenClient(baseUrl: string, fetch?: Fetch) {
  return createClient<paths>({
    baseUrl,
    // a redirect would carry the secret to wherever the Location points: it is refused, never followed
    redirect: "manual",
    fetch: async (request) => {
      const response = await (fetch ?? globalThis.fetch)(request);
      if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
        response.body?.cancel().catch(() => {});
        throw new SimcelTokenRequestError(response.status || undefined, "", {
          location:
            response.type === "opaqueredirect"
              ? "another location (hidden by the browser)"
              : redirectOrigin(request, response),
        });
      }
      // Error bodies are read here, bounded: openapi-fetch would buffer an error page of any size.
      return response.ok ? response : new Response(JSON.stringify(await readErrorBody(response)), response);
    },
  });
}

/** Checks a 2xx token body; expiry counts from `started`, the local time the request began. */
export function parseTokenResponse(text: string, started: number): AccessToken {
  let body: Record<string, unknown> | undefined;
  try {
    body = JSON.parse(text);
  } catch {}
  const invalid = (why: string) => new SimcelTokenResponseError(`the token response ${why}`);
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
  if (truncated) throw new SimcelTokenResponseError(`the token response is larger than ${TOKEN_BODY_LIMIT / 1024} KiB`);
  return parseTokenResponse(text, started);
}

/** Failures of the network (no answer, a reset, a cut-off body, a timeout) and 429/5xx are worth another attempt. */
function retryable(error: unknown) {
  if (!(error instanceof SimcelTokenRequestError) || error.location) return false;
  const { status } = error;
  return status === undefined || status === 429 || status >= 500 ? { retryAfterMs: error.retryAfterMs } : false;
}

/**
 * When a credential's secret joins the process-wide redaction list: when the credential is made (a secret of the
 * process's own), or once the server has accepted it (a secret a stranger sent: until SIMCEL issues a token for it,
 * it may be any string, and a string such as `"plans":` on the list would rewrite every answer redacted after).
 */
export type SecretRegistration = "created" | "accepted";

/**
 * Builds a credential that calls `send` for each token through the SDK's retry loop: 4xx and redirects
 * are final, 429/5xx/network/timeouts are retried (`Retry-After` honoured), each attempt limited to
 * `timeoutMs`. `secrets` are registered so nothing the server echoes can show them: at once, or with
 * `registerWhen: "accepted"` only once the server has issued a token for them (see {@link SecretRegistration}).
 */
export function tokenCredential(
  kind: CredentialKind,
  baseUrl: string,
  options: TokenCallOptions,
  secrets: string[],
  send: (signal: AbortSignal) => Sent,
  registerWhen: SecretRegistration = "created",
): Credential {
  const { timeoutMs = 30_000 } = options;
  let unregistered = registerWhen === "accepted";
  if (!unregistered) for (const secret of secrets) registerSecret(secret);
  const lifetime = new AbortController();

  async function attemptOnce(signal: AbortSignal): Promise<AccessToken> {
    const attempt = createAttempt(timeoutMs, signal);
    attempt.arm();
    const started = Date.now();
    try {
      const { error, response } = await send(attempt.signal);
      if (response.ok) {
        const token = await readTokenBody(response, attempt.signal, started);
        if (unregistered) for (const secret of secrets) registerSecret(secret);
        unregistered = false;
        return token;
      }
      const { message, reason } = (error ?? {}) as ErrorBody;
      throw new SimcelTokenRequestError(response.status, message ?? "", {
        reason,
        retryAfterMs: parseRetryAfter(response.headers.get("retry-after")),
      });
    } catch (error) {
      if (signal.aborted) throw error;
      if (error instanceof SimcelAuthError) throw error;
      throw new SimcelTokenRequestError(
        undefined,
        attempt.timedOut
          ? `no answer from ${baseUrl} within ${timeoutMs} ms`
          : error instanceof BodyStreamError
            ? `the connection to ${baseUrl} broke off during the answer`
            : `could not reach ${baseUrl}`,
        { cause: error instanceof BodyStreamError ? error.cause : error },
      );
    } finally {
      attempt.end();
    }
  }

  async function getToken({ signal, logger, onRetry }: GetTokenOptions = {}): Promise<AccessToken> {
    if (lifetime.signal.aborted) throw closedError("credential");
    const linked = signal ? AbortSignal.any([signal, lifetime.signal]) : lifetime.signal;
    return withRetries({
      operation: "token request",
      attempts: ATTEMPTS,
      timing: TIMING,
      signal: linked,
      run: () => attemptOnce(linked),
      retryable,
      onRetry,
      logger,
    });
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
