import type { Fetch, Logger, RetryEvent } from "@simcel/core";

export type { Fetch, Logger, RetryEvent };

/** A bearer token and when it stops being valid. */
export interface AccessToken {
  /** The bearer token itself: a secret. */
  readonly token: string;
  readonly tokenType: "Bearer";
  /** Epoch ms after which the token must not be used (Infinity when unknown). */
  readonly expiresAt: number;
}

/** Options of a single `getToken` call. */
export interface GetTokenOptions {
  /** Aborts this caller's wait only. */
  signal?: AbortSignal | undefined;
  /** Where the token request reports its retries (the token cache passes its own). */
  logger?: Logger | undefined;
  /** Called before each retry of the token request. */
  onRetry?: ((event: RetryEvent) => void) | undefined;
}

/** Which kind of secret a credential holds. */
export type CredentialKind = "apiKey" | "clientCredentials" | "static";

/** Knows how to get one token; wrap it in a token cache (the middleware does) to reuse tokens. */
export interface Credential {
  readonly kind: CredentialKind;
  /** Origin + path used for token calls; its origin is where the middleware sends the token by default. */
  readonly baseUrl: string;
  /** Gets a fresh token (a network call for the API key and client-credentials kinds). */
  getToken(options?: GetTokenOptions): Promise<AccessToken>;
  /** Aborts token requests in flight and refuses new ones (`SimcelAuthError` code `closed`). */
  close?(): Promise<void>;
}

/** Options every token-fetching credential shares. */
export interface TokenCallOptions {
  /** Where the token endpoints live; default https://app.simcel.io/api. */
  baseUrl?: string | undefined;
  /** A fetch to use instead of `globalThis.fetch` (tests, proxies, instrumentation). */
  fetch?: Fetch | undefined;
  /** Allow a plain-http baseUrl that is not loopback. Only for trusted networks: the secret travels in clear. */
  allowInsecureHttp?: boolean | undefined;
  /** Give up one token request attempt after this many ms (then it is retried); default 30 000. */
  timeoutMs?: number | undefined;
  /**
   * Your product, named first in the User-Agent of token requests (`acme-planner/2.1`): `name/version` tokens
   * separated by spaces. The SDK always names itself: `simcel-sdk-typescript/<version> <runtime>/<version>`.
   */
  userAgent?: string | undefined;
  /**
   * Run in a web page anyway. A key or client secret in a page is readable by everyone who loads it: keep it on a
   * backend, or hand the page a short-lived token with `createStaticCredential`. Default false: refused there.
   */
  dangerouslyAllowBrowser?: boolean | undefined;
}
