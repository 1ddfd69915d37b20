import {
  backoffDelay,
  createClient,
  type ErrorBody,
  parseRetryAfter,
  readErrorBody,
  readLimitedText,
  sleep,
} from "@simcel/core";
import { SimcelAuthError, SimcelTokenRequestError, SimcelTokenResponseError } from "./errors.js";
import type { paths } from "./generated/openapi.js";
import { opaque } from "./opaque.js";
import { b64token } from "./transport.js";
import type { AccessToken, Credential, CredentialKind, Fetch, TokenCallOptions } from "./types.js";

/** What one token call returned, as far as the retry loop cares. */
type Sent = Promise<{ error?: unknown; response: Response }>;

/** Attempts per token request: one call and two retries. */
const attempts = 3;
const timing = { baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 30_000 };

/** An openapi-fetch client of the auth operations. */
export function tokenClient(baseUrl: string, fetch?: Fetch) {
  return createClient<paths>({
    baseUrl,
    // a redirect would carry the secret to wherever the Location points
    redirect: "error",
    // Error bodies are read here, bounded: openapi-fetch would buffer an error page of any size.
    fetch: async (request) => {
      const response = await (fetch ?? globalThis.fetch)(request);
      return response.status < 400 ? response : new Response(JSON.stringify(await readErrorBody(response)), response);
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
  if (typeof expiresIn !== "number" || !(expiresIn > 0 && expiresIn < Infinity))
    throw invalid("has no positive number expiresIn");
  if (type !== undefined && String(type).toLowerCase() !== "bearer") throw invalid("has a tokenType other than Bearer");
  return { token, tokenType: "Bearer", expiresAt: started + expiresIn * 1000 };
}

/**
 * Builds a credential that calls `send` for each token: 4xx is final, 429/5xx/network/timeouts are
 * retried with backoff (or `Retry-After`), at most `attempts` times; `secrets` are cut from server messages.
 */
export function tokenCredential(
  kind: CredentialKind,
  baseUrl: string,
  options: TokenCallOptions,
  secrets: string[],
  send: (signal: AbortSignal) => Sent,
): Credential {
  const { timeoutMs = 30_000 } = options;
  const redact = (text: string) => secrets.reduce((t, s) => t.split(s).join("[redacted]"), text);
  async function getToken({ signal }: { signal?: AbortSignal | undefined } = {}): Promise<AccessToken> {
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      const started = Date.now();
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(), timeoutMs);
      let failure: SimcelTokenRequestError;
      let retryAfter: number | undefined;
      try {
        const { error, response } = await send(signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal);
        if (response.ok) return parseTokenResponse(await readLimitedText(response), started);
        failure = new SimcelTokenRequestError(response.status, redact(String((error as ErrorBody)?.message ?? "")));
        if (response.status !== 429 && response.status < 500) throw failure;
        retryAfter = parseRetryAfter(response.headers.get("retry-after"));
      } catch (e) {
        if (e instanceof SimcelAuthError || signal?.aborted) throw e;
        failure = new SimcelTokenRequestError(
          undefined,
          timeout.signal.aborted ? `no answer from ${baseUrl} within ${timeoutMs} ms` : `could not reach ${baseUrl}`,
          { cause: e },
        );
      } finally {
        clearTimeout(timer);
      }
      const delay = attempt < attempts ? backoffDelay(attempt - 1, timing, retryAfter) : undefined;
      if (delay === undefined) throw failure;
      await sleep(delay, signal);
    }
  }
  return opaque("SimcelCredential", { kind, baseUrl, getToken }, { kind, baseUrl });
}
