// withTokenStore: memory first (the cache), then the shared store, then the token endpoint. Several
// wrappers over one memory store stand for several processes; the fleet tests (scripts/test/token-fleet.test.ts)
// do the same with real processes, a real directory and a real Redis.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { tokenRequestError } from "../src/errors.js";
import {
  type AccessToken,
  AuthConfigError,
  type Credential,
  createMemoryTokenStore,
  createStaticCredential,
  createTokenCache,
  redactSecrets,
  rememberCredentialMaterial,
  TokenRequestError,
  type TokenStore,
  TokenStoreError,
  type TokenStoreOptions,
} from "../src/index.js";
import { withTokenStore } from "../src/stored-credential.js";
import { API_KEY, CLIENT_ID, CLIENT_SECRET, deferred, settle } from "./helpers.js";
import { tokenStoreContract } from "./token-store-contract.js";

const HOUR = 3_600_000;
const BASE = "https://app.simcel.io/api";

/** The token endpoint, shared by all "processes": counts requests and issues tok_FAKE_<n>. */
function tokenEndpoint(lifetimeMs = HOUR) {
  const state = { requests: 0, hold: undefined as Promise<void> | undefined, fail: 0 };
  const getToken = async (): Promise<AccessToken> => {
    const n = ++state.requests;
    await state.hold;
    if (state.fail > 0) {
      state.fail--;
      throw tokenRequestError({ status: 503, serverMessage: "busy" });
    }
    return { token: `tok_FAKE_${n}`, tokenType: "Bearer", expiresAt: Date.now() + lifetimeMs };
  };
  /** A credential object of one "process" (each process builds its own from the same key). */
  const credential = (
    material: { secret?: string; clientId?: string; scopes?: string[] } = {},
    baseUrl = BASE,
  ): Credential => {
    const made: Credential = {
      kind: material.clientId ? "clientCredentials" : "apiKey",
      baseUrl,
      getToken: vi.fn(getToken),
    };
    rememberCredentialMaterial(made, { secret: API_KEY, ...material });
    return made;
  };
  return { state, credential };
}

/** A memory store whose operations are counted, and can be made to fail or hang. */
function observedStore(inner: TokenStore = createMemoryTokenStore()) {
  const calls: string[] = [];
  const mode = { fail: false, hang: false };
  const store = Object.fromEntries(
    (["get", "set", "deleteIf", "lock", "unlock"] as const).map((name) => [
      name,
      (...args: never[]) => {
        calls.push(name);
        if (mode.hang) return new Promise(() => {});
        if (mode.fail) return Promise.reject(Object.assign(new Error("connection refused"), { code: "ECONNREFUSED" }));
        return (inner[name] as (...a: never[]) => Promise<unknown>)(...args);
      },
    ]),
  ) as unknown as TokenStore;
  return { store, calls, mode, inner };
}

function logger() {
  return { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
}

// Fake time, but WebCrypto works on real threads: each fake step also gives the real event loop a turn,
// so sealing and key derivation complete between steps as they would between timer ticks.
const realTimeout = setTimeout;
const realTurn = () => new Promise((resolve) => realTimeout(resolve, 1));
/** Lets `ms` of fake time pass, 10 ms at a time. */
async function pass(ms: number) {
  for (let t = 0; t < ms; t += 10) {
    await vi.advanceTimersByTimeAsync(Math.min(10, ms - t));
    await realTurn();
  }
  await realTurn();
}
/** Gives real turns (no fake time) until `condition` holds. */
async function until(condition: () => boolean) {
  for (let turns = 0; !condition(); turns++) {
    if (turns > 2_000) throw new Error("condition never held");
    await realTurn();
  }
}
/** Lets fake time run until `promise` settles (polls and timeouts fire), 10 ms at a time. */
async function run<T>(promise: Promise<T>, limitMs = 60_000): Promise<T> {
  const out = settle(promise);
  await realTurn();
  for (let waited = 0; !out.done && waited < limitMs; waited += 10) await pass(10);
  if (!out.done) throw new Error(`still pending after ${limitMs} ms of fake time`);
  if ("error" in out && out.error !== undefined) throw out.error;
  return out.value as T;
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.UTC(2026, 0, 1));
});
afterEach(() => vi.useRealTimers());

tokenStoreContract("createMemoryTokenStore", {
  store: createMemoryTokenStore,
  pass: async (ms) => void vi.setSystemTime(Date.now() + ms),
  shortTtlMs: 1_000,
});

describe("withTokenStore", () => {
  it("a token another process stored is used without a token request", async () => {
    const endpoint = tokenEndpoint();
    const { store } = observedStore();
    const sources: string[] = [];
    const hooks = { onTokenSource: ({ source }: { source: string }) => sources.push(source) };
    const first = withTokenStore(endpoint.credential(), store, { hooks });
    const second = withTokenStore(endpoint.credential(), store, { hooks });
    await expect(run(first.getToken())).resolves.toMatchObject({ token: "tok_FAKE_1" });
    await expect(run(second.getToken())).resolves.toMatchObject({ token: "tok_FAKE_1" });
    expect(endpoint.state.requests).toBe(1);
    expect(sources).toEqual(["request", "store"]);
    expect(first.shared && second.shared).toBe(true);
  });

  it("refresh ahead keeps its meaning: a stored token expiring before minValidUntil is not used", async () => {
    const endpoint = tokenEndpoint();
    const { store } = observedStore();
    const a = withTokenStore(endpoint.credential(), store);
    const b = withTokenStore(endpoint.credential(), store);
    const c = withTokenStore(endpoint.credential(), store);
    const t1 = await run(a.getToken());
    vi.setSystemTime(t1.expiresAt - 60_000);
    // b refreshes ahead: it needs a token valid for longer than the stored one
    const t2 = await run(b.getToken({ minValidUntil: t1.expiresAt }));
    expect(t2.token).toBe("tok_FAKE_2");
    // and the refreshed token is what the fleet gets from then on
    await expect(run(c.getToken({ minValidUntil: t1.expiresAt }))).resolves.toMatchObject({ token: "tok_FAKE_2" });
    await expect(run(a.getToken())).resolves.toMatchObject({ token: "tok_FAKE_2" });
    expect(endpoint.state.requests).toBe(2);
  });

  it("an expired stored token is never used", async () => {
    const endpoint = tokenEndpoint(1_000);
    const { store } = observedStore();
    await run(withTokenStore(endpoint.credential(), store).getToken());
    vi.setSystemTime(Date.now() + 1_000);
    await expect(run(withTokenStore(endpoint.credential(), store).getToken())).resolves.toMatchObject({
      token: "tok_FAKE_2",
    });
  });

  it("N processes starting cold make ONE token request: one holds the lock, the others wait for its token", async () => {
    const endpoint = tokenEndpoint();
    const hold = deferred<void>();
    endpoint.state.hold = hold.promise;
    const { store } = observedStore();
    const fleet = Array.from({ length: 10 }, () => withTokenStore(endpoint.credential(), store));
    const calls = fleet.flatMap((p) => Array.from({ length: 5 }, () => p.getToken()));
    await pass(500);
    expect(endpoint.state.requests).toBe(1);
    hold.resolve();
    const tokens = await run(Promise.all(calls));
    expect(new Set(tokens.map((t) => t.token))).toEqual(new Set(["tok_FAKE_1"]));
    expect(endpoint.state.requests).toBe(1);
  });

  it("in one process concurrent callers share one flight (one store read, one lock)", async () => {
    const endpoint = tokenEndpoint();
    const { store, calls } = observedStore();
    const stored = withTokenStore(endpoint.credential(), store);
    const tokens = await run(Promise.all(Array.from({ length: 50 }, () => stored.getToken())));
    expect(new Set(tokens.map((t) => t.token)).size).toBe(1);
    expect(endpoint.state.requests).toBe(1);
    expect(calls).toEqual(["get", "lock", "get", "set", "unlock"]);
  });

  it("a process that gets the lock just after another released it takes that one's token, not a new one", async () => {
    const endpoint = tokenEndpoint();
    const inner = createMemoryTokenStore();
    let other: Promise<AccessToken> | undefined;
    // between A's read (a miss) and A's lock, process B runs a whole flight: request, store, unlock
    const racing: TokenStore = {
      ...inner,
      lock: async (key, owner, ttl) => {
        other ??= withTokenStore(endpoint.credential(), inner).getToken();
        await other;
        return inner.lock(key, owner, ttl);
      },
    };
    const a = await run(withTokenStore(endpoint.credential(), racing).getToken());
    expect(a.token).toBe((await other)?.token);
    expect(endpoint.state.requests).toBe(1);
  });

  it("when the holder's request fails it lets go, and a waiting process requests instead", async () => {
    const endpoint = tokenEndpoint();
    const hold = deferred<void>();
    endpoint.state.hold = hold.promise;
    endpoint.state.fail = 1;
    const { store } = observedStore();
    const holder = settle(withTokenStore(endpoint.credential(), store).getToken());
    await until(() => endpoint.state.requests === 1);
    const waiter = withTokenStore(endpoint.credential(), store).getToken();
    await pass(100);
    hold.resolve();
    await expect(run(waiter)).resolves.toMatchObject({ token: "tok_FAKE_2" });
    expect(holder.error).toBeInstanceOf(TokenRequestError);
    expect(endpoint.state.requests).toBe(2);
  });

  it("waits at most waitMs for a lock held elsewhere, then requests its own token (and stores it)", async () => {
    const endpoint = tokenEndpoint();
    const { store } = observedStore();
    const stored = withTokenStore(endpoint.credential(), store, { waitMs: 2_000 });
    const log = logger();
    // a holder that never delivers: its lock outlives the wait
    const key = await keyOf(endpoint.credential());
    await store.lock(key, "stuck-process", 60_000);
    const started = Date.now();
    const token = await run(withTokenStore(endpoint.credential(), store, { waitMs: 2_000, logger: log }).getToken());
    expect(token.token).toBe("tok_FAKE_1");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(Date.now() - started).toBeLessThan(2_600);
    expect(log.debug).toHaveBeenCalledWith(expect.stringContaining("waited long enough"), expect.anything());
    await expect(run(stored.getToken())).resolves.toMatchObject({ token: "tok_FAKE_1" });
    expect(endpoint.state.requests).toBe(1);
  });

  it("a holder that crashed (lock never released) blocks the others for lockTtlMs at most", async () => {
    const endpoint = tokenEndpoint();
    const { store } = observedStore();
    const key = await keyOf(endpoint.credential());
    await store.lock(key, "crashed-process", 3_000);
    const started = Date.now();
    const tokens = await run(
      Promise.all(Array.from({ length: 4 }, () => withTokenStore(endpoint.credential(), store).getToken())),
    );
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(new Set(tokens.map((t) => t.token))).toEqual(new Set(["tok_FAKE_1"]));
    expect(endpoint.state.requests).toBe(1);
  });

  describe("invalidate", () => {
    it("deletes the stored token only if it is still the refused one (compare-and-delete)", async () => {
      const endpoint = tokenEndpoint();
      const { store, inner } = observedStore();
      const a = withTokenStore(endpoint.credential(), store);
      const key = await keyOf(endpoint.credential());
      const t1 = await run(a.getToken());
      await a.invalidate("tok_FAKE_not_stored");
      expect(await inner.get(key)).toBeDefined();
      await a.invalidate(t1.token);
      expect(await inner.get(key)).toBeUndefined();
      // another process stored a new token since: invalidating the old one again leaves it
      const b = withTokenStore(endpoint.credential(), store);
      const t2 = await run(b.getToken());
      await withTokenStore(endpoint.credential(), store).invalidate(t1.token);
      await expect(run(withTokenStore(endpoint.credential(), store).getToken())).resolves.toMatchObject({
        token: t2.token,
      });
      expect(endpoint.state.requests).toBe(2);
    });

    it("one revoked token causes one token request fleet-wide, however many processes saw it refused", async () => {
      const endpoint = tokenEndpoint();
      const { store } = observedStore();
      const fleet = Array.from({ length: 8 }, () => withTokenStore(endpoint.credential(), store));
      const [t1] = await run(Promise.all(fleet.map((p) => p.getToken())));
      expect(endpoint.state.requests).toBe(1);
      const renewed = await run(
        Promise.all(
          fleet.map(async (p) => {
            await p.invalidate(t1?.token as string);
            return p.getToken();
          }),
        ),
      );
      expect(new Set(renewed.map((t) => t.token))).toEqual(new Set(["tok_FAKE_2"]));
      expect(endpoint.state.requests).toBe(2);
    });

    it("a process never reads back a token it saw refused, even when the store could not delete it", async () => {
      const endpoint = tokenEndpoint();
      const observed = observedStore();
      const stored = withTokenStore(endpoint.credential(), observed.store);
      const t1 = await run(stored.getToken());
      // the store loses its deletes: the refused token stays there
      observed.inner.deleteIf = async () => false;
      await stored.invalidate(t1.token);
      await expect(run(stored.getToken())).resolves.toMatchObject({ token: "tok_FAKE_2" });
      // and the new token replaced it for everyone
      await expect(run(withTokenStore(endpoint.credential(), observed.store).getToken())).resolves.toMatchObject({
        token: "tok_FAKE_2",
      });
    });

    it("getToken right after invalidate (not awaited, as the middleware does) gets a new token", async () => {
      const endpoint = tokenEndpoint();
      const { store } = observedStore();
      const stored = withTokenStore(endpoint.credential(), store);
      const t1 = await run(stored.getToken());
      void stored.invalidate(t1.token);
      await expect(run(stored.getToken())).resolves.toMatchObject({ token: "tok_FAKE_2" });
    });
  });

  describe("sealed at rest", () => {
    it("the store holds neither the token, nor the key, nor the identity, in any plain encoding", async () => {
      const endpoint = tokenEndpoint();
      const inner = createMemoryTokenStore();
      const writes: string[] = [];
      const store = {
        ...inner,
        set: (k: string, v: string, t: number) => {
          writes.push(k, v);
          return inner.set(k, v, t);
        },
      };
      const credential = endpoint.credential({ secret: CLIENT_SECRET, clientId: CLIENT_ID, scopes: ["insights:read"] });
      await run(withTokenStore(credential, store).getToken());
      expect(writes).toHaveLength(2);
      const plain = ["tok_FAKE_1", CLIENT_SECRET, CLIENT_ID, "insights", "simcel.io", "FAKE"];
      const encoded = plain.flatMap((s) => [s, btoa(s), btoa(s).replace(/=+$/, ""), encodeURIComponent(s)]);
      for (const text of writes) for (const s of encoded) expect(text).not.toContain(s);
      expect(writes[0]).toMatch(/^[\w-]{43}$/);
      expect(writes[1]).toMatch(/^s1\.[\w-]{16}\.[\w-]+$/);
    });

    it("different keys, client ids, base URLs or scopes never share an entry; the same identity does", async () => {
      const endpoint = tokenEndpoint();
      const key = (m: Parameters<typeof endpoint.credential>[0], base?: string) => keyOf(endpoint.credential(m, base));
      const keys = await Promise.all([
        key({ secret: "sk_test_FAKE_one" }),
        key({ secret: "sk_test_FAKE_two" }),
        key({ secret: "sk_test_FAKE_one" }, "https://eu.simcel.io/api"),
        key({ secret: "cs_FAKE", clientId: "client-a", scopes: ["plans:read"] }),
        key({ secret: "cs_FAKE", clientId: "client-b", scopes: ["plans:read"] }),
        key({ secret: "cs_FAKE", clientId: "client-a", scopes: ["plans:read", "insights:read"] }),
        key({ secret: "cs_FAKE", clientId: "client-a" }),
      ]);
      expect(new Set(keys).size).toBe(keys.length);
      // scope order and repeats do not make another identity
      expect(await key({ secret: "cs_FAKE", clientId: "client-a", scopes: ["insights:read", "plans:read"] })).toBe(
        keys[5],
      );
      expect(await key({ secret: "cs_FAKE", clientId: "client-a", scopes: ["plans:read", "plans:read"] })).toBe(
        keys[3],
      );
    });

    it("two credentials on one store get two tokens", async () => {
      const endpoint = tokenEndpoint();
      const store = createMemoryTokenStore();
      const a = await run(withTokenStore(endpoint.credential({ secret: "sk_test_FAKE_a" }), store).getToken());
      const b = await run(withTokenStore(endpoint.credential({ secret: "sk_test_FAKE_b" }), store).getToken());
      expect(a.token).not.toBe(b.token);
      expect(endpoint.state.requests).toBe(2);
    });

    it("a tampered value is ignored (said once) and replaced by a fresh token", async () => {
      const endpoint = tokenEndpoint();
      const store = createMemoryTokenStore();
      const log = logger();
      const key = await keyOf(endpoint.credential());
      await run(withTokenStore(endpoint.credential(), store).getToken());
      const sealed = (await store.get(key)) as string;
      const flip = sealed.at(-2) === "A" ? "B" : "A";
      const tampered = `${sealed.slice(0, -2)}${flip}${sealed.slice(-1)}`;
      for (const bad of [tampered, "s1.AAAA.AAAA", "garbage", `s1.${"A".repeat(16)}.${"A".repeat(20_000)}`, "s1.!.!"]) {
        await store.set(key, bad, HOUR);
        const token = await run(withTokenStore(endpoint.credential(), store, { logger: log }).getToken());
        expect(token.token).not.toBe("tok_FAKE_1");
        expect(await store.get(key)).not.toBe(bad);
      }
      expect(endpoint.state.requests).toBe(6);
      const fresh = withTokenStore(endpoint.credential(), store, { logger: log });
      await store.set(key, tampered, HOUR);
      await run(fresh.getToken());
      await store.set(key, tampered, HOUR);
      await run(fresh.getToken({ minValidUntil: Date.now() + 2 * HOUR }));
      expect(log.warn.mock.calls.filter(([m]) => String(m).includes("did not open"))).toHaveLength(6);
    });

    it("a value planted by someone without the secret, or moved from another entry, is never trusted", async () => {
      const endpoint = tokenEndpoint();
      const store = createMemoryTokenStore();
      const victim = endpoint.credential({ secret: "cs_FAKE_shared", clientId: "c", scopes: ["plans:read"] });
      const victimKey = await keyOf(victim);
      // sealed by an attacker's own secret, written under the victim's entry
      const attacker = endpoint.credential({ secret: "sk_test_FAKE_attacker" });
      await run(withTokenStore(attacker, store).getToken());
      await store.set(victimKey, (await store.get(await keyOf(attacker))) as string, HOUR);
      await expect(run(withTokenStore(victim, store).getToken())).resolves.toMatchObject({ token: "tok_FAKE_2" });
      // the same secret, another scope set: its value does not open under the victim's entry
      const sibling = endpoint.credential({ secret: "cs_FAKE_shared", clientId: "c", scopes: ["admin"] });
      await run(withTokenStore(sibling, store).getToken());
      await store.set(victimKey, (await store.get(await keyOf(sibling))) as string, HOUR);
      await expect(run(withTokenStore(victim, store).getToken())).resolves.toMatchObject({ token: "tok_FAKE_4" });
    });
  });

  describe("the store is never a single point of failure", () => {
    const failing = (mode: "fail" | "hang", options: TokenStoreOptions = {}) => {
      const endpoint = tokenEndpoint();
      const observed = observedStore();
      observed.mode[mode] = true;
      const log = logger();
      const errors: { operation: string; error: unknown }[] = [];
      const make = () =>
        withTokenStore(endpoint.credential(), observed.store, {
          logger: log,
          hooks: { onStoreError: (e) => errors.push(e) },
          ...options,
        });
      return { endpoint, observed, log, errors, make };
    };

    it.each(["fail", "hang"] as const)(
      "a store that %ss: every call succeeds, the outage is reported once",
      async (mode) => {
        const { endpoint, log, errors, make } = failing(mode);
        const stored = make();
        for (let i = 0; i < 20; i++) {
          const started = Date.now();
          await expect(run(stored.getToken({ minValidUntil: Date.now() + HOUR }))).resolves.toMatchObject({
            token: `tok_FAKE_${i + 1}`,
          });
          expect(Date.now() - started).toBeLessThanOrEqual(250);
          await stored.invalidate(`tok_FAKE_${i + 1}`);
          vi.setSystemTime(Date.now() + 1_000);
        }
        expect(endpoint.state.requests).toBe(20);
        expect(log.warn).toHaveBeenCalledTimes(1);
        expect(log.warn.mock.calls[0]?.[1]).toMatchObject({
          operation: "get",
          reason: mode === "hang" ? "timeout" : "ECONNREFUSED",
        });
        expect(errors).toHaveLength(1);
        expect(errors[0]?.error).toBeInstanceOf(TokenStoreError);
        expect(errors[0]?.error).toMatchObject({ code: "token_store_unavailable", operation: "get" });
      },
    );

    it("a failed store is left alone for retryStoreAfterMs, then used again (recovery said once)", async () => {
      const { endpoint, observed, log, make } = failing("fail", { retryStoreAfterMs: 5_000 });
      const recovered: number[] = [];
      const stored = withTokenStore(endpoint.credential(), observed.store, {
        logger: log,
        retryStoreAfterMs: 5_000,
        hooks: { onStoreRecovered: ({ outageMs }) => recovered.push(outageMs) },
      });
      await run(stored.getToken());
      const before = observed.calls.length;
      await run(stored.getToken({ minValidUntil: Date.now() + HOUR }));
      expect(observed.calls.length).toBe(before); // not even tried
      observed.mode.fail = false;
      vi.setSystemTime(Date.now() + 5_000);
      await run(stored.getToken({ minValidUntil: Date.now() + HOUR }));
      expect(observed.calls.length).toBeGreaterThan(before);
      expect(recovered).toHaveLength(1);
      expect(recovered[0]).toBeGreaterThanOrEqual(5_000);
      expect(recovered[0]).toBeLessThan(5_100);
      expect(log.info).toHaveBeenCalledTimes(1);
      // the store works again: another process takes the stored token
      await expect(run(make().getToken())).resolves.toMatchObject({ token: "tok_FAKE_3" });
      expect(endpoint.state.requests).toBe(3);
    });

    it("a lock granted after its call timed out is released, so it does not block the fleet", async () => {
      const endpoint = tokenEndpoint();
      const inner = createMemoryTokenStore();
      const slowLock = {
        ...inner,
        lock: (k: string, o: string, t: number) => delay(300).then(() => inner.lock(k, o, t)),
      };
      const stored = withTokenStore(endpoint.credential(), slowLock);
      await run(stored.getToken());
      await pass(500);
      await expect(inner.lock(await keyOf(endpoint.credential()), "next", 1_000)).resolves.toBe(true);
    });

    it("a store still connecting is waited for once (connectTimeoutMs), not cut off at operationTimeoutMs", async () => {
      const endpoint = tokenEndpoint();
      const inner = createMemoryTokenStore();
      const log = logger();
      const connecting = { ...inner, ready: () => delay(600) };
      const fleet = Array.from({ length: 3 }, () => withTokenStore(endpoint.credential(), connecting, { logger: log }));
      const tokens = await run(Promise.all(fleet.map((p) => p.getToken())));
      expect(new Set(tokens.map((t) => t.token)).size).toBe(1);
      expect(endpoint.state.requests).toBe(1);
      expect(log.warn).not.toHaveBeenCalled();
    });

    it("a store that cannot connect in connectTimeoutMs, or says it cannot, is bypassed and reported once", async () => {
      for (const ready of [() => delay(5_000), () => Promise.reject(new Error("no route to host"))]) {
        const endpoint = tokenEndpoint();
        const log = logger();
        const stored = withTokenStore(endpoint.credential(), { ...createMemoryTokenStore(), ready }, { logger: log });
        const started = Date.now();
        await expect(run(stored.getToken())).resolves.toMatchObject({ token: "tok_FAKE_1" });
        // bypassed after connectTimeoutMs (1 s), not after the 5 s the store takes: fake time passes in steps that
        // each wait for real crypto work too, so a busy machine adds some of it (1.17 s seen); the point is < 5 s
        expect(Date.now() - started).toBeLessThan(2_500);
        await run(stored.getToken({ minValidUntil: Date.now() + HOUR }));
        expect(log.warn).toHaveBeenCalledTimes(1);
        expect(log.warn.mock.calls[0]?.[1]).toMatchObject({ operation: "ready" });
      }
    });

    it("hooks and loggers that throw change nothing", async () => {
      const endpoint = tokenEndpoint();
      const observed = observedStore();
      observed.mode.fail = true;
      const boom = () => {
        throw new Error("hook failed");
      };
      const stored = withTokenStore(endpoint.credential(), observed.store, {
        hooks: { onStoreError: boom, onTokenSource: boom, onStoreRecovered: boom },
        logger: { debug: boom, info: boom, warn: boom, error: boom },
      });
      await expect(run(stored.getToken())).resolves.toMatchObject({ token: "tok_FAKE_1" });
      observed.mode.fail = false;
      vi.setSystemTime(Date.now() + 10_000);
      await expect(run(stored.getToken({ minValidUntil: Date.now() + 2 * HOUR }))).resolves.toMatchObject({
        token: "tok_FAKE_2",
      });
    });
  });

  it("a static token does not use the store", async () => {
    const { store, calls } = observedStore();
    const stored = withTokenStore(createStaticCredential({ token: "tok_FAKE_static" }), store);
    await expect(stored.getToken()).resolves.toMatchObject({ token: "tok_FAKE_static" });
    await stored.invalidate("tok_FAKE_static");
    expect(calls).toEqual([]);
    expect(stored.shared).toBe(false);
  });

  it("a credential without remembered material does not use the store, and says so once", async () => {
    const { store, calls } = observedStore();
    const log = logger();
    const credential: Credential = {
      kind: "apiKey",
      baseUrl: BASE,
      getToken: async () => ({ token: "tok_FAKE_x", tokenType: "Bearer", expiresAt: Date.now() + HOUR }),
    };
    const stored = withTokenStore(credential, store, { logger: log });
    await stored.getToken();
    await stored.getToken();
    expect(calls).toEqual([]);
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(stored.shared).toBe(false);
  });

  it("works under a token cache: a memory hit never reaches the store", async () => {
    const endpoint = tokenEndpoint();
    const { store, calls } = observedStore();
    const cache = createTokenCache(withTokenStore(endpoint.credential(), store));
    await run(cache.getToken());
    const reached = calls.length;
    for (let i = 0; i < 100; i++) await cache.getToken();
    expect(calls.length).toBe(reached);
  });

  it("a caller's signal aborts only its own wait", async () => {
    const endpoint = tokenEndpoint();
    const hold = deferred<void>();
    endpoint.state.hold = hold.promise;
    const stored = withTokenStore(endpoint.credential(), createMemoryTokenStore());
    const controller = new AbortController();
    const aborted = settle(stored.getToken({ signal: controller.signal }));
    const other = stored.getToken();
    await pass(10);
    controller.abort(new Error("caller gave up"));
    await pass(0);
    expect(aborted.error).toMatchObject({ message: "caller gave up" });
    hold.resolve();
    await expect(run(other)).resolves.toMatchObject({ token: "tok_FAKE_1" });
  });

  it("the last caller to give up cancels the lookup: the token request is aborted and the lock released", async () => {
    const inner = createMemoryTokenStore();
    const signals: AbortSignal[] = [];
    const credential: Credential = {
      kind: "apiKey",
      baseUrl: BASE,
      getToken: ({ signal } = {}) => {
        signals.push(signal as AbortSignal);
        return new Promise((_, reject) => signal?.addEventListener("abort", () => reject(signal.reason)));
      },
    };
    rememberCredentialMaterial(credential, { secret: API_KEY });
    const stored = withTokenStore(credential, inner);
    const controllers = [new AbortController(), new AbortController()];
    const calls = controllers.map((c) => settle(stored.getToken({ signal: c.signal })));
    await until(() => signals.length === 1);
    controllers[0]?.abort(new Error("first gave up"));
    await pass(10);
    expect(signals[0]?.aborted).toBe(false);
    controllers[1]?.abort(new Error("second gave up"));
    await pass(10);
    expect(signals[0]?.aborted).toBe(true);
    expect(calls.map((c) => (c.error as Error)?.message)).toEqual(["first gave up", "second gave up"]);
    // nobody holds the fleet's lock any more
    const key = await keyOf(credential);
    await expect(inner.lock(key, "next-process", 1_000)).resolves.toBe(true);
  });

  it("close() cancels the lookup in flight, closes the credential, and later calls reject with code closed", async () => {
    const endpoint = tokenEndpoint();
    const hold = deferred<void>();
    endpoint.state.hold = hold.promise;
    const credential = Object.assign(endpoint.credential(), { close: vi.fn(async () => {}) });
    const store = createMemoryTokenStore();
    const stored = withTokenStore(credential, store);
    const pending = settle(stored.getToken());
    await until(() => endpoint.state.requests === 1);
    await stored.close();
    await pass(10);
    expect(pending.error).toMatchObject({ code: "closed" });
    expect(credential.close).toHaveBeenCalledTimes(1);
    await expect(stored.getToken()).rejects.toMatchObject({ code: "closed" });
    hold.resolve();
  });

  it("passes the cache's logger and onRetry through to the token request", async () => {
    const seen: unknown[] = [];
    const credential: Credential = {
      kind: "apiKey",
      baseUrl: BASE,
      getToken: async (options) => {
        seen.push(options);
        return { token: "tok_FAKE_passed", tokenType: "Bearer", expiresAt: Date.now() + HOUR };
      },
    };
    rememberCredentialMaterial(credential, { secret: API_KEY });
    const log = logger();
    const onRetry = vi.fn();
    await run(withTokenStore(credential, createMemoryTokenStore()).getToken({ logger: log, onRetry }));
    expect(seen[0]).toMatchObject({ logger: log, onRetry });
    expect((seen[0] as { signal?: unknown }).signal).toBeInstanceOf(AbortSignal);
  });

  it("a token read from the store is known to redactSecrets, as one it requested would be", async () => {
    const endpoint = tokenEndpoint();
    const store = createMemoryTokenStore();
    await run(withTokenStore(endpoint.credential(), store).getToken());
    // another process: a fresh registry entry is not needed for a token it never saw, but this one it uses
    const { token } = await run(withTokenStore(endpoint.credential(), store).getToken());
    expect(redactSecrets(`Authorization: Bearer ${token}`)).not.toContain(token);
    expect(redactSecrets(`key ${API_KEY}`)).not.toContain(API_KEY);
  });

  it("bad options are config errors naming the option", () => {
    const credential = tokenEndpoint().credential();
    const store = createMemoryTokenStore();
    for (const setting of [
      "operationTimeoutMs",
      "connectTimeoutMs",
      "lockTtlMs",
      "waitMs",
      "retryStoreAfterMs",
    ] as const)
      for (const value of [0, -1, Number.NaN, Infinity])
        expect(() => withTokenStore(credential, store, { [setting]: value } as TokenStoreOptions)).toThrow(
          expect.objectContaining({ setting, code: "config_invalid" }),
        );
    expect(() => withTokenStore(credential, {} as TokenStore)).toThrow(AuthConfigError);
    expect(() => withTokenStore(credential, { ...store, lock: undefined } as never)).toThrow(/lock/);
    expect(() => withTokenStore(credential, { ...store, ready: true } as never)).toThrow(/ready/);
    expect(() => rememberCredentialMaterial(credential, { secret: "" })).toThrow(AuthConfigError);
  });
});

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The store key the wrapper uses for `credential`: where it writes after one request. */
async function keyOf(credential: Credential): Promise<string> {
  const keys: string[] = [];
  const spy = {
    get: async (k: string) => {
      keys.push(k);
      return undefined;
    },
    set: async () => {},
    deleteIf: async () => false,
    lock: async () => true,
    unlock: async () => true,
  };
  const probe: Credential = {
    ...credential,
    getToken: async () => ({ token: "t", tokenType: "Bearer", expiresAt: 0 }),
  };
  // the material belongs to the credential object: register it for the probe too
  const { credentialMaterial } = await import("../src/credential-material.js");
  rememberCredentialMaterial(probe, credentialMaterial(credential) as never);
  await withTokenStore(probe, spy).getToken();
  return keys[0] as string;
}
