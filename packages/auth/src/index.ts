export { type ApiKeyCredentialOptions, createApiKeyCredential } from "./api-key-credential.js";
export { type AuthMiddlewareOptions, createAuthMiddleware } from "./auth-middleware.js";
export { type ClientCredentialsOptions, createClientCredentials } from "./client-credentials.js";
export { credentialFromEnv, type EnvCredential } from "./env-credential.js";
export {
  SimcelAuthConfigError,
  SimcelAuthError,
  SimcelOriginRefusedError,
  SimcelTokenRequestError,
  SimcelTokenResponseError,
} from "./errors.js";
export type { components as AuthComponents, paths as AuthPaths } from "./generated/openapi.js";
export { defaultBaseUrl, scopes } from "./generated/operations.js";
export { createStaticCredential, type StaticCredentialOptions } from "./static-credential.js";
export {
  type CachedGetTokenOptions,
  createTokenCache,
  type TokenCache,
  type TokenCacheOptions,
} from "./token-cache.js";
export type { AccessToken, Credential, CredentialKind, Fetch, GetTokenOptions, TokenCallOptions } from "./types.js";
