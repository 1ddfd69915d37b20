// A TokenStore on Redis, so a fleet of processes (replicas, serverless functions) shares one SIMCEL token.
// @simcel/auth seals every value before it gets here; this module only keeps strings with a TTL, an
// atomic lock (SET NX PX) and an atomic compare-and-delete (a Lua script).

import { createClient, type RedisClientOptions } from "@redis/client";
import type { TokenStore } from "@simcel/auth";

/**
 * The commands the store uses, as node-redis clients (`@redis/client` or `redis`, 4.x to 6.x, a single
 * node or `createCluster`) offer them. A client you pass stays yours: the store never connects or closes it.
 */
export interface RedisClientLike {
  get(key: string): Promise<unknown>;
  set(key: string, value: string, options: { NX?: boolean; PX?: number }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  /** node-redis says false while it is (re)connecting: the store then fails fast instead of queueing. */
  readonly isReady?: boolean;
}

/** Where the store's Redis is: a URL (the store creates, connects and closes its client) or a client you have. */
export type RedisConnection =
  | {
      /** `redis://[[user]:password@]host[:port][/db]` or `rediss://…` for TLS. */
      url: string;
      /** More options for the client the store creates (TLS, timeouts); `url` wins over theirs. */
      clientOptions?: Omit<RedisClientOptions, "url">;
      client?: never;
    }
  | { client: RedisClientLike; url?: never };

/** Options of {@link createRedisTokenStore}. */
export interface RedisTokenStoreOptions {
  /** Prepended to every key; default `simcel:token:`. */
  keyPrefix?: string;
}

/** A {@link TokenStore} on Redis. */
export interface RedisTokenStore extends TokenStore {
  /** Closes the client the store created from a `url`; a client you passed is left open. */
  close(): Promise<void>;
}

// Atomic compare-and-delete: GET and DEL in one script, so a value written in between is never deleted.
const deleteIfScript = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) else return 0 end`;

const fail = (message: string) => new Error(`[@simcel/token-store-redis] ${message}`);

/**
 * A token store on Redis for `withTokenStore` / `createAuthMiddleware({ credential, store })`. Every key
 * has a TTL; the lock is `SET NX PX`; compare-and-delete is a Lua script. An entry's value and its lock
 * share a hash tag (`prefix{entry}` and `prefix{entry}:lock`), so they live in one slot of a Redis Cluster.
 */
export function createRedisTokenStore(
  connection: RedisConnection,
  options: RedisTokenStoreOptions = {},
): RedisTokenStore {
  const { keyPrefix = "simcel:token:" } = options;
  if (typeof keyPrefix !== "string") throw fail("keyPrefix must be a string");
  const own = typeof connection?.url === "string";
  if (!own && typeof connection?.client?.eval !== "function")
    throw fail("pass { url } or { client } (a connected node-redis client)");
  if (own && !connection.url) throw fail("url is required, e.g. redis://127.0.0.1:6379");

  let client: RedisClientLike;
  let ready: () => Promise<void>;
  let shutdown = async () => {};
  if (own) {
    const created = createClient({
      ...connection.clientOptions,
      url: connection.url,
      // while Redis is away, fail at once instead of queueing: the caller then works without the store
      disableOfflineQueue: true,
    });
    // Errors reach the caller through the failing commands; without a listener Node would crash on them.
    let unreachable = false;
    created.on("error", () => {
      if (!created.isReady) unreachable = true;
    });
    created.on("ready", () => {
      unreachable = false;
    });
    // Connected at once, not on first use: the first token request of a process is when the store is
    // needed most, and a connection set up then would eat into the caller's time limit for the call.
    const connecting = created.connect().catch(() => {});
    ready = async () => {
      if (created.isReady) return;
      if (unreachable) throw fail("Redis is not reachable");
      await connecting;
      if (!created.isReady) throw fail("Redis is not reachable");
    };
    shutdown = async () => {
      if (created.isReady) await created.close();
      else created.destroy();
      await connecting;
    };
    client = created as unknown as RedisClientLike;
  } else {
    client = connection.client as RedisClientLike;
    ready = async () => {
      if (client.isReady === false) throw fail("the Redis client is not ready");
    };
  }

  let closed = false;
  const checkKey = (key: string) => {
    if (typeof key !== "string" || !/^[\w-]{1,128}$/.test(key))
      throw fail("token store keys are 1–128 characters from A-Z a-z 0-9 _ -");
  };
  const valueKey = (key: string) => `${keyPrefix}{${key}}`;
  const lockKey = (key: string) => `${keyPrefix}{${key}}:lock`;
  const ttl = (ttlMs: number) => {
    if (!(ttlMs > 0 && ttlMs < Infinity)) throw fail("ttlMs must be a positive number");
    return Math.ceil(ttlMs);
  };
  const run = async <T>(key: string, command: () => Promise<T>): Promise<T> => {
    checkKey(key);
    if (closed) throw fail("the token store is closed");
    await ready();
    return command();
  };
  const deleteIf = (key: string, expected: string) =>
    client.eval(deleteIfScript, { keys: [key], arguments: [expected] }).then((deleted) => Number(deleted) === 1);

  const store: RedisTokenStore = {
    get: (key) =>
      run(key, async () => {
        const value = await client.get(valueKey(key));
        return value === null || value === undefined ? undefined : String(value);
      }),
    set: (key, value, ttlMs) =>
      run(key, async () => {
        await client.set(valueKey(key), value, { PX: ttl(ttlMs) });
      }),
    deleteIf: (key, expected) => run(key, () => deleteIf(valueKey(key), expected)),
    lock: (key, owner, ttlMs) =>
      run(key, async () => (await client.set(lockKey(key), owner, { NX: true, PX: ttl(ttlMs) })) !== null),
    unlock: (key, owner) => run(key, () => deleteIf(lockKey(key), owner)),
    // the connection the store opened at once; a client of yours must be connected already
    ready: async () => {
      if (closed) throw fail("the token store is closed");
      await ready();
    },
    async close() {
      if (closed) return;
      closed = true;
      await shutdown();
    },
  };
  // what a log line or an inspection of the store shows: never the URL (it may hold a password)
  const info = { keyPrefix, ownClient: own };
  return Object.assign(store, {
    toJSON: () => info,
    toString: () => `SimcelRedisTokenStore ${JSON.stringify(info)}`,
    [Symbol.for("nodejs.util.inspect.custom")]: () => `SimcelRedisTokenStore ${JSON.stringify(info)}`,
  });
}
