import { SimcelError, type SimcelErrorFields } from "@simcel/core";

/**
 * What an error knows about the failed call, for any class of this package (each keeps the fields it documents).
 * Never a header other than the request id: no token can leak.
 */
export interface SimcelErrorInit extends SimcelErrorFields {
  /** The HTTP status; `undefined` when no response came (network, timeout) or the check was local. */
  status?: number | undefined;
  /** The server's `error` field: a reason phrase such as `Not Found`. */
  reason?: string | undefined;
  /** What the server said (`message`), with every secret redacted. */
  serverMessage?: string | undefined;
  /** The `X-Request-Id` response header, for support. */
  requestId?: string | undefined;
  /** The operation id of the call, e.g. `getPnlSummary`. */
  operation?: string | undefined;
  /** The HTTP method of the call. */
  method?: string | undefined;
  /** The API path of the call, without base URL or query string. */
  path?: string | undefined;
  /** The wait the server asked for in `Retry-After`, in ms. */
  retryAfterMs?: number | undefined;
  /** The parameter a check rejected. */
  param?: string | undefined;
  /** The scope the operation needs (on 403). */
  scope?: string | undefined;
  /** Why a 401 is likely not a passing expiry (a freshly issued token was refused too). */
  hint?: string | undefined;
  /** The origin a refused redirect pointed to. */
  location?: string | undefined;
  /** The JSON pointer of the first field of a response that broke the spec. */
  pointer?: string | undefined;
  /** The client option to fix. */
  setting?: string | undefined;
}

/**
 * Base of every error this package throws, a {@link SimcelError}; `message` starts with `[@simcel/insights]`,
 * `code` is a stable SDK code (the server's own words are in `reason` and `serverMessage`). `instanceof` works
 * across copies of the package in one process (its ESM and CJS builds).
 */
export class SimcelApiError extends SimcelError {
  static override readonly brand: string = "@simcel/insights:SimcelApiError";
  /** `api_error` for statuses without a class of their own. */
  static override readonly code: string = "api_error";
  /** The server's `error` field: a reason phrase such as `Not Found`. */
  readonly reason: string | undefined;
  /** What the server said (`message`), with every secret redacted. */
  readonly serverMessage: string | undefined;
  /** The operation id of the call, e.g. `getPnlSummary`. */
  readonly operation: string | undefined;
  /** The HTTP method of the call. */
  readonly method: string | undefined;
  /** The API path of the call, without base URL or query string. */
  readonly path: string | undefined;
  /** The wait the server asked for in `Retry-After`, in ms. */
  readonly retryAfterMs: number | undefined;
  override name = "SimcelApiError";
  constructor(message: string, init: SimcelErrorInit = {}) {
    super(`[@simcel/insights] ${message}`, init);
    this.reason = init.reason;
    this.serverMessage = init.serverMessage;
    this.operation = init.operation;
    this.method = init.method;
    this.path = init.path;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** 400 or 422, or a parameter rejected before any request was sent (then `status` is undefined). */
export class InvalidRequestError extends SimcelApiError {
  static override readonly brand: string = "@simcel/insights:InvalidRequestError";
  static override readonly code: string = "invalid_request";
  /** The parameter at fault, when known. */
  readonly param: string | undefined;
  override name = "InvalidRequestError";
  constructor(message: string, init: SimcelErrorInit = {}) {
    super(message, init);
    this.param = init.param;
  }
}

/** 401: the bearer token is missing, malformed, expired — or, with `hint`, refused although freshly issued. */
export class AuthenticationError extends SimcelApiError {
  static override readonly brand: string = "@simcel/insights:AuthenticationError";
  static override readonly code: string = "authentication_failed";
  /** Set when a token issued moments before was refused too: a revoked key, or a key of another environment. */
  readonly hint: string | undefined;
  override name = "AuthenticationError";
  constructor(message: string, init: SimcelErrorInit = {}) {
    super(message, init);
    this.hint = init.hint;
  }
}

/** 403: the token lacks the scope the operation needs; `scope` names it. */
export class PermissionDeniedError extends SimcelApiError {
  static override readonly brand: string = "@simcel/insights:PermissionDeniedError";
  static override readonly code: string = "permission_denied";
  /** The scope the operation needs, from the spec. */
  readonly scope: string | undefined;
  override name = "PermissionDeniedError";
  constructor(message: string, init: SimcelErrorInit = {}) {
    super(message, init);
    this.scope = init.scope;
  }
}

/** 404: the plan or a scenario does not exist or is not accessible. */
export class NotFoundError extends SimcelApiError {
  static override readonly brand: string = "@simcel/insights:NotFoundError";
  static override readonly code: string = "not_found";
  override name = "NotFoundError";
}

/** 429: rate limited; `retryAfterMs` holds the server's `Retry-After` when it sent one. */
export class RateLimitError extends SimcelApiError {
  static override readonly brand: string = "@simcel/insights:RateLimitError";
  static override readonly code: string = "rate_limited";
  override name = "RateLimitError";
}

/** 5xx: an error on SIMCEL's side. */
export class ServerError extends SimcelApiError {
  static override readonly brand: string = "@simcel/insights:ServerError";
  static override readonly code: string = "server_error";
  override name = "ServerError";
}

/** No (whole) response: `fetch` itself failed, or the body stream broke off (`cause` holds why). Retried. */
export class ConnectionError extends SimcelApiError {
  static override readonly brand: string = "@simcel/insights:ConnectionError";
  static override readonly code: string = "connection_failed";
  override name = "ConnectionError";
}

/** An attempt took longer than `timeoutMs`. Retried. */
export class TimeoutError extends ConnectionError {
  static override readonly brand: string = "@simcel/insights:TimeoutError";
  static override readonly code: string = "timeout";
  override name = "TimeoutError";
}

/** The API redirected off the base URL's origin; the redirect was not followed. `location` is its origin. */
export class RedirectError extends SimcelApiError {
  static override readonly brand: string = "@simcel/insights:RedirectError";
  static override readonly code: string = "redirect_refused";
  /** The origin the redirect pointed to (never its path or query). */
  readonly location: string | undefined;
  override name = "RedirectError";
  constructor(message: string, init: SimcelErrorInit = {}) {
    super(message, init);
    this.location = init.location;
  }
}

/** A 2xx whose documented structure is wrong (`pointer` names the first field); nothing wrong is returned as data. */
export class ResponseValidationError extends SimcelApiError {
  static override readonly brand: string = "@simcel/insights:ResponseValidationError";
  static override readonly code: string = "response_invalid";
  /** The JSON pointer of the first field that breaks the spec (`""` is the whole body). */
  readonly pointer: string | undefined;
  override name = "ResponseValidationError";
  constructor(message: string, init: SimcelErrorInit = {}) {
    super(message, init);
    this.pointer = init.pointer;
  }
}

/** A client option or call option is invalid; `setting` names it. Thrown before anything is sent. */
export class ConfigError extends SimcelApiError {
  static override readonly brand: string = "@simcel/insights:ConfigError";
  static override readonly code: string = "config_invalid";
  /** The option to fix, e.g. `baseUrl`. */
  readonly setting: string | undefined;
  override name = "ConfigError";
  constructor(message: string, init: SimcelErrorInit = {}) {
    super(message, init);
    this.setting = init.setting;
  }
}

/** The client was closed: calls in flight were aborted and new ones are refused. Code `closed`. */
export class ClosedError extends SimcelApiError {
  static override readonly brand: string = "@simcel/insights:ClosedError";
  static override readonly code: string = "closed";
  override name = "ClosedError";
}

const BY_STATUS: Record<number, typeof SimcelApiError> = {
  400: InvalidRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  422: InvalidRequestError,
  429: RateLimitError,
};

/** The error class of an HTTP status: the one mapping the client uses (5xx → ServerError, other → SimcelApiError). */
export function errorFromStatus(status: number): typeof SimcelApiError {
  return BY_STATUS[status] ?? (status >= 500 && status < 600 ? ServerError : SimcelApiError);
}
