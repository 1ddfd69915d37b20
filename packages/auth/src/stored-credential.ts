import { abortReason, callHook, type Logger, log, registerSecret, sleep } from "@simcel/core";
import { credentialMaterial } from "./credential-material.js";
import { AuthConfigError, closedError } from "./errors.js";
import { type Flight, joinFlight } from "./flight.js";
import { safeToLog } from "./safe-to-log.js";
import { createTokenSeal, type TokenSeal, toBase64Url } from "./token-seal.js";
import { type TokenStore, TokenStoreError, type TokenStoreOperation } from "./token-store.js";
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

const noop = () => {};
/** How many recently refused tokens a process remembers, so it never reads one back from the store. */
const refusedMemory = 16;

function positive(value: number | undefined, fallback: number, setting: string): number {
  if (value === undefined) return fallback;
  if (!(typeof value === "number" && value > 0 && value < Infinity))
    throw new AuthConfigError(`${setting} must be a positive number of ms`, { setting });
  return value;
}

/** One lookup shared by the callers of this process that it satisfies. */
interface StoreFlight extends Flight<AccessToken> {
  need: number;
  settled: boolean;
}

/**
 * Wraps `credential` so its tokens are shared through `store` by every process that has the same
 * credential: memory (the token cache) first, then the store, then the token endpoint. The store only
 * ever holds tokens sealed with a key derived from the credential's secret. A store that fails or is
 * slow is reported once per outage and bypassed — a call never fails because of the store.
 */
export function withTokenStore(
  credential: Credential,
  store: TokenStore,
  options: TokenStoreOptions = {},
): StoredCredential {
  const { logger, hooks } = options;
  if (!credential?.getToken) throw new AuthConfigError("credential is required", { setting: "credential" });
  for (const method of ["get", "set", "deleteIf", "lock", "unlock"] as const)
    if (typeof store?.[method] !== "function")
      throw new AuthConfigError(`store must be a TokenStore (it has no ${method} method)`, { setting: "store" });
  if (store.ready !== undefined && typeof store.ready !== "function")
    throw new AuthConfigError("store.ready must be a function when present", { setting: "store" });
  const timeoutMs = positive(options.operationTimeoutMs, 200, "operationTimeoutMs");
  const connectTimeoutMs = positive(options.connectTimeoutMs, 1_000, "connectTimeoutMs");
  const lockTtlMs = positive(options.lockTtlMs, 10_000, "lockTtlMs");
  const waitMs = positive(options.waitMs, 15_000, "waitMs");
  const retryMs = positive(options.retryStoreAfterMs, 5_000, "retryStoreAfterMs");
  const { kind, baseUrl } = credential;
  const material = kind === "static" ? undefined : credentialMaterial(credential);
  if (kind !== "static" && !material)
    log(
      logger,
      "warn",
      "this credential's tokens cannot be shared through the token store (no material was remembered for it); it requests its own",
      { kind },
    );

  // --- the store's health: one report per outage, then the store is left alone for retryMs at a time
  let outage: { since: number; retryAt: number } | undefined;
  const storeUsable = () => !outage || Date.now() >= outage.retryAt;
  const failed = (operation: TokenStoreOperation, cause: unknown, timedOutAfter: number | false) => {
    const now = Date.now();
    if (outage) {
      outage.retryAt = now + retryMs;
      return;
    }
    outage = { since: now, retryAt: now + retryMs };
    const error = new TokenStoreError(
      timedOutAfter
        ? `token store ${operation} took longer than ${timedOutAfter} ms`
        : `token store ${operation} failed${cause instanceof Error ? `: ${cause.name}` : ""}`,
      { operation, cause },
    );
    log(logger, "warn", "token store unavailable: this process requests its own tokens until it answers again", {
      operation,
      reason: timedOutAfter ? "timeout" : reasonOf(cause),
    });
    callHook(hooks?.onStoreError, { operation, error });
  };
  const answered = () => {
    if (!outage) return;
    const outageMs = Date.now() - outage.since;
    outage = undefined;
    log(logger, "info", "token store answering again", { outageMs });
    callHook(hooks?.onStoreRecovered, { outageMs });
  };

  /** One store call, bounded by timeoutMs; undefined when it failed (reported). `late` sees a result that came too late. */
  function attempt<T>(
    operation: TokenStoreOperation,
    run: () => Promise<T>,
    late?: (value: T) => void,
    limitMs = timeoutMs,
  ): Promise<{ value: T } | undefined> {
    return new Promise((resolve) => {
      let done = false;
      const timer = setTimeout(() => {
        done = true;
        failed(operation, undefined, limitMs);
        resolve(undefined);
      }, limitMs);
      let pending: Promise<T>;
      try {
        pending = Promise.resolve(run());
      } catch (error) {
        pending = Promise.reject(error);
      }
      pending.then(
        (value) => {
          if (done) return late?.(value);
          clearTimeout(timer);
          answered();
          resolve({ value });
        },
        (error) => {
          if (done) return;
          clearTimeout(timer);
          failed(operation, error, false);
          resolve(undefined);
        },
      );
    });
  }

  // --- sealing: derived once; without WebCrypto the store is not used (said once)
  let sealing: Promise<TokenSeal | undefined> | undefined;
  const seal = () =>
    (sealing ??= material
      ? createTokenSeal(kind, baseUrl, material).catch((cause) => {
          const error = new TokenStoreError("cannot seal tokens here, the store is not used", {
            operation: "seal",
            cause,
          });
          log(logger, "warn", "cannot seal tokens here (no WebCrypto), the token store is not used", {
            reason: reasonOf(cause),
          });
          callHook(hooks?.onStoreError, { operation: "seal", error });
          return undefined;
        })
      : Promise.resolve(undefined));

  // A store still connecting gets connectTimeoutMs once; after it answered, every call has timeoutMs.
  let connected = !store.ready;
  const connect = async () => {
    if (connected) return true;
    const ready = store.ready?.bind(store) as () => Promise<void>;
    connected = !!(await attempt("ready", ready, undefined, connectTimeoutMs));
    return connected;
  };

  let warnedUnopened = false;
  /** The stored token (undefined if none or unusable); undefined result = the store failed. */
  async function read(s: TokenSeal): Promise<{ token?: AccessToken; raw?: string } | undefined> {
    const got = await attempt("get", () => store.get(s.key));
    if (!got) return undefined;
    if (typeof got.value !== "string") return {};
    const token = await s.open(got.value);
    if (!token && !warnedUnopened) {
      warnedUnopened = true;
      log(
        logger,
        "warn",
        "a stored token did not open (tampered, foreign, or sealed with another secret): ignored, it will be replaced",
      );
    }
    return token ? { token, raw: got.value } : {};
  }

  const refused = new Set<string>();
  const fresh = (token: AccessToken | undefined, need: number): token is AccessToken =>
    !!token && token.expiresAt > need && !refused.has(token.token);

  /** Stores `token` for the fleet, for as long as it lives; never throws (the caller has its token). */
  async function share(s: TokenSeal, token: AccessToken) {
    const ttlMs = token.expiresAt - Date.now();
    if (!(ttlMs > 0 && ttlMs < Infinity)) return;
    // sealed before the clock starts: the time limit is the store's, not WebCrypto's
    const value = await s.seal(token);
    await attempt("set", () => store.set(s.key, value, Math.ceil(ttlMs)));
  }

  /** One lookup: the store, else the lock and a request, else waiting for another process. */
  async function lookup(need: number, signal: AbortSignal, pass: GetTokenOptions): Promise<AccessToken> {
    const started = Date.now();
    const from = (source: "store" | "request", token: AccessToken) => {
      // a token read from the store is this process's secret now: redactSecrets() must know it
      if (source === "store") registerSecret(token.token);
      callHook(hooks?.onTokenSource, { source, waitedMs: Date.now() - started });
      return token;
    };
    const request = async () => from("request", await credential.getToken({ ...pass, signal }));
    const s = await seal();
    if (!s || !storeUsable() || !(await connect())) return request();
    const owner = toBase64Url(globalThis.crypto.getRandomValues(new Uint8Array(16)));
    const deadline = started + waitMs;
    for (let delay = 10; ; delay = Math.min(delay * 2, 250)) {
      signal.throwIfAborted();
      const stored = await read(s);
      if (!stored) return request();
      if (fresh(stored.token, need)) return from("store", stored.token);
      const locked = await attempt(
        "lock",
        () => store.lock(s.key, owner, lockTtlMs),
        // a lock granted after we gave up on it would block the fleet until it expires
        (granted) => granted && store.unlock(s.key, owner).catch(noop),
      );
      if (!locked) return request();
      if (locked.value) {
        try {
          // someone may have stored a token between our read and our lock
          const again = await read(s);
          if (fresh(again?.token, need)) return from("store", again.token);
          const token = await credential.getToken({ ...pass, signal });
          await share(s, token);
          return from("request", token);
        } finally {
          await attempt("unlock", () => store.unlock(s.key, owner));
        }
      }
      if (Date.now() >= deadline) {
        log(logger, "debug", "waited long enough for another process's token: requesting one", {
          waitedMs: Date.now() - started,
        });
        const token = await request();
        await share(s, token);
        return token;
      }
      await sleep(Math.min(delay * (0.75 + Math.random() / 2), deadline - Date.now()), signal);
    }
  }

  // In-process single flight: concurrent callers whose need the running lookup covers share it; the last
  // caller to give up cancels it (its lock is released, its token request aborted).
  let running: StoreFlight | undefined;
  let closed = false;
  const wait = (flight: StoreFlight, signal: AbortSignal | undefined) =>
    joinFlight(flight, signal, () => {
      if (flight.settled) return;
      if (running === flight) running = undefined;
      flight.controller.abort(signal ? abortReason(signal) : undefined);
    });

  async function getToken(options: StoredGetTokenOptions = {}): Promise<AccessToken> {
    const { signal, minValidUntil, ...pass } = options;
    signal?.throwIfAborted();
    if (closed) throw closedError("token store credential");
    if (!material) return credential.getToken({ ...pass, signal });
    for (;;) {
      const need = Math.max(minValidUntil ?? 0, Date.now());
      if (running && running.need >= need) return wait(running, signal);
      if (running) {
        await wait(running, signal).catch(noop);
        signal?.throwIfAborted();
        continue;
      }
      const controller = new AbortController();
      const flight: StoreFlight = { need, controller, waiters: 0, settled: false, promise: undefined as never };
      flight.promise = lookup(need, controller.signal, pass);
      const done = () => {
        flight.settled = true;
        if (running === flight) running = undefined;
      };
      flight.promise.then(done, done);
      running = flight;
      return wait(flight, signal);
    }
  }

  function invalidate(token: string): Promise<void> {
    if (!material || typeof token !== "string") return Promise.resolve();
    refused.add(token);
    if (refused.size > refusedMemory) refused.delete(refused.values().next().value as string);
    return (async () => {
      const s = await seal();
      if (!s || !storeUsable() || !(await connect())) return;
      const got = await attempt("get", () => store.get(s.key));
      if (typeof got?.value !== "string" || (await s.open(got.value))?.token !== token) return;
      // compare-and-delete on the sealed value: a token another process stored meanwhile survives
      await attempt("deleteIf", () => store.deleteIf(s.key, got.value as string));
    })();
  }

  async function close() {
    closed = true;
    running?.controller.abort(closedError("token store credential"));
    running = undefined;
    await credential.close?.();
  }

  return safeToLog(
    "SimcelCredential",
    { kind, baseUrl, shared: !!material, getToken, invalidate, close },
    { kind, baseUrl, shared: !!material },
  );
}

/** A short reason for a log line: an error code (ECONNREFUSED) or the first line of the message. */
function reasonOf(cause: unknown): string {
  const { code, message } = (cause ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === "string" && code) return code;
  return (
    String(message ?? cause)
      .split("\n")[0]
      ?.slice(0, 200) ?? ""
  );
}
