import { abortReason } from "@simcel/core";
import { SimcelAuthConfigError, SimcelTokenResponseError } from "./errors.js";
import { opaque } from "./opaque.js";
import type { AccessToken, Credential, GetTokenOptions } from "./types.js";

/** Options of {@link createTokenCache}. */
export interface TokenCacheOptions {
  /** Renew a token this many ms before it expires, in the background; default 60 000 (SIMCEL's advice). */
  refreshWindowMs?: number;
}

/** Options of a cached `getToken` call. */
export interface CachedGetTokenOptions extends GetTokenOptions {
  /** Skip the cached token and wait for a new one. */
  forceRefresh?: boolean;
}

/** Shares one token among all callers and renews it before it expires. */
export interface TokenCache {
  /** The credential the tokens come from. */
  readonly credential: Credential;
  /** A valid token: the cached one, or the result of the one shared refresh. */
  getToken(options?: CachedGetTokenOptions): Promise<AccessToken>;
  /** Drops the cached token if it is still `token` (so N requests seeing one 401 cause one refresh). */
  invalidate(token: string): void;
}

/**
 * A token cache over `credential`: refresh-ahead, single flight, a failure is never cached (the next
 * call tries again) and a still-valid token keeps being served while a background refresh fails.
 */
export function createTokenCache(credential: Credential, options: TokenCacheOptions = {}): TokenCache {
  const { refreshWindowMs = 60_000 } = options;
  if (!(refreshWindowMs >= 0 && refreshWindowMs < Infinity))
    throw new SimcelAuthConfigError("refreshWindowMs", "refreshWindowMs must be a finite number of ms, 0 or more");
  let current: AccessToken | undefined;
  /** When to renew `current` in the background. */
  let refreshAt = 0;
  let pending: Promise<AccessToken> | undefined;
  // No caller's signal reaches the shared refresh: one caller giving up must not fail the others.
  const refresh = (started = Date.now()) =>
    (pending ??= credential.getToken().then(
      (token) => {
        pending = undefined;
        current = token;
        // a token living less than twice the window is renewed at half-life, not on every call
        refreshAt = token.expiresAt - Math.min(refreshWindowMs, (token.expiresAt - started) / 2);
        return token;
      },
      (error) => {
        pending = undefined;
        throw error;
      },
    ));
  return opaque(
    "SimcelTokenCache",
    {
      credential,
      async getToken({ signal, forceRefresh }: CachedGetTokenOptions = {}) {
        signal?.throwIfAborted();
        const now = Date.now();
        if (!forceRefresh && current && current.expiresAt > now) {
          if (refreshAt <= now) refresh().catch(() => {});
          return current;
        }
        const token = await new Promise<AccessToken>((resolve, reject) => {
          const onAbort = () => reject(abortReason(signal as AbortSignal));
          signal?.addEventListener("abort", onAbort, { once: true });
          // the listener goes once settled, so a long-lived signal does not collect them
          refresh()
            .then(resolve, reject)
            .then(() => signal?.removeEventListener("abort", onAbort));
        });
        if (token.expiresAt <= Date.now()) throw new SimcelTokenResponseError("the new token had expired on arrival");
        return token;
      },
      invalidate(token: string) {
        if (current?.token === token) current = undefined;
      },
    },
    { credential },
  );
}
