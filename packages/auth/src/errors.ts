import { hasBrand, stampBrands } from "@simcel/core";

/**
 * Base class of every error @simcel/auth throws; `code` is stable, messages start with `[@simcel/auth]`.
 * `instanceof` works across copies of the package in one process (its ESM and CJS builds).
 */
export class SimcelAuthError extends Error {
  /** The class's identity across copies of the package; see `instanceof`. */
  static readonly brand: string = "@simcel/auth:SimcelAuthError";
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class `instanceof` asks about, a subclass included
    return hasBrand(value, this.brand);
  }
  override name = "SimcelAuthError";
  /** A stable machine-readable code (`config_invalid`, `token_request_rejected`, …); never the server's words. */
  readonly code: string = "auth_error";
  constructor(message: string, options?: ErrorOptions) {
    super(`[@simcel/auth] ${message}`, options);
    stampBrands(this);
  }
}

/** What else a failed token request knows. */
export interface TokenRequestErrorOptions extends ErrorOptions {
  /** The server's `error`: a reason phrase (`Unauthorized`) or an RFC 6749 code (`invalid_client`). */
  reason?: string | undefined;
  /** The wait the server asked for with `Retry-After` (on 429), in ms. */
  retryAfterMs?: number | undefined;
  /** The origin a redirect pointed to (the request was not followed there). */
  location?: string | undefined;
}

/**
 * The token endpoint refused (`status`, `reason`, the server's message; code `token_request_rejected`),
 * could not be reached or broke off (`status` undefined, code `token_request_failed`, `cause` the network
 * error), or redirected (code `token_request_redirected`, `location` its origin: never followed).
 */
export class SimcelTokenRequestError extends SimcelAuthError {
  static override readonly brand: string = "@simcel/auth:SimcelTokenRequestError";
  override name = "SimcelTokenRequestError";
  override readonly code: string;
  /** The server's `error` field: a reason phrase or an RFC 6749 error code such as `invalid_client`. */
  readonly reason: string | undefined;
  /** `Retry-After` of a 429, in ms. */
  readonly retryAfterMs: number | undefined;
  /** The origin of a redirect that was refused. */
  readonly location: string | undefined;
  constructor(
    /** HTTP status of the token response; undefined when no response arrived. */
    readonly status: number | undefined,
    /** What the server said (secrets redacted), or what went wrong on the way; may be empty. */
    readonly serverMessage: string,
    { reason, retryAfterMs, location, ...options }: TokenRequestErrorOptions = {},
  ) {
    super(
      location
        ? `the token endpoint redirected to ${location}: credentials are never sent after a redirect; point baseUrl at the API itself`
        : status
          ? `token request rejected with HTTP ${status}${reason ? ` ${reason}` : ""}${serverMessage ? `: ${serverMessage}` : ""}`
          : `token request failed: ${serverMessage}`,
      options,
    );
    this.code = location ? "token_request_redirected" : status ? "token_request_rejected" : "token_request_failed";
    this.reason = reason;
    this.retryAfterMs = retryAfterMs;
    this.location = location;
  }
}

/** The token endpoint answered 2xx with something that is not a usable bearer token. */
export class SimcelTokenResponseError extends SimcelAuthError {
  static override readonly brand: string = "@simcel/auth:SimcelTokenResponseError";
  override name = "SimcelTokenResponseError";
  override readonly code = "token_response_invalid";
}

/** A credential would have gone to a foreign origin or over plain http: it was not sent. */
export class SimcelOriginRefusedError extends SimcelAuthError {
  static override readonly brand: string = "@simcel/auth:SimcelOriginRefusedError";
  override name = "SimcelOriginRefusedError";
  override readonly code = "origin_refused";
  constructor(
    /** The origin that was refused. */
    readonly origin: string,
    message: string,
  ) {
    super(message);
  }
}

/** A missing, invalid or contradictory option or environment variable; `setting` names it. */
export class SimcelAuthConfigError extends SimcelAuthError {
  static override readonly brand: string = "@simcel/auth:SimcelAuthConfigError";
  override name = "SimcelAuthConfigError";
  override readonly code = "config_invalid";
  constructor(
    /** The option or environment variable to set or fix, e.g. `apiKey` or `SIMCEL_CLIENT_SECRET`. */
    readonly setting: string,
    message: string,
  ) {
    super(message);
  }
}

/** The token cache, credential or middleware was closed; make a new one. Code `closed`. */
export function closedError(what: string): SimcelAuthError {
  return Object.assign(new SimcelAuthError(`the ${what} was closed: create a new one`), { code: "closed" });
}
