import { rememberCredentialMaterial } from "./credential-material.js";
import { checkSecretCredential, required } from "./input-checks.js";
import { toBaseUrl } from "./origin-policy.js";
import { tokenClient, tokenCredential } from "./token-request.js";
import type { Credential, TokenCallOptions } from "./types.js";

/** Options of {@link createApiKeyCredential}. */
export interface ApiKeyCredentialOptions extends TokenCallOptions {
  /** An API key from Settings → API Keys (`sk_live_…`). A secret: read it from the environment. */
  apiKey: string;
}

/**
 * A credential that exchanges an API key for a token (`POST /auth/v1/token`). Refused in a web page
 * (`SecretInBrowserError`) unless `dangerouslyAllowBrowser: true`.
 */
export function createApiKeyCredential(options: ApiKeyCredentialOptions): Credential {
  const { apiKey } = options;
  required(apiKey, "apiKey");
  checkSecretCredential(options, "apiKey");
  const baseUrl = toBaseUrl(options.baseUrl, "baseUrl", options.allowInsecureHttp);
  const client = tokenClient(baseUrl, options.userAgent);
  const credential = tokenCredential("apiKey", baseUrl, options, [apiKey], ({ signal, fetch }) =>
    client.POST("/auth/v1/token", { body: { apiKey }, parseAs: "stream", signal, fetch }),
  );
  rememberCredentialMaterial(credential, { secret: apiKey });
  return credential;
}
