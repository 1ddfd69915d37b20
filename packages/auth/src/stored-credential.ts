// A credential whose tokens are shared through a token store, in parts: its options (store-options.ts), the bounded
// store calls and the store's health (store-calls.ts), the seal (store-sealing.ts), the lookup through the store
// (store-lookup.ts); here, the single flight of this process's callers, invalidation and closing.
import { abortReason, log } from "@simcel/core";
import { credentialMaterial } from "./credential-material.js";
import { closedError } from "./errors.js";
import { type Flight, joinFlight } from "./flight.js";
import { safeToLog } from "./safe-to-log.js";
import { createStoreCalls } from "./store-calls.js";
import { createLookup } from "./store-lookup.js";
import {
  resolveStoreSettings,
  type StoredCredential,
  type StoredGetTokenOptions,
  type TokenStoreOptions,
} from "./store-options.js";
import { sealOnce } from "./store-sealing.js";
import type { TokenStore } from "./token-store.js";
import type { AccessToken, Credential } from "./types.js";

export type {
  StoredCredential,
  StoredGetTokenOptions,
  StoreErrorEvent,
  TokenSourceEvent,
  TokenStoreHooks,
  TokenStoreOptions,
} from "./store-options.js";

const noop = () => {};
/** How many recently refused tokens a process remembers, so it never reads one back from the store. */
const refusedMemory = 16;

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
  const settings = resolveStoreSettings(credential, store, options);
  const { kind, baseUrl } = credential;
  const material = kind === "static" ? undefined : credentialMaterial(credential);
  if (kind !== "static" && !material)
    log(
      settings.logger,
      "warn",
      "this credential's tokens cannot be shared through the token store (no material was remembered for it); it requests its own",
      { kind },
    );
  const calls = createStoreCalls(store, settings);
  const seal = sealOnce(kind, baseUrl, material, settings);
  const refused = new Set<string>();
  const { lookup } = createLookup({ credential, store, calls, settings, refused, seal });

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
      if (!s || !calls.usable() || !(await calls.connect())) return;
      const got = await calls.call("get", () => store.get(s.key));
      if (typeof got?.value !== "string" || (await s.open(got.value))?.token !== token) return;
      // compare-and-delete on the sealed value: a token another process stored meanwhile survives
      await calls.call("deleteIf", () => store.deleteIf(s.key, got.value as string));
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
