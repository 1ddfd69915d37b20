import type { SimcelErrorFields } from "@simcel/core";
import { SimcelAuthError } from "./errors.js";
import { safeToLog } from "./safe-to-log.js";

/**
 * A key-value store shared by processes, the second level of token caching (memory first, then the
 * store, then the token endpoint). Redis (`@simcel/token-store-redis`), a directory (`createFileTokenStore`
 * from `@simcel/auth/node`) and memory (`createMemoryTokenStore`) implement it; so can anything with a
 * TTL, an atomic create-if-absent and an atomic compare-and-delete.
 *
 * Values are opaque strings: @simcel/auth seals them (AES-256-GCM) before they reach a store, and names
 * them with a keyed hash, so a store never sees a token, key or secret in plaintext. Keys are 1–128
 * characters from `A–Z a–z 0–9 _ -`.
 *
 * Every method may reject or take too long: the caller bounds each call (200 ms by default) and falls
 * back to working without the store, so an implementation need not retry or time out on its own.
 */
export interface TokenStore {
  /** The value stored under `key`, or `undefined` when there is none or it has expired. */
  get(key: string): Promise<string | undefined>;
  /** Stores `value` under `key`, replacing any value, for `ttlMs` ms (after which `get` no longer returns it). */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /**
   * Deletes `key` only if its value is still `expected`, atomically (no other writer's value can be
   * deleted in between). Resolves `true` if it deleted.
   */
  deleteIf(key: string, expected: string): Promise<boolean>;
  /**
   * Takes the short lock of entry `key` for `owner` (a random string unique to the caller) if nobody
   * holds it, atomically, for `ttlMs` ms at most (a holder that crashes blocks nobody for longer).
   * Resolves `true` if `owner` now holds it. The lock is separate from the entry's value.
   */
  lock(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Releases the lock of `key` only if `owner` still holds it (never another owner's lock). */
  unlock(key: string, owner: string): Promise<boolean>;
  /**
   * Optional: resolves once the store can answer (say, its connection is up), rejects if it cannot. Waited
   * for once, before the first operation, with its own longer time limit, so that setting up a connection
   * at a process's start does not count against the limit of one operation.
   */
  ready?(): Promise<void>;
}

/** The store operations, as named in {@link TokenStoreErrorEvent}. */
export type TokenStoreOperation = "ready" | "get" | "set" | "deleteIf" | "lock" | "unlock" | "seal";

/** A token store call failed or timed out; reported to hooks and the logger, never thrown at a caller. */
export class TokenStoreError extends SimcelAuthError {
  static override readonly brand: string = "@simcel/auth:SimcelTokenStoreError";
  static override readonly code: string = "token_store_unavailable";
  override name = "TokenStoreError";
  /** The store operation that failed. */
  readonly operation: TokenStoreOperation;
  constructor(message: string, fields: SimcelErrorFields & { operation: TokenStoreOperation }) {
    super(message, fields);
    this.operation = fields.operation;
  }
}

/** @deprecated Renamed {@link TokenStoreError}. */
export const SimcelTokenStoreError = TokenStoreError;
/** @deprecated Renamed {@link TokenStoreError}. */
export type SimcelTokenStoreError = TokenStoreError;

/** Keys the stores accept: what a keyed hash in base64url looks like, and safe as a file name. */
export const storeKeyPattern = /^[\w-]{1,128}$/;

/** Throws a clear error for a key a store would mishandle (a path, an empty string). */
export function checkStoreKey(key: string): void {
  if (typeof key !== "string" || !storeKeyPattern.test(key))
    throw new SimcelAuthError("token store keys are 1–128 characters from A-Z a-z 0-9 _ -");
}

/**
 * A token store in this process's memory: for tests, and for several caches of one credential in one
 * process. It shares nothing with other processes.
 */
export function createMemoryTokenStore(): TokenStore {
  const values = new Map<string, { value: string; expiresAt: number }>();
  const locks = new Map<string, { value: string; expiresAt: number }>();
  const live = (map: typeof values, key: string) => {
    const entry = map.get(key);
    if (entry && entry.expiresAt <= Date.now()) map.delete(key);
    return map.get(key);
  };
  const ttl = (ttlMs: number) => {
    if (!(ttlMs > 0 && ttlMs < Infinity)) throw new SimcelAuthError("a token store ttlMs must be a positive number");
    return Date.now() + ttlMs;
  };
  return safeToLog(
    "SimcelMemoryTokenStore",
    {
      async get(key: string) {
        checkStoreKey(key);
        return live(values, key)?.value;
      },
      async set(key: string, value: string, ttlMs: number) {
        checkStoreKey(key);
        values.set(key, { value, expiresAt: ttl(ttlMs) });
      },
      async deleteIf(key: string, expected: string) {
        checkStoreKey(key);
        return live(values, key)?.value === expected && values.delete(key);
      },
      async lock(key: string, owner: string, ttlMs: number) {
        checkStoreKey(key);
        if (live(locks, key)) return false;
        locks.set(key, { value: owner, expiresAt: ttl(ttlMs) });
        return true;
      },
      async unlock(key: string, owner: string) {
        checkStoreKey(key);
        return live(locks, key)?.value === owner && locks.delete(key);
      },
    },
    { shared: false },
  );
}
