import type { Middleware } from "openapi-fetch";
import { SimcelAuthConfigError, SimcelOriginRefusedError } from "./errors.js";
import { opaque } from "./opaque.js";
import { createTokenCache, type TokenCache } from "./token-cache.js";
import { checkTransport } from "./transport.js";
import type { Credential } from "./types.js";

/** Options of {@link createAuthMiddleware}: a credential (a cache is made for it) or a cache to share. */
export type AuthMiddlewareOptions = (
  | { credential: Credential; cache?: never }
  | { cache: TokenCache; credential?: never }
) & {
  /** Origins (or URLs, whose origin counts) that may receive the token; default the credential's base URL origin. */
  allowedOrigins?: readonly string[];
  /** Send the token over plain http to hosts other than loopback. Only for trusted networks. */
  allowInsecureHttp?: boolean;
};

/**
 * An openapi-fetch middleware that authenticates any client's requests: it sets
 * `Authorization: Bearer <token>` on requests to allowed origins (refusing others with a typed error),
 * and on a 401 to a request that carried the token, invalidates it and replays the request once with a
 * fresh one. Register it last (`client.use(...others, auth)`) so it sees the final request.
 */
export function createAuthMiddleware(options: AuthMiddlewareOptions): Middleware {
  const { credential, allowInsecureHttp } = options;
  if (!options.cache && !credential?.getToken)
    throw new SimcelAuthConfigError("credential", "credential or cache is required");
  const cache = options.cache ?? createTokenCache(credential as Credential);
  let origins: Set<string>;
  try {
    origins = new Set((options.allowedOrigins ?? [cache.credential.baseUrl]).map((u) => new URL(u).origin));
  } catch {
    throw new SimcelAuthConfigError(
      "allowedOrigins",
      "allowedOrigins must hold absolute URLs such as https://app.simcel.io",
    );
  }
  // Request → the token it carried and an unsent copy of it, for one replay.
  const sent = new WeakMap<Request, { token: string; copy: Request }>();
  return opaque(
    "SimcelAuthMiddleware",
    {
      async onRequest({ request }) {
        const url = new URL(request.url);
        if (!origins.has(url.origin))
          throw new SimcelOriginRefusedError(
            url.origin,
            `refusing to send credentials to ${url.origin}: add it to allowedOrigins if it is yours`,
          );
        checkTransport(url, allowInsecureHttp);
        const { token } = await cache.getToken({ signal: request.signal });
        request.headers.set("Authorization", `Bearer ${token}`);
        // cloned before the send: a body can be read once, and a replayed POST needs it again
        sent.set(request, { token, copy: request.clone() });
        return request;
      },
      async onResponse({ request, response, options: { fetch } }) {
        const first = response.status === 401 && sent.get(request);
        if (!first) return;
        cache.invalidate(first.token);
        const { token } = await cache.getToken({ signal: request.signal });
        // a credential that cannot renew (a static token) would only earn the same 401 again
        if (token === first.token) return;
        await response.body?.cancel();
        first.copy.headers.set("Authorization", `Bearer ${token}`);
        // straight to fetch: the replay does not come back through onResponse, so it happens at most once
        return fetch(first.copy);
      },
    },
    { allowedOrigins: [...origins] },
  );
}
