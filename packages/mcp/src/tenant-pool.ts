// The tenants of multi-tenant HTTP: one per API key a client presents, so each key has its own token
// cache (one token request per key, however many agents share it). Bounded (least recently used goes
// first) and keyed by an HMAC of the key under a secret made at start-up: the key itself is never a
// map key, a log field or a session attribute, and the ids cannot be matched across processes.
//
// A key joins the pool only once its sign-in was not refused: a flood of junk bearers cannot push a real
// tenant (and its token) out. A refusal is remembered for a while by the key's HMAC, so the same junk bearer
// gets its 401 without another token request; concurrent first sign-ins of one key share one token request,
// and first sign-ins of different keys are bounded in number.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Tenant } from "./tenant.js";

/** Options of {@link createTenantPool}. */
export interface TenantPoolOptions {
  /** Makes the tenant of a key seen for the first time (or again after eviction). */
  create(apiKey: string): Tenant;
  /** Keys kept at most; default 1000. */
  maxTenants?: number | undefined;
  /** How long a key SIMCEL refused is answered 401 without asking again; default 10 min. */
  refusalMemoryMs?: number | undefined;
  /** Refused keys remembered at most (the oldest is forgotten first); default 10 000. */
  maxRefusals?: number | undefined;
  /** First sign-ins of not yet known keys running at once; default 32. */
  maxPendingSignIns?: number | undefined;
  /** The clock of the refusal memory (tests). */
  now?: (() => number) | undefined;
}

/** What a first sign-in found: the key works (or SIMCEL could not say), or SIMCEL refused it. */
export type SignInOutcome = "accepted" | "refused";

/** Why {@link TenantPool.admit} did not admit a key. */
export class AdmissionRefused extends Error {
  constructor(readonly reason: "refused" | "busy") {
    super(reason === "refused" ? "the key was refused" : "too many sign-ins of new keys at once");
  }
}

/** A bounded set of tenants by API key. */
export interface TenantPool {
  /** The keyed hash that stands for `apiKey` (sessions are bound to it). */
  idOf(apiKey: string): string;
  /** The tenant of `apiKey`, made if needed; it becomes the most recently used. For a key already admitted. */
  get(apiKey: string): { id: string; tenant: Tenant };
  /** Whether `apiKey` is in the pool now (signed in, or its sign-in was not refused). */
  has(apiKey: string): boolean;
  /** Whether a refusal of `apiKey` is remembered: it gets 401 without a SIMCEL request. */
  refused(apiKey: string): boolean;
  /**
   * The tenant of a key not yet in the pool, once `signIn` (run on a tenant made apart) did not refuse it; it
   * then joins the pool. Rejects with {@link AdmissionRefused}: "refused" (remembered), or "busy" (too many
   * first sign-ins at once). Concurrent admissions of one key run one sign-in.
   */
  admit(apiKey: string, signIn: (tenant: Tenant) => Promise<SignInOutcome>): Promise<Tenant>;
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
  const {
    create,
    maxTenants = 1000,
    refusalMemoryMs = 10 * 60_000,
    maxRefusals = 10_000,
    maxPendingSignIns = 32,
    now = Date.now,
  } = options;
  for (const [name, value] of Object.entries({ maxTenants, refusalMemoryMs, maxRefusals, maxPendingSignIns }))
    if (!(Number.isInteger(value) && value > 0)) throw new Error(`[@simcel/mcp] ${name} must be a positive integer`);
  const idOf = createKeyedHash();
  /** Refused key ids → when the refusal is forgotten; insertion order is age order. */
  const refusals = new Map<string, number>();
  /** First sign-ins in progress, by key id. */
  const pending = new Map<string, Promise<Tenant>>();
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

  /** Puts `tenant` in the pool as the most recently used, retiring the least recently used beyond the bound. */
  function keep(id: string, tenant: Tenant) {
    tenants.delete(id);
    tenants.set(id, tenant);
    if (tenants.size > maxTenants) {
      const [oldestId, oldest] = tenants.entries().next().value as [string, Tenant];
      tenants.delete(oldestId);
      retire(oldest);
    }
  }

  function remembersRefusal(id: string) {
    const until = refusals.get(id);
    if (until === undefined) return false;
    if (until > now()) return true;
    refusals.delete(id);
    return false;
  }

  function rememberRefusal(id: string) {
    refusals.delete(id);
    refusals.set(id, now() + refusalMemoryMs);
    if (refusals.size > maxRefusals) refusals.delete(refusals.keys().next().value as string);
  }

  async function firstSignIn(id: string, apiKey: string, signIn: (tenant: Tenant) => Promise<SignInOutcome>) {
    const tenant = create(apiKey);
    let outcome: SignInOutcome;
    try {
      outcome = await signIn(tenant);
    } catch (error) {
      await tenant.close();
      throw error;
    }
    if (outcome === "refused") {
      rememberRefusal(id);
      await tenant.close();
      throw new AdmissionRefused("refused");
    }
    keep(id, tenant);
    return tenant;
  }

  return {
    idOf,
    get(apiKey) {
      const id = idOf(apiKey);
      const tenant = tenants.get(id) ?? create(apiKey);
      keep(id, tenant);
      return { id, tenant };
    },
    has: (apiKey) => tenants.has(idOf(apiKey)),
    refused: (apiKey) => remembersRefusal(idOf(apiKey)),
    admit(apiKey, signIn) {
      const id = idOf(apiKey);
      const known = tenants.get(id);
      if (known) return Promise.resolve(known);
      if (remembersRefusal(id)) return Promise.reject(new AdmissionRefused("refused"));
      const running = pending.get(id);
      if (running) return running;
      if (pending.size >= maxPendingSignIns) return Promise.reject(new AdmissionRefused("busy"));
      const admission = firstSignIn(id, apiKey, signIn).finally(() => pending.delete(id));
      pending.set(id, admission);
      return admission;
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
