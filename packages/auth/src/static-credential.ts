import { registerSecret } from "@simcel/core";
import { AuthConfigError, closedError } from "./errors.js";
import { b64token, required } from "./input-checks.js";
import { toBaseUrl } from "./origin-policy.js";
import { safeToLog } from "./safe-to-log.js";
import type { Credential, GetTokenOptions } from "./types.js";

/** Options of {@link createStaticCredential}. */
export interface StaticCredentialOptions {
  /** A bearer token the caller already has. */
  token: string;
  /** Epoch ms when it expires; omitted, it is used until the server rejects it. */
  expiresAt?: number | undefined;
  /** The origin + path of the API the token is for; default https://app.simcel.io/api. */
  baseUrl?: string | undefined;
  /** Allow a plain-http baseUrl that is not loopback. */
  allowInsecureHttp?: boolean | undefined;
}

/** A credential for a token obtained elsewhere: no token calls, it cannot be renewed. */
export function createStaticCredential(options: StaticCredentialOptions): Credential {
  const { token, expiresAt = Infinity } = options;
  required(token, "token");
  if (!b64token.test(token))
    throw new AuthConfigError("token must be a bearer token (letters, digits, -._~+/ and trailing =)", {
      setting: "token",
    });
  registerSecret(token);
  const baseUrl = toBaseUrl(options.baseUrl, "baseUrl", options.allowInsecureHttp);
  const info = { kind: "static" as const, baseUrl };
  let closed = false;
  return safeToLog(
    "SimcelCredential",
    {
      ...info,
      async getToken({ signal }: GetTokenOptions = {}) {
        signal?.throwIfAborted();
        if (closed) throw closedError("credential");
        if (expiresAt <= Date.now())
          throw new AuthConfigError("the static token has expired: pass a fresh token", { setting: "token" });
        return { token, tokenType: "Bearer" as const, expiresAt };
      },
      async close() {
        closed = true;
      },
    },
    info,
  );
}
