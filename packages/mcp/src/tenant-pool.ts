// The tenants of multi-tenant HTTP: one per API key a client presents, so each key has its own token
// cache (one token request per key, however many agents share it). Bounded (least recently used goes
// first) and keyed by an HMAC of the key under a secret made at start-up: the key itself is never a
// map key, a log field or a session attribute, and the ids cannot be matched across processes.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Tenant } from "./tenant.js";

/** Options of {@link createTenantPool}. */
export interface TenantPoolOptions {
  /** Makes the tenant of a key seen for the first time (or again after eviction). */
  create(apiKey: string): Tenant;
  /** Keys kept at most; default 1000. */
  maxTenants?: number | undefined;
}

/** A bounded set of tenants by API key. */
export interface TenantPool {
  /** The keyed hash that stands for `apiKey` (sessions are bound to it). */
  idOf(apiKey: string): string;
  /** The tenant of `apiKey`, made if needed; it becomes the most recently used. */
  get(apiKey: string): { id: string; tenant: Tenant };
  readonly size: number;
  /** Closes every tenant. */
  close(): Promise<void>;
}

/** Two ids (or secrets) compared in constant time. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A keyed hash under a fresh random secret: the same input gives the same id in this process only. */
export function createKeyedHash(): (value: string) => string {
  const secret = randomBytes(32);
  return (value) => createHmac("sha256", secret).update(value).digest("base64url");
}

export function createTenantPool(options: TenantPoolOptions): TenantPool {
  const { create, maxTenants = 1000 } = options;
  if (!(Number.isInteger(maxTenants) && maxTenants > 0))
    throw new Error("[@simcel/mcp] maxTenants must be a positive integer");
  const idOf = createKeyedHash();
  // A Map keeps insertion order: re-inserting on use makes its first entry the least recently used.
  const tenants = new Map<string, Tenant>();
  const retiring = new Set<Promise<void>>();

  /** Closes an evicted tenant once its calls in flight are done (a session still using it gets a fresh one). */
  function retire(tenant: Tenant) {
    const closing = (async () => {
      while (tenant.callsInFlight > 0) await new Promise((r) => setTimeout(r, 50).unref());
      await tenant.close();
    })().finally(() => retiring.delete(closing));
    retiring.add(closing);
  }

  return {
    idOf,
    get(apiKey) {
      const id = idOf(apiKey);
      let tenant = tenants.get(id);
      if (tenant) tenants.delete(id);
      else tenant = create(apiKey);
      tenants.set(id, tenant);
      if (tenants.size > maxTenants) {
        const [oldestId, oldest] = tenants.entries().next().value as [string, Tenant];
        tenants.delete(oldestId);
        retire(oldest);
      }
      return { id, tenant };
    },
    get size() {
      return tenants.size;
    },
    async close() {
      const all = [...tenants.values()];
      tenants.clear();
      await Promise.allSettled([...all.map((t) => t.close()), ...retiring]);
    },
  };
}
