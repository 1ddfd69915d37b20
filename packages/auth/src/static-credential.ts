import { SimcelAuthConfigError } from "./errors.js";
import { opaque } from "./opaque.js";
import { b64token, required, toBaseUrl } from "./transport.js";
import type { Credential } from "./types.js";

/** Options of {@link createStaticCredential}. */
export interface StaticCredentialOptions {
  /** A bearer token the caller already has. */
  token: string;
  /** Epoch ms when it expires; omitted, it is used until the server rejects it. */
  expiresAt?: number;
  /** The origin + path of the API the token is for; default https://app.simcel.io/api. */
  baseUrl?: string;
  /** Allow a plain-http baseUrl that is not loopback. */
  allowInsecureHttp?: boolean;
}

/** A credential for a token obtained elsewhere: no token calls, it cannot be renewed. */
export function createStaticCredential(options: StaticCredentialOptions): Credential {
  const { token, expiresAt = Infinity } = options;
  required(token, "token");
  if (!b64token.test(token))
    throw new SimcelAuthConfigError("token", "token must be a bearer token (letters, digits, -._~+/ and trailing =)");
  const baseUrl = toBaseUrl(options.baseUrl, "baseUrl", options.allowInsecureHttp);
  const info = { kind: "static" as const, baseUrl };
  return opaque(
    "SimcelCredential",
    {
      ...info,
      async getToken({ signal }: { signal?: AbortSignal | undefined } = {}) {
        signal?.throwIfAborted();
        if (expiresAt <= Date.now())
          throw new SimcelAuthConfigError("token", "the static token has expired: pass a fresh token");
        return { token, tokenType: "Bearer" as const, expiresAt };
      },
    },
    info,
  );
}
