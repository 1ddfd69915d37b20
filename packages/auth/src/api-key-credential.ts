import { keepCredentialMaterial } from "./credential-material.js";
import { required } from "./input-checks.js";
import { toBaseUrl } from "./origin-policy.js";
import { type SecretRegistration, tokenClient, tokenCredential } from "./token-request.js";
import type { Credential, TokenCallOptions } from "./types.js";

/** Options of {@link createApiKeyCredential}. */
export interface ApiKeyCredentialOptions extends TokenCallOptions {
  /** An API key from Settings → API Keys (`sk_live_…`). A secret: read it from the environment. */
  apiKey: string;
  /**
   * When the key joins the process-wide list that {@link redactSecrets} removes from text: `"created"` (the
   * default) at once; `"accepted"` only once SIMCEL has issued a token for it. A server that takes keys from
   * its callers wants `"accepted"`: a junk "key" such as `"plans":` must never be taught to redaction.
   */
  registerKey?: SecretRegistration | undefined;
}

/** A credential that exchanges an API key for a token (`POST /auth/v1/token`). */
export function createApiKeyCredential(options: ApiKeyCredentialOptions): Credential {
  const { apiKey } = options;
  required(apiKey, "apiKey");
  const baseUrl = toBaseUrl(options.baseUrl, "baseUrl", options.allowInsecureHttp);
  const client = tokenClient(baseUrl, options.fetch);
  const credential = tokenCredential(
    "apiKey",
    baseUrl,
    options,
    [apiKey],
    (signal) => client.POST("/auth/v1/token", { body: { apiKey }, parseAs: "stream", signal }),
    options.registerKey ?? "created",
  );
  keepCredentialMaterial(credential, { secret: apiKey });
  return credential;
}
