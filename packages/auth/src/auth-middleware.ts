import { type Logger, log, TOKEN_REFUSED_HEADER } from "@simcel/core";
import { AuthConfigError, OriginRefusedError } from "./errors.js";
import { checkTransport } from "./origin-policy.js";
import { safeToLog } from "./safe-to-log.js";
import { createTokenCache, disposable, type TokenCache, type TokenHooks } from "./token-cache.js";
import type { TokenStore } from "./token-store.js";
import type { Credential } from "./types.js";

/** Options of {@link createAuthMiddleware}: a credential (a cache is made for it) or a cache to share. */
export type AuthMiddlewareOptions = (
  | { credential: Credential; cache?: never }
  | { cache: TokenCache; credential?: never }
) & {
  /** Origins (or URLs, whose origin counts) that may receive the token; default the credential's base URL origin. */
  allowedOrigins?: readonly string[] | undefined;
  /** Send the token over plain http to hosts other than loopback. Only for trusted networks. */
  allowInsecureHttp?: boolean | undefined;
  /**
   * After a freshly issued token is refused (401) too, answer 401s without asking for new tokens for
   * this long, in ms; default 30 000. A key that is revoked or meant for another environment then
   * costs one token request per cool-down, not one per call.
   */
  refusedCooldownMs?: number | undefined;
  /** Where refreshes, replays and refusals are reported (with a `credential`, the cache made for it logs here too). */
  logger?: Logger | undefined;
  /** Token hooks of the cache made for a `credential` (a `cache` you pass keeps its own). */
  hooks?: TokenHooks | undefined;
  /** A token store shared with other processes, for the cache made for a `credential`. */
  store?: TokenStore | undefined;
};

/**
 * An openapi-fetch middleware (structurally typed, so it fits any openapi-fetch version's `Middleware`)
 * that authenticates a client's requests.
 */
export interface AuthMiddleware {
  /** The credential's base URL: a client built without a base URL of its own can default to it. */
  readonly baseUrl: string;
  onRequest(context: { request: Request }): Promise<Request>;
  onResponse(context: {
    request: Request;
    response: Response;
    options: { fetch: (request: Request) => Promise<Response> };
  }): Promise<Response | undefined>;
  /** Closes the cache made for a `credential` (a `cache` you passed is yours to close). */
  close(): Promise<void>;
}

/** A copy of `response` carrying the header that tells a client a freshly issued token was refused too. */
function markRefused(response: Response): Response {
  const headers = new Headers(response.headers);
  headers.set(TOKEN_REFUSED_HEADER, "fresh-token-refused");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/**
 * An openapi-fetch middleware that authenticates any client's requests: it sets
 * `Authorization: Bearer <token>` on requests to allowed origins (refusing others with a typed error),
 * and on a 401 to a request that carried the token, invalidates it and replays the request once with a
 * fresh one. Register it last (`client.use(...others, auth)`) so it sees the final request.
 */
export function createAuthMiddleware(options: AuthMiddlewareOptions): AuthMiddleware {
  const { credential, allowInsecureHttp, refusedCooldownMs = 30_000, logger, hooks, store } = options;
  if (!options.cache && !credential?.getToken)
    throw new AuthConfigError("credential or cache is required", { setting: "credential" });
  if (!(refusedCooldownMs >= 0 && refusedCooldownMs < Infinity))
    throw new AuthConfigError("refusedCooldownMs must be a finite number of ms, 0 or more", {
      setting: "refusedCooldownMs",
    });
  const owned = !options.cache;
  const cache =
    options.cache ??
    createTokenCache(credential as Credential, {
      ...(logger && { logger }),
      ...(hooks && { hooks }),
      ...(store && { store }),
    });
  // Allowed origin → why it is refused anyway (plain http off loopback), decided once.
  const origins = new Map<string, OriginRefusedError | undefined>();
  for (const value of options.allowedOrigins ?? [cache.credential.baseUrl]) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new AuthConfigError("allowedOrigins must hold absolute URLs such as https://app.simcel.io", {
        setting: "allowedOrigins",
      });
    }
    let refused: OriginRefusedError | undefined;
    try {
      checkTransport(url, allowInsecureHttp);
    } catch (error) {
      refused = error as OriginRefusedError;
    }
    origins.set(url.origin, refused);
  }
  /** The allowed origin `url` belongs to (Request URLs are normalised, so a prefix test is exact). */
  const originOf = (url: string) => {
    for (const origin of origins.keys()) if (url.startsWith(origin) && url[origin.length] === "/") return origin;
    return undefined;
  };
  // Request → the token it carried and, for a request with a body, an unsent copy for one replay.
  const sent = new WeakMap<Request, { token: string; copy: Request | undefined }>();
  /** Until then, a 401 is answered as it is: a freshly issued token was refused too. */
  let refusedUntil = 0;

  const middleware: AuthMiddleware = {
    baseUrl: cache.credential.baseUrl,
    async onRequest({ request }) {
      const origin = originOf(request.url);
      if (!origin) {
        const { origin: other } = new URL(request.url);
        throw new OriginRefusedError(
          `refusing to send credentials to ${other}: add it to allowedOrigins if it is yours`,
          { origin: other },
        );
      }
      const refused = origins.get(origin);
      if (refused)
        throw new OriginRefusedError(refused.message.replace(/^\[@simcel\/auth\] /, ""), { origin: refused.origin });
      const { token } = await cache.getToken(request.signal ? { signal: request.signal } : {});
      request.headers.set("Authorization", `Bearer ${token}`);
      // A body can be read once, so a request with one is copied before it is sent; one without is
      // copied only if it is ever replayed (most never are).
      sent.set(request, { token, copy: request.body === null ? undefined : request.clone() });
      return request;
    },
    async onResponse({ request, response, options: { fetch } }) {
      const first = response.status === 401 ? sent.get(request) : undefined;
      if (!first) return undefined;
      if (Date.now() < refusedUntil) return markRefused(response);
      cache.invalidate(first.token);
      const { token } = await cache.getToken(request.signal ? { signal: request.signal } : {});
      // a credential that cannot renew (a static token) would only earn the same 401 again
      if (token === first.token) return undefined;
      await response.body?.cancel();
      const replay = first.copy ?? new Request(request);
      replay.headers.set("Authorization", `Bearer ${token}`);
      // straight to fetch: the replay does not come back through onResponse, so it happens at most once
      const answer = await fetch(replay);
      if (answer.status !== 401) return answer;
      refusedUntil = Date.now() + refusedCooldownMs;
      log(
        logger,
        "warn",
        `a freshly issued token was refused (401) too: no new token for ${refusedCooldownMs} ms; is the key revoked, or meant for another base URL?`,
      );
      return markRefused(answer);
    },
    async close() {
      if (owned) await cache.close();
    },
  };
  return safeToLog("SimcelAuthMiddleware", disposable(middleware), {
    baseUrl: middleware.baseUrl,
    allowedOrigins: [...origins.keys()],
  });
}
