import { keepCredentialMaterial } from "./credential-material.js";
import { checkSecretCredential, required } from "./input-checks.js";
import { toBaseUrl } from "./origin-policy.js";
import { type SecretRegistration, tokenClient, tokenCredential } from "./token-request.js";
import type { Credential, TokenCallOptions } from "./types.js";

/** Options of {@link createClientCredentials}. */
export interface ClientCredentialsOptions extends TokenCallOptions {
  /** The OAuth2 client id. */
  clientId: string;
  /** The OAuth2 client secret. A secret: read it from the environment. */
  clientSecret: string;
  /** Scopes to ask for, e.g. `["insights:read", "plans:read"]`; omitted, the client's own scopes. */
  scopes?: readonly string[] | undefined;
  /**
   * When the secret joins the process-wide redaction list: `"created"` (default) at once, or `"accepted"` once
   * the server issued a token for it. A server that takes secrets typed by strangers wants `"accepted"`.
   */
  registerKey?: SecretRegistration | undefined;
}

/**
 * A credential that uses the OAuth2 client-credentials grant (`POST /oauth/v1/token`, form body). Refused in a web
 * page (`SecretInBrowserError`) unless `dangerouslyAllowBrowser: true`.
 */
export function createClientCredentials(options: ClientCredentialsOptions): Credential {
  const { clientId, clientSecret, scopes = [] } = options;
  required(clientId, "clientId");
  required(clientSecret, "clientSecret");
  checkSecretCredential(options, "clientSecret");
  const baseUrl = toBaseUrl(options.baseUrl, "baseUrl", options.allowInsecureHttp);
  const client = tokenClient(baseUrl, options.userAgent);
  const scope = scopes.join(" ");
  const body = {
    grant_type: "client_credentials" as const,
    client_id: clientId,
    client_secret: clientSecret,
    ...(scope && { scope }),
  };
  const credential = tokenCredential(
    "clientCredentials",
    baseUrl,
    options,
    [clientSecret],
    ({ signal, fetch }) =>
      client.POST("/oauth/v1/token", {
        body,
        bodySerializer: (b) => new URLSearchParams(b),
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        parseAs: "stream",
        signal,
        fetch,
      }),
    options.registerKey ?? "created",
  );
  // tokenCredential registered the secret for redaction (at once, or once accepted)
  keepCredentialMaterial(credential, { secret: clientSecret, clientId, scopes });
  return credential;
}
