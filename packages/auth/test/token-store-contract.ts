// The TokenStore contract as tests, run against every store: memory and file here, Redis in
// @simcel/token-store-redis. `pass(ms)` lets time pass: fake timers for local stores, a real wait for Redis
// (whose expiries the server keeps).
import { describe, expect, it } from "vitest";
import type { TokenStore } from "../src/index.js";

export interface ContractSetup {
  store: () => TokenStore;
  pass: (ms: number) => Promise<void>;
  /** A TTL long enough to outlive the test, short enough that `pass(ttl + margin)` is cheap. */
  shortTtlMs: number;
}

let serial = 0;
/** A key no other test uses. */
const fresh = () => `contract_${Date.now().toString(36)}_${++serial}`;

export function tokenStoreContract(name: string, setup: ContractSetup) {
  describe(`${name} keeps the TokenStore contract`, () => {
    it("get: undefined when absent, the value after set, the newest value after another set", async () => {
      const store = setup.store();
      const key = fresh();
      await expect(store.get(key)).resolves.toBeUndefined();
      await store.set(key, "value-1", 60_000);
      await expect(store.get(key)).resolves.toBe("value-1");
      await store.set(key, "value-2", 60_000);
      await expect(store.get(key)).resolves.toBe("value-2");
      await expect(store.get(fresh())).resolves.toBeUndefined();
    });

    it("a value is gone after its TTL", async () => {
      const store = setup.store();
      const key = fresh();
      await store.set(key, "short", setup.shortTtlMs);
      await expect(store.get(key)).resolves.toBe("short");
      await setup.pass(setup.shortTtlMs + 150);
      await expect(store.get(key)).resolves.toBeUndefined();
    });

    it("deleteIf deletes only the expected value", async () => {
      const store = setup.store();
      const key = fresh();
      await store.set(key, "current", 60_000);
      await expect(store.deleteIf(key, "older")).resolves.toBe(false);
      await expect(store.get(key)).resolves.toBe("current");
      await expect(store.deleteIf(key, "current")).resolves.toBe(true);
      await expect(store.get(key)).resolves.toBeUndefined();
      await expect(store.deleteIf(key, "current")).resolves.toBe(false);
    });

    it("lock: one owner at a time, released only by its owner, separate from the value", async () => {
      const store = setup.store();
      const key = fresh();
      await expect(store.lock(key, "owner-a", 60_000)).resolves.toBe(true);
      await expect(store.lock(key, "owner-b", 60_000)).resolves.toBe(false);
      await expect(store.lock(key, "owner-a", 60_000)).resolves.toBe(false);
      await expect(store.get(key)).resolves.toBeUndefined();
      await expect(store.unlock(key, "owner-b")).resolves.toBe(false);
      await expect(store.lock(key, "owner-b", 60_000)).resolves.toBe(false);
      await expect(store.unlock(key, "owner-a")).resolves.toBe(true);
      await expect(store.lock(key, "owner-b", 60_000)).resolves.toBe(true);
      await store.set(key, "value", 60_000);
      await expect(store.unlock(key, "owner-b")).resolves.toBe(true);
      await expect(store.get(key)).resolves.toBe("value");
    });

    it("a lock whose holder never releases it frees itself after its TTL", async () => {
      const store = setup.store();
      const key = fresh();
      await expect(store.lock(key, "crashed", setup.shortTtlMs)).resolves.toBe(true);
      await expect(store.lock(key, "next", 60_000)).resolves.toBe(false);
      await setup.pass(setup.shortTtlMs + 150);
      await expect(store.lock(key, "next", 60_000)).resolves.toBe(true);
      await expect(store.unlock(key, "crashed")).resolves.toBe(false);
      await expect(store.unlock(key, "next")).resolves.toBe(true);
    });

    it("of 20 concurrent lock attempts exactly one wins", async () => {
      const store = setup.store();
      const key = fresh();
      const won = await Promise.all(Array.from({ length: 20 }, (_, i) => store.lock(key, `owner-${i}`, 60_000)));
      expect(won.filter(Boolean)).toHaveLength(1);
    });

    it("of 20 concurrent deleteIf of one value exactly one deletes it", async () => {
      const store = setup.store();
      const key = fresh();
      await store.set(key, "once", 60_000);
      const deleted = await Promise.all(Array.from({ length: 20 }, () => store.deleteIf(key, "once")));
      expect(deleted.filter(Boolean)).toHaveLength(1);
    });
  });
}
