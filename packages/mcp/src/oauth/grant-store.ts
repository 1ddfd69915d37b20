// Where OAuth records live: the store replicas share (SIMCEL_TOKEN_STORE: a directory or Redis), or this
// process's memory when there is none. Built on the TokenStore every store already implements, because its
// two atomic operations are all OAuth needs:
// - take-once (an authorization code, a refresh token, a pending sign-in): read the value, then delete it
//   only if it is still that value (`deleteIf`, atomic in Redis by a script and in a directory by a rename).
//   Values are sealed with a fresh IV, so no two are equal: of N replicas taking one record, one wins.
// - a counter (registrations per window): read and write under the entry's lock (`lock`, atomic create).
// Unlike token caching, a store failure here is an error, not a fallback: a grant that one replica cannot
// read is not a grant.
import { randomUUID } from "node:crypto";
import type { TokenStore } from "@simcel/auth";
import type { Sealer } from "./sealing.js";

/** Sealed records by kind and id. */
export interface GrantStore {
  put(kind: string, id: string, value: unknown, ttlMs: number): Promise<void>;
  get<T>(kind: string, id: string): Promise<T | undefined>;
  /** The record, deleted atomically: of concurrent callers (in any replica), exactly one gets it. */
  take<T>(kind: string, id: string): Promise<T | undefined>;
  delete(kind: string, id: string): Promise<void>;
  /**
   * Adds one to the counter `name` of the window that `windowMs` cuts now into, unless it reached `limit`:
   * resolves whether it was added. A counter that cannot be locked within a few tries is not added to.
   */
  count(name: string, limit: number, windowMs: number): Promise<boolean>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A grant store over `store`, sealing with `sealer`. */
export function createGrantStore(store: TokenStore, sealer: Sealer, now: () => number = Date.now): GrantStore {
  const read = async <T>(key: string) => {
    const sealed = await store.get(key);
    return sealed === undefined ? undefined : { sealed, value: sealer.open<T>(key, sealed) };
  };
  return {
    async put(kind, id, value, ttlMs) {
      const key = sealer.key(kind, id);
      await store.set(key, sealer.seal(key, value), ttlMs);
    },
    async get<T>(kind: string, id: string) {
      return (await read<T>(sealer.key(kind, id)))?.value;
    },
    async take<T>(kind: string, id: string) {
      const key = sealer.key(kind, id);
      const found = await read<T>(key);
      if (!found) return undefined;
      const won = await store.deleteIf(key, found.sealed);
      return won ? found.value : undefined;
    },
    async delete(kind, id) {
      const key = sealer.key(kind, id);
      const found = await store.get(key);
      if (found !== undefined) await store.deleteIf(key, found);
    },
    async count(name, limit, windowMs) {
      const window = Math.floor(now() / windowMs);
      const key = sealer.key("n", `${name}\n${window}`);
      const owner = randomUUID();
      for (let attempt = 0; attempt < 20; attempt++) {
        if (await store.lock(key, owner, 2_000)) {
          try {
            const current = sealer.open<number>(key, await store.get(key)) ?? 0;
            if (current >= limit) return false;
            await store.set(key, sealer.seal(key, current + 1), windowMs);
            return true;
          } finally {
            await store.unlock(key, owner);
          }
        }
        await sleep(5 + attempt * 5);
      }
      return false;
    },
  };
}
