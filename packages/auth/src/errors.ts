/** Base class of every error @simcel/auth throws; `code` is stable, messages start with `[@simcel/auth]`. */
export class SimcelAuthError extends Error {
  override name = "SimcelAuthError";
  /** A stable machine-readable code. */
  readonly code: string = "auth_error";
  constructor(message: string, options?: ErrorOptions) {
    super(`[@simcel/auth] ${message}`, options);
  }
}

/**
 * The token endpoint refused (`status` and the server's message) or could not be reached
 * (`status` undefined, code `token_request_failed`, `cause` the network error).
 */
export class SimcelTokenRequestError extends SimcelAuthError {
  override name = "SimcelTokenRequestError";
  override readonly code: string;
  constructor(
    /** HTTP status of the token response; undefined when no response arrived. */
    readonly status: number | undefined,
    /** What the server said (secrets it echoed are redacted); empty when it said nothing. */
    readonly serverMessage: string,
    options?: ErrorOptions,
  ) {
    super(
      status
        ? `token request rejected with HTTP ${status}${serverMessage ? `: ${serverMessage}` : ""}`
        : `token request failed: ${serverMessage}`,
      options,
    );
    this.code = status ? "token_request_rejected" : "token_request_failed";
  }
}

/** The token endpoint answered 2xx with something that is not a usable bearer token. */
export class SimcelTokenResponseError extends SimcelAuthError {
  override name = "SimcelTokenResponseError";
  override readonly code = "token_response_invalid";
}

/** A credential would have gone to a foreign origin or over plain http: it was not sent. */
export class SimcelOriginRefusedError extends SimcelAuthError {
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
