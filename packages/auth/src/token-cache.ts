import { abortReason, callHook, type Logger, log, type RetryEvent } from "@simcel/core";
import { AuthConfigError, closedError, TokenResponseError } from "./errors.js";
import { type Flight, joinFlight } from "./flight.js";
import { safeToLog } from "./safe-to-log.js";
import type { StoredCredential, TokenStoreHooks, TokenStoreOptions } from "./stored-credential.js";
import type { TokenStore } from "./token-store.js";
import type { AccessToken, Credential, GetTokenOptions } from "./types.js";

/** A token the cache just obtained, as the `onTokenRefresh` hook receives it (never the token itself). */
export interface TokenRefreshEvent {
  kind: Credential["kind"];
  /** Epoch ms when the new token expires. */
  expiresAt: number;
  /** How long the token request took, retries included. */
  durationMs: number;
  /** True when it renewed a still-valid token ahead of expiry, false when a caller was waiting for it. */
  background: boolean;
  /** With a `store`: `store` when another process's token was taken (no token request), else `request`. */
  source?: "store" | "request";
}

/** A failed token refresh, as the `onRefreshError` hook receives it. */
export interface RefreshErrorEvent {
  /** The typed error (a `SimcelAuthError`). */
  error: unknown;
  /** True when a still-valid token keeps being served meanwhile. */
  background: boolean;
  /** With `background`: when the next background attempt may start, in ms from now. */
  retryInMs?: number;
}

/** Hooks for metrics or tracing; they never receive a secret or token. */
export interface TokenHooks extends Pick<TokenStoreHooks, "onStoreError" | "onStoreRecovered"> {
  /** A new token arrived. */
  onTokenRefresh?(event: TokenRefreshEvent): void;
  /** A refresh failed (callers waiting got the error; in the background the old token is still served). */
  onRefreshError?(event: RefreshErrorEvent): void;
  /** A token request attempt failed and is about to be retried. */
  onRetry?(event: RetryEvent): void;
}

/** Options of {@link createTokenCache}. */
export interface TokenCacheOptions {
  /** Renew a token this many ms before it expires, in the background; default 60 000 (SIMCEL's advice). */
  refreshWindowMs?: number | undefined;
  /** Where refreshes and their failures are reported; default silent. */
  logger?: Logger | undefined;
  /** Hooks for metrics or tracing. */
  hooks?: TokenHooks | undefined;
  /** A store shared with other processes (file, Redis): the second level, after memory. Static tokens skip it. */
  store?: TokenStore | undefined;
  /** Tuning of the store layer (timeouts, lock, wait). */
  storeOptions?: Omit<TokenStoreOptions, "logger" | "hooks"> | undefined;
}

/** Options of a cached `getToken` call. */
export interface CachedGetTokenOptions {
  /** Aborts this caller's wait only; the shared refresh goes on for the others. */
  signal?: AbortSignal | undefined;
  /** Skip the cached token and wait for a new one. */
  forceRefresh?: boolean | undefined;
}

/** Shares one token among all callers and renews it before it expires. */
export interface TokenCache {
  /** The credential the tokens come from. */
  readonly credential: Credential;
  /** A valid token: the cached one, or the result of the one shared refresh. */
  getToken(options?: CachedGetTokenOptions): Promise<AccessToken>;
  /** Drops the cached token if it is still `token` (so N requests seeing one 401 cause one refresh). */
  invalidate(token: string): void;
  /**
   * Cancels a refresh in flight and forgets the token; later calls reject (`code` `closed`). The
   * credential is left open: it may be shared. Also `[Symbol.asyncDispose]` where the runtime has it.
   */
  close(): Promise<void>;
}

/** The longest a failed background refresh waits before the next try, in ms. */
const MAX_BACKGROUND_BACKOFF_MS = 30_000;

/** The symbol `await using` calls, where the runtime defines it. */
export const asyncDispose: symbol | undefined = (Symbol as { asyncDispose?: symbol }).asyncDispose;

/** Adds `[Symbol.asyncDispose]` calling `close`, where the runtime has the symbol. */
export function disposable<T extends { close(): Promise<void> }>(target: T): T {
  if (asyncDispose) Object.defineProperty(target, asyncDispose, { value: () => target.close() });
  return target;
}

/**
 * A token cache over `credential`: refresh-ahead, single flight, a failure is never cached (the next
 * call tries again), a still-valid token keeps being served while a background refresh fails (which
 * then backs off), and a refresh nobody waits for any more is cancelled.
 */
export function createTokenCache(credential: Credential, options: TokenCacheOptions = {}): TokenCache {
  const { refreshWindowMs = 60_000, logger, hooks, store } = options;
  if (!(refreshWindowMs >= 0 && refreshWindowMs < Infinity))
    throw new AuthConfigError("refreshWindowMs must be a finite number of ms, 0 or more", {
      setting: "refreshWindowMs",
    });
  let current: AccessToken | undefined;
  /** When to renew `current` in the background. */
  let refreshAt = 0;
  /** No background refresh before this time: the last one failed. */
  let quietUntil = 0;
  let flight: Flight<AccessToken> | undefined;
  let closed = false;
  const valid = (now: number) => current !== undefined && current.expiresAt > now;
  const request: GetTokenOptions = { logger, onRetry: hooks?.onRetry };
  let source: "store" | "request" | undefined;
  // The store layer (sealing, locks, waits) is loaded only by caches that have a store: a page or a
  // service without one does not carry it.
  const shared: Promise<StoredCredential> | undefined =
    store && credential.kind !== "static"
      ? import("./stored-credential.js").then(({ withTokenStore }) =>
          withTokenStore(credential, store, {
            ...options.storeOptions,
            logger,
            hooks: {
              onStoreError: hooks?.onStoreError,
              onStoreRecovered: hooks?.onStoreRecovered,
              onTokenSource: (event) => {
                source = event.source;
              },
            },
          }),
        )
      : undefined;

  function refresh(background: boolean, renew = background): Flight<AccessToken> {
    if (flight) return flight;
    const started = Date.now();
    const controller = new AbortController();
    const mine: Flight<AccessToken> = { controller, waiters: 0, promise: undefined as unknown as Promise<AccessToken> };
    // No caller's signal reaches the shared request: one caller giving up must not fail the others.
    // a renewal takes only a stored token newer than the one it renews
    const minValidUntil = renew ? current?.expiresAt : undefined;
    const options = { ...request, signal: controller.signal };
    mine.promise = (
      shared ? shared.then((layer) => layer.getToken({ ...options, minValidUntil })) : credential.getToken(options)
    ).then(
      (token) => {
        if (flight === mine) flight = undefined;
        current = token;
        quietUntil = 0;
        // a token living less than twice the window is renewed at half-life, not on every call
        refreshAt = token.expiresAt - Math.min(refreshWindowMs, (token.expiresAt - started) / 2);
        const durationMs = Date.now() - started;
        callHook(hooks?.onTokenRefresh, {
          kind: credential.kind,
          expiresAt: token.expiresAt,
          durationMs,
          background,
          ...(shared && source && { source }),
        });
        const until = Number.isFinite(token.expiresAt)
          ? `valid until ${new Date(token.expiresAt).toISOString()}`
          : "no known expiry";
        log(logger, "debug", `token refreshed in ${durationMs} ms, ${until}`, { kind: credential.kind, background });
        return token;
      },
      (error: unknown) => {
        if (flight === mine) flight = undefined;
        if (controller.signal.aborted) {
          log(logger, "debug", "token refresh cancelled: nobody waits for it any more");
          throw error;
        }
        const now = Date.now();
        if (valid(now)) {
          // keep serving the valid token; try again later rather than on every call in the window
          const retryInMs = Math.min(
            MAX_BACKGROUND_BACKOFF_MS,
            Math.max(1000, ((current as AccessToken).expiresAt - now) / 4),
          );
          quietUntil = now + retryInMs;
          callHook(hooks?.onRefreshError, { error, background: true, retryInMs });
          log(
            logger,
            "warn",
            `background token refresh failed, next try in ${Math.round(retryInMs)} ms: ${describe(error)}`,
          );
        } else {
          callHook(hooks?.onRefreshError, { error, background: false });
          log(logger, "error", `token refresh failed: ${describe(error)}`);
        }
        throw error;
      },
    );
    flight = mine;
    return mine;
  }

  /** Waits for the shared flight; a caller who aborts leaves, and the last one to leave cancels it. */
  const wait = (shared: Flight<AccessToken>, signal: AbortSignal | undefined) =>
    joinFlight(shared, signal, () => {
      if (flight === shared && !valid(Date.now())) {
        flight = undefined;
        shared.controller.abort(signal ? abortReason(signal) : undefined);
      }
    });

  const cache: TokenCache = {
    credential,
    async getToken({ signal, forceRefresh }: CachedGetTokenOptions = {}) {
      signal?.throwIfAborted();
      if (closed) throw closedError("token cache");
      const now = Date.now();
      if (!forceRefresh && valid(now)) {
        if (refreshAt <= now && quietUntil <= now && !flight) refresh(true).promise.catch(() => {});
        return current as AccessToken;
      }
      const token = await wait(refresh(false, !!forceRefresh), signal);
      if (token.expiresAt <= Date.now()) throw new TokenResponseError("the new token had expired on arrival");
      return token;
    },
    invalidate(token: string) {
      if (current?.token === token) current = undefined;
      // compare-and-delete in the store too: one revoked token, one refresh fleet-wide (never rejects)
      void shared?.then((layer) => layer.invalidate(token));
    },
    async close() {
      closed = true;
      current = undefined;
      flight?.controller.abort(closedError("token cache"));
      flight = undefined;
    },
  };
  return safeToLog("SimcelTokenCache", disposable(cache), { credential });
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
