export { createRedactor, redactSecrets, redactValue } from "@simcel/core";
export { type ApiKeyCredentialOptions, createApiKeyCredential } from "./api-key-credential.js";
export { type AuthMiddleware, type AuthMiddlewareOptions, createAuthMiddleware } from "./auth-middleware.js";
export { type ClientCredentialsOptions, createClientCredentials } from "./client-credentials.js";
export { type CredentialMaterial, rememberCredentialMaterial } from "./credential-material.js";
export { credentialFromEnv, type EnvCredential, type EnvCredentialOptions } from "./env-credential.js";
export {
  SimcelAuthConfigError,
  SimcelAuthError,
  SimcelOriginRefusedError,
  SimcelTokenRequestError,
  SimcelTokenResponseError,
  type TokenRequestErrorOptions,
} from "./errors.js";
export type { components as AuthComponents, paths as AuthPaths } from "./generated/openapi.js";
export { defaultBaseUrl, scopes } from "./generated/operations.js";
export { createStaticCredential, type StaticCredentialOptions } from "./static-credential.js";
export type {
  StoredCredential,
  StoredGetTokenOptions,
  StoreErrorEvent,
  TokenSourceEvent,
  TokenStoreHooks,
  TokenStoreOptions,
} from "./stored-credential.js";
export {
  type CachedGetTokenOptions,
  createTokenCache,
  type RefreshErrorEvent,
  type TokenCache,
  type TokenCacheOptions,
  type TokenHooks,
  type TokenRefreshEvent,
} from "./token-cache.js";
export { MAX_TOKEN_LIFETIME_S, type SecretRegistration } from "./token-request.js";
export {
  createMemoryTokenStore,
  SimcelTokenStoreError,
  type TokenStore,
  type TokenStoreOperation,
} from "./token-store.js";
export type {
  AccessToken,
  Credential,
  CredentialKind,
  Fetch,
  GetTokenOptions,
  Logger,
  RetryEvent,
  TokenCallOptions,
} from "./types.js";
