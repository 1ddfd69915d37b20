// Calls to a token store, each bounded in time, and the store's health: a failure is reported once per outage, then
// the store is left alone for a while; a store still connecting gets one longer wait. A call never throws.
import { callHook, log } from "@simcel/core";
import type { StoreSettings } from "./store-options.js";
import { type TokenStore, TokenStoreError, type TokenStoreOperation } from "./token-store.js";

/** A token store behind time limits and outage reporting. */
export interface StoreCalls {
  /** False while the store is left alone after a failure. */
  usable(): boolean;
  /** One store call, bounded; undefined when it failed (reported). `late` sees a result that came too late. */
  call<T>(
    operation: TokenStoreOperation,
    run: () => Promise<T>,
    late?: (value: T) => void,
    limitMs?: number,
  ): Promise<{ value: T } | undefined>;
  /** Waits once for a store still connecting (`store.ready()`); false when it did not get ready. */
  connect(): Promise<boolean>;
}

/** The bounded, health-tracked calls to `store`. */
export function createStoreCalls(store: TokenStore, settings: StoreSettings): StoreCalls {
  const { logger, hooks, retryMs, timeoutMs, connectTimeoutMs } = settings;
  let outage: { since: number; retryAt: number } | undefined;
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

  function call<T>(
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

  // A store still connecting gets connectTimeoutMs once; after it answered, every call has timeoutMs.
  let connected = !store.ready;
  return {
    usable: () => !outage || Date.now() >= outage.retryAt,
    call,
    async connect() {
      if (connected) return true;
      const ready = store.ready?.bind(store) as () => Promise<void>;
      connected = !!(await call("ready", ready, undefined, connectTimeoutMs));
      return connected;
    },
  };
}

/** A short reason for a log line: an error code (ECONNREFUSED) or the first line of the message. */
export function reasonOf(cause: unknown): string {
  const { code, message } = (cause ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === "string" && code) return code;
  return (
    String(message ?? cause)
      .split("\n")[0]
      ?.slice(0, 200) ?? ""
  );
}
