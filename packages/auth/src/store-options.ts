// The options of a token store credential (withTokenStore), the events its hooks receive, and the settings they
// resolve to: checked once, when the credential is wrapped.
import type { Logger } from "@simcel/core";
import { AuthConfigError } from "./errors.js";
import type { TokenStore, TokenStoreError, TokenStoreOperation } from "./token-store.js";
import type { AccessToken, Credential, GetTokenOptions } from "./types.js";

/** Options of {@link withTokenStore}. */
export interface TokenStoreOptions {
  /** Give up a store call after this many ms and carry on as if there were no store; default 200. */
  operationTimeoutMs?: number;
  /** How long the first call waits for a store that is still connecting (`store.ready()`); default 1 000. */
  connectTimeoutMs?: number;
  /** The longest one process holds the right to request the fleet's token (a crashed holder frees it then); default 10 000. */
  lockTtlMs?: number;
  /** How long to wait for the token another process is requesting before requesting one; default 15 000. */
  waitMs?: number;
  /** After a store failure, leave the store alone for this many ms before trying it again; default 5 000. */
  retryStoreAfterMs?: number;
  /** Where outages (once each), recoveries and ignored values are reported. Nothing logged holds a secret. */
  logger?: Logger | undefined;
  /** Observability hooks; a hook that throws is ignored. */
  hooks?: TokenStoreHooks | undefined;
}

/** A store failure, as `onStoreError` receives it: once per outage. */
export interface StoreErrorEvent {
  operation: TokenStoreOperation;
  error: TokenStoreError;
}

/** Where a token came from, as `onTokenSource` receives it. */
export interface TokenSourceEvent {
  /** `store`: another process's token, no token request; `request`: this process asked the token endpoint. */
  source: "store" | "request";
  /** From the start of the lookup to the token: store calls, waiting for another process, the request. */
  waitedMs: number;
}

/** Hooks of {@link withTokenStore}. */
export interface TokenStoreHooks {
  /** The store failed or timed out: called once per outage (the first failure), not per call. */
  onStoreError?: ((event: StoreErrorEvent) => void) | undefined;
  /** The store answered again after an outage of `outageMs`. */
  onStoreRecovered?: ((event: { outageMs: number }) => void) | undefined;
  /** Where a token came from: the shared store or a token request. */
  onTokenSource?: ((event: TokenSourceEvent) => void) | undefined;
}

/** Options of a `getToken` call through a store. */
export interface StoredGetTokenOptions extends GetTokenOptions {
  /**
   * Epoch ms: a stored token expiring at or before it is not good enough; default now. A refresh ahead
   * passes the expiry of the token it renews, so only a newer token counts.
   */
  minValidUntil?: number | undefined;
}

/** A credential whose tokens are shared through a {@link TokenStore}. */
export interface StoredCredential extends Credential {
  /** Whether the store is used (false for a static token, or a credential without remembered material). */
  readonly shared: boolean;
  /**
   * A token valid after `minValidUntil`: a stored one, else one requested under the fleet's lock and
   * stored, else (the lock held elsewhere) the one another process stores, else after `waitMs` its own.
   */
  getToken(options?: StoredGetTokenOptions): Promise<AccessToken>;
  /**
   * The API refused `token`: deletes it from the store if it is still the stored one (compare-and-delete),
   * so one revoked token causes one refresh fleet-wide. This process never takes `token` from the store again.
   * Never rejects.
   */
  invalidate(token: string): Promise<void>;
  /** Cancels lookups in flight and closes the credential; the store stays open (it may be shared). */
  close(): Promise<void>;
}

/** The limits a token store credential runs with, from its options. */
export interface StoreSettings {
  timeoutMs: number;
  connectTimeoutMs: number;
  lockTtlMs: number;
  waitMs: number;
  retryMs: number;
  logger: Logger | undefined;
  hooks: TokenStoreHooks | undefined;
}

function positive(value: number | undefined, fallback: number, setting: string): number {
  if (value === undefined) return fallback;
  if (!(typeof value === "number" && value > 0 && value < Infinity))
    throw new AuthConfigError(`${setting} must be a positive number of ms`, { setting });
  return value;
}

/** Checks the credential, the store and the options; throws `AuthConfigError` naming the first that is wrong. */
export function resolveStoreSettings(
  credential: Credential,
  store: TokenStore,
  options: TokenStoreOptions,
): StoreSettings {
  if (!credential?.getToken) throw new AuthConfigError("credential is required", { setting: "credential" });
  for (const method of ["get", "set", "deleteIf", "lock", "unlock"] as const)
    if (typeof store?.[method] !== "function")
      throw new AuthConfigError(`store must be a TokenStore (it has no ${method} method)`, { setting: "store" });
  if (store.ready !== undefined && typeof store.ready !== "function")
    throw new AuthConfigError("store.ready must be a function when present", { setting: "store" });
  return {
    timeoutMs: positive(options.operationTimeoutMs, 200, "operationTimeoutMs"),
    connectTimeoutMs: positive(options.connectTimeoutMs, 1_000, "connectTimeoutMs"),
    lockTtlMs: positive(options.lockTtlMs, 10_000, "lockTtlMs"),
    waitMs: positive(options.waitMs, 15_000, "waitMs"),
    retryMs: positive(options.retryStoreAfterMs, 5_000, "retryStoreAfterMs"),
    logger: options.logger,
    hooks: options.hooks,
  };
}
