// SIMCEL_TOKEN_STORE: the token store shared by a fleet of simcel-mcp processes, so that N replicas
// holding the same key make one token request between them. `redis://…` (or `rediss://…`) is Redis
// through @simcel/token-store-redis, loaded only then; anything else is a directory for the file store
// of @simcel/auth/node. Either way the store holds sealed values under keyed hashes, never a key or token.
import { resolve } from "node:path";
import type { TokenStore } from "@simcel/auth";
import { createFileTokenStore } from "@simcel/auth/node";

/** A store and how to let it go. */
export interface OpenedTokenStore {
  store: TokenStore;
  /** What the store is, for a log line (a Redis URL's credentials are never shown). */
  description: string;
  close(): Promise<void>;
}

/** The store `SIMCEL_TOKEN_STORE` names, or `undefined` when it is unset. */
export async function openTokenStore(value: string | undefined): Promise<OpenedTokenStore | undefined> {
  const setting = value?.trim();
  if (!setting) return undefined;
  if (/^rediss?:\/\//i.test(setting)) {
    const { createRedisTokenStore } = await import("@simcel/token-store-redis");
    const store = createRedisTokenStore({ url: setting });
    const url = new URL(setting);
    return { store, description: `redis ${url.host}`, close: () => store.close() };
  }
  const dir = resolve(setting);
  return { store: createFileTokenStore({ dir }), description: `directory ${dir}`, close: async () => {} };
}
