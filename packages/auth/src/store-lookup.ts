// Finding a token through the store, for one process's callers at once: the stored token if it is fresh enough, else
// one requested under the fleet's lock and stored for the others, else the one another process is requesting (or,
// after waitMs, our own). Tokens are stored sealed with a key derived from the credential's secret.
import { callHook, log, registerSecret, sleep } from "@simcel/core";
import type { StoreCalls } from "./store-calls.js";
import type { StoreSettings } from "./store-options.js";
import { type TokenSeal, toBase64Url } from "./token-seal.js";
import type { TokenStore } from "./token-store.js";
import type { AccessToken, Credential, GetTokenOptions } from "./types.js";

const noop = () => {};

/** What a lookup needs: the credential and store, their calls, and the tokens this process saw refused. */
export interface LookupContext {
  credential: Credential;
  store: TokenStore;
  calls: StoreCalls;
  settings: StoreSettings;
  /** Tokens the API refused: never taken from the store again. */
  refused: Set<string>;
  /** The credential's seal, undefined when tokens cannot be sealed here. */
  seal: () => Promise<TokenSeal | undefined>;
}

/** Reads and stores sealed tokens, and runs lookups. */
export function createLookup(ctx: LookupContext) {
  const { credential, store, calls, settings, refused } = ctx;
  const { logger, hooks } = settings;
  let warnedUnopened = false;

  /** The stored token (undefined if none or unusable); undefined result = the store failed. */
  async function read(s: TokenSeal): Promise<{ token?: AccessToken; raw?: string } | undefined> {
    const got = await calls.call("get", () => store.get(s.key));
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

  const fresh = (token: AccessToken | undefined, need: number): token is AccessToken =>
    !!token && token.expiresAt > need && !refused.has(token.token);

  /** Stores `token` for the fleet, for as long as it lives; never throws (the caller has its token). */
  async function share(s: TokenSeal, token: AccessToken) {
    const ttlMs = token.expiresAt - Date.now();
    if (!(ttlMs > 0 && ttlMs < Infinity)) return;
    // sealed before the clock starts: the time limit is the store's, not WebCrypto's
    const value = await s.seal(token);
    await calls.call("set", () => store.set(s.key, value, Math.ceil(ttlMs)));
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
    const s = await ctx.seal();
    if (!s || !calls.usable() || !(await calls.connect())) return request();
    const owner = toBase64Url(globalThis.crypto.getRandomValues(new Uint8Array(16)));
    const deadline = started + settings.waitMs;
    for (let delay = 10; ; delay = Math.min(delay * 2, 250)) {
      signal.throwIfAborted();
      const stored = await read(s);
      if (!stored) return request();
      if (fresh(stored.token, need)) return from("store", stored.token);
      const locked = await calls.call(
        "lock",
        () => store.lock(s.key, owner, settings.lockTtlMs),
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
          await calls.call("unlock", () => store.unlock(s.key, owner));
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

  return { lookup };
}
