import { credentialMaterial } from "./credential-material.js";
import { SimcelAuthConfigError } from "./errors.js";
import { opaque } from "./opaque.js";
import { createTokenSeal, type TokenSeal, toBase64Url } from "./token-seal.js";
import {
  SimcelTokenStoreError,
  type TokenStore,
  type TokenStoreLogger,
  type TokenStoreOperation,
} from "./token-store.js";
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
  logger?: TokenStoreLogger | undefined;
  /** Observability hooks; a hook that throws is ignored. */
  hooks?: TokenStoreHooks | undefined;
}

/** Hooks of {@link withTokenStore}. */
export interface TokenStoreHooks {
  /** The store failed or timed out: called once per outage (the first failure), not per call. */
  onStoreError?(event: { operation: TokenStoreOperation; error: SimcelTokenStoreError }): void;
  /** The store answered again after an outage of `outageMs`. */
  onStoreRecovered?(event: { outageMs: number }): void;
  /** Where a token came from: the shared store (no token request) or a token request; `waitedMs` for it. */
  onTokenSource?(event: { source: "store" | "request"; waitedMs: number }): void;
}

/** Options of a `getToken` call through a store. */
export interface StoredGetTokenOptions extends GetTokenOptions {
  /** Epoch ms: a stored token expiring at or before it is not good enough (refresh ahead); default now. */
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
}

const noop = () => {};
/** How many recently refused tokens a process remembers, so it never reads one back from the store. */
const refusedMemory = 16;

function positive(value: number | undefined, fallback: number, setting: string): number {
  if (value === undefined) return fallback;
  if (!(typeof value === "number" && value > 0 && value < Infinity))
    throw new SimcelAuthConfigError(setting, `${setting} must be a positive number of ms`);
  return value;
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
  if (!credential?.getToken) throw new SimcelAuthConfigError("credential", "credential is required");
  for (const method of ["get", "set", "deleteIf", "lock", "unlock"] as const)
    if (typeof store?.[method] !== "function")
      throw new SimcelAuthConfigError("store", `store must be a TokenStore (it has no ${method} method)`);
  if (store.ready !== undefined && typeof store.ready !== "function")
    throw new SimcelAuthConfigError("store", "store.ready must be a function when present");
  const timeoutMs = positive(options.operationTimeoutMs, 200, "operationTimeoutMs");
  const connectTimeoutMs = positive(options.connectTimeoutMs, 1_000, "connectTimeoutMs");
  const lockTtlMs = positive(options.lockTtlMs, 10_000, "lockTtlMs");
  const waitMs = positive(options.waitMs, 15_000, "waitMs");
  const retryMs = positive(options.retryStoreAfterMs, 5_000, "retryStoreAfterMs");
  const { kind, baseUrl } = credential;
  const material = kind === "static" ? undefined : credentialMaterial(credential);
  if (kind !== "static" && !material)
    logger?.warn?.(
      "[@simcel/auth] this credential's tokens cannot be shared through the token store (no material was remembered for it); it requests its own",
      { kind },
    );
  const call = (hook: keyof TokenStoreHooks, event: never) => {
    try {
      (hooks?.[hook] as ((e: unknown) => void) | undefined)?.(event);
    } catch {}
  };

  // --- the store's health: one report per outage, then the store is left alone for retryMs at a time
  let outage: { since: number; retryAt: number } | undefined;
  const storeUsable = () => !outage || Date.now() >= outage.retryAt;
  const failed = (operation: TokenStoreOperation, cause: unknown, timedOut: number | false) => {
    const now = Date.now();
    if (outage) {
      outage.retryAt = now + retryMs;
      return;
    }
    outage = { since: now, retryAt: now + retryMs };
    const error = new SimcelTokenStoreError(
      operation,
      timedOut
        ? `token store ${operation} took longer than ${timedOut} ms`
        : `token store ${operation} failed${cause instanceof Error ? `: ${cause.name}` : ""}`,
      { cause },
    );
    logger?.warn?.(
      "[@simcel/auth] token store unavailable: this process requests its own tokens until it answers again",
      { operation, reason: timedOut ? "timeout" : reasonOf(cause) },
    );
    call("onStoreError", { operation, error } as never);
  };
  const answered = () => {
    if (!outage) return;
    const outageMs = Date.now() - outage.since;
    outage = undefined;
    logger?.info?.("[@simcel/auth] token store answering again", { outageMs });
    call("onStoreRecovered", { outageMs } as never);
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
          const error = new SimcelTokenStoreError("seal", "cannot seal tokens here, the store is not used", { cause });
          logger?.warn?.(`[@simcel/auth] ${error.message}`, { reason: cause instanceof Error ? cause.message : "" });
          call("onStoreError", { operation: "seal", error } as never);
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
      logger?.warn?.(
        "[@simcel/auth] a stored token did not open (tampered, foreign, or sealed with another secret): ignored, it will be replaced",
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

  /** One flight: the store, else the lock and a request, else waiting for another process. */
  async function flight(need: number): Promise<AccessToken> {
    const started = Date.now();
    const from = (source: "store" | "request", token: AccessToken) => {
      call("onTokenSource", { source, waitedMs: Date.now() - started } as never);
      return token;
    };
    const request = async () => from("request", await credential.getToken());
    const s = await seal();
    if (!s || !storeUsable() || !(await connect())) return request();
    const owner = toBase64Url(globalThis.crypto.getRandomValues(new Uint8Array(16)));
    const deadline = started + waitMs;
    for (let delay = 10; ; delay = Math.min(delay * 2, 250)) {
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
          const token = await credential.getToken();
          await share(s, token);
          return from("request", token);
        } finally {
          await attempt("unlock", () => store.unlock(s.key, owner));
        }
      }
      if (Date.now() >= deadline) {
        logger?.debug?.("[@simcel/auth] waited long enough for another process's token: requesting one", {
          waitedMs: Date.now() - started,
        });
        const token = await request();
        await share(s, token);
        return token;
      }
      const pause = Math.min(delay * (0.75 + Math.random() / 2), deadline - Date.now());
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  // In-process single flight: concurrent callers whose need the running flight covers share it.
  let running: { need: number; promise: Promise<AccessToken> } | undefined;
  async function getToken({ signal, minValidUntil }: StoredGetTokenOptions = {}): Promise<AccessToken> {
    signal?.throwIfAborted();
    if (!material) return credential.getToken(signal ? { signal } : {});
    for (;;) {
      const need = Math.max(minValidUntil ?? 0, Date.now());
      if (running && running.need >= need) return abortable(running.promise, signal);
      if (running) {
        await abortable(running.promise, signal).catch(noop);
        signal?.throwIfAborted();
        continue;
      }
      const current = { need, promise: flight(need) };
      running = current;
      const done = () => {
        if (running === current) running = undefined;
      };
      current.promise.then(done, done);
      return abortable(current.promise, signal);
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

  return opaque(
    "SimcelCredential",
    { kind, baseUrl, shared: !!material, getToken, invalidate },
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

/** `promise`, or the signal's abort reason if it aborts first; the promise itself runs on. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
