// The errors of @simcel/auth. Naming rule, shared with @simcel/insights: the roots carry the family name
// (`SimcelError`, and each package's `SimcelAuthError` / `SimcelApiError`); every other class is named for what
// failed. One constructor shape everywhere: `(message, { …fields, cause })`.
import { SimcelError, type SimcelErrorFields } from "@simcel/core";

/**
 * Base class of every error @simcel/auth throws, a {@link SimcelError}; `code` is stable, messages start with
 * `[@simcel/auth]`. `instanceof` works across copies of the package in one process (its ESM and CJS builds).
 */
export class SimcelAuthError extends SimcelError {
  static override readonly brand: string = "@simcel/auth:SimcelAuthError";
  static override readonly code: string = "auth_error";
  override name = "SimcelAuthError";
  constructor(message: string, fields: SimcelErrorFields = {}) {
    super(`[@simcel/auth] ${message}`, fields);
  }
}

/** What a failed token request knows. */
export interface TokenRequestErrorFields extends SimcelErrorFields {
  /** What the server said (secrets redacted), or what went wrong on the way; may be empty. */
  serverMessage?: string | undefined;
  /** The server's `error`: a reason phrase (`Unauthorized`) or an RFC 6749 code (`invalid_client`). */
  reason?: string | undefined;
  /** The wait the server asked for with `Retry-After` (on 429), in ms. */
  retryAfterMs?: number | undefined;
  /** The origin a redirect pointed to (the request was not followed there). */
  location?: string | undefined;
}
/** @deprecated Use {@link TokenRequestErrorFields}. */
export type TokenRequestErrorOptions = TokenRequestErrorFields;

/**
 * A sign-in failed: the token endpoint refused (`status`, `reason`, the server's message; code
 * `token_request_rejected`), could not be reached or broke off (`status` undefined, code `token_request_failed`,
 * `cause` the network error), or redirected (code `token_request_redirected`, `location` its origin: never followed).
 * Thrown as it is from an API call whose sign-in failed, so `instanceof SimcelError` catches both.
 */
export class TokenRequestError extends SimcelAuthError {
  static override readonly brand: string = "@simcel/auth:SimcelTokenRequestError";
  override name = "TokenRequestError";
  /** What the server said (secrets redacted), or what went wrong on the way; may be empty. */
  readonly serverMessage: string;
  /** The server's `error` field: a reason phrase or an RFC 6749 error code such as `invalid_client`. */
  readonly reason: string | undefined;
  /** `Retry-After` of a 429, in ms. */
  readonly retryAfterMs: number | undefined;
  /** The origin of a redirect that was refused. */
  readonly location: string | undefined;
  constructor(message: string, fields: TokenRequestErrorFields = {}) {
    const { location, status } = fields;
    super(message, {
      ...fields,
      code:
        fields.code ??
        (location ? "token_request_redirected" : status ? "token_request_rejected" : "token_request_failed"),
    });
    this.serverMessage = fields.serverMessage ?? "";
    this.reason = fields.reason;
    this.retryAfterMs = fields.retryAfterMs;
    this.location = location;
  }
}

/** The message of a {@link TokenRequestError} with these fields: a redirect, a refusal, or a failure on the way. */
export function tokenRequestMessage({ status, reason, serverMessage, location }: TokenRequestErrorFields): string {
  if (location)
    return `the token endpoint redirected to ${location}: credentials are never sent after a redirect; point baseUrl at the API itself`;
  if (status)
    return `token request rejected with HTTP ${status}${reason ? ` ${reason}` : ""}${serverMessage ? `: ${serverMessage}` : ""}`;
  return `token request failed: ${serverMessage ?? ""}`;
}

/** A {@link TokenRequestError} whose message says what its fields say. */
export function tokenRequestError(fields: TokenRequestErrorFields): TokenRequestError {
  return new TokenRequestError(tokenRequestMessage(fields), fields);
}

/** The token endpoint answered 2xx with something that is not a usable bearer token. */
export class TokenResponseError extends SimcelAuthError {
  static override readonly brand: string = "@simcel/auth:SimcelTokenResponseError";
  static override readonly code: string = "token_response_invalid";
  override name = "TokenResponseError";
}

/** A credential would have gone to a foreign origin or over plain http: it was not sent. */
export class OriginRefusedError extends SimcelAuthError {
  static override readonly brand: string = "@simcel/auth:SimcelOriginRefusedError";
  static override readonly code: string = "origin_refused";
  override name = "OriginRefusedError";
  /** The origin that was refused. */
  readonly origin: string;
  constructor(message: string, fields: SimcelErrorFields & { origin: string }) {
    super(message, fields);
    this.origin = fields.origin;
  }
}

/** A missing, invalid or contradictory option or environment variable; `setting` names it. */
export class AuthConfigError extends SimcelAuthError {
  static override readonly brand: string = "@simcel/auth:SimcelAuthConfigError";
  static override readonly code: string = "config_invalid";
  override name = "AuthConfigError";
  /** The option or environment variable to set or fix, e.g. `apiKey` or `SIMCEL_CLIENT_SECRET`. */
  readonly setting: string;
  constructor(message: string, fields: SimcelErrorFields & { setting: string }) {
    super(message, fields);
    this.setting = fields.setting;
  }
}

/**
 * A credential that holds a secret (an API key, a client secret) was created in a web page, where everyone who loads
 * the page can read it. Keep the secret on a backend, or give the page a short-lived token through
 * `createStaticCredential`; `dangerouslyAllowBrowser: true` overrides. Code `secret_in_browser`.
 */
export class SecretInBrowserError extends SimcelAuthError {
  static override readonly brand: string = "@simcel/auth:SecretInBrowserError";
  static override readonly code: string = "secret_in_browser";
  override name = "SecretInBrowserError";
  /** The option that held the secret, e.g. `apiKey`. */
  readonly setting: string;
  constructor(message: string, fields: SimcelErrorFields & { setting: string }) {
    super(message, fields);
    this.setting = fields.setting;
  }
}

/** The token cache, credential or middleware was closed; make a new one. Code `closed`. */
export class AuthClosedError extends SimcelAuthError {
  static override readonly brand: string = "@simcel/auth:AuthClosedError";
  static override readonly code: string = "closed";
  override name = "AuthClosedError";
}

/** The error a closed token cache, credential or middleware throws. */
export function closedError(what: string): SimcelAuthError {
  return new AuthClosedError(`the ${what} was closed: create a new one`);
}

/** @deprecated Renamed {@link TokenRequestError}. */
export const SimcelTokenRequestError = TokenRequestError;
/** @deprecated Renamed {@link TokenRequestError}. */
export type SimcelTokenRequestError = TokenRequestError;
/** @deprecated Renamed {@link TokenResponseError}. */
export const SimcelTokenResponseError = TokenResponseError;
/** @deprecated Renamed {@link TokenResponseError}. */
export type SimcelTokenResponseError = TokenResponseError;
/** @deprecated Renamed {@link OriginRefusedError}. */
export const SimcelOriginRefusedError = OriginRefusedError;
/** @deprecated Renamed {@link OriginRefusedError}. */
export type SimcelOriginRefusedError = OriginRefusedError;
/** @deprecated Renamed {@link AuthConfigError}. */
export const SimcelAuthConfigError = AuthConfigError;
/** @deprecated Renamed {@link AuthConfigError}. */
export type SimcelAuthConfigError = AuthConfigError;
