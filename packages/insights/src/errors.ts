/** What an error knows about the failed call. Never a header other than the request id: no token can leak. */
export interface SimcelErrorInit {
  /** The HTTP status; `undefined` when no response came (network, timeout) or the check was local. */
  status?: number | undefined;
  /** The server's `error` field (the reason phrase, e.g. `Not Found`), when it sent one. */
  code?: string | undefined;
  /** The `X-Request-Id` response header, for support. */
  requestId?: string | undefined;
  /** The HTTP method of the call. */
  method?: string | undefined;
  /** The API path of the call, without base URL or query string. */
  path?: string | undefined;
  /** The wait the server asked for in `Retry-After`, in ms. */
  retryAfterMs?: number | undefined;
  /** The parameter a local check rejected. */
  param?: string | undefined;
  /** The scope the operation needs (on 403). */
  scope?: string | undefined;
  /** The underlying error (a network failure). */
  cause?: unknown;
}

/** Base of every error this package throws; `message` starts with `[@simcel/insights]`. */
export class SimcelApiError extends Error {
  declare readonly status: number | undefined;
  declare readonly code: string | undefined;
  declare readonly requestId: string | undefined;
  declare readonly method: string | undefined;
  declare readonly path: string | undefined;
  declare readonly retryAfterMs: number | undefined;
  override name = "SimcelApiError";
  constructor(message: string, { cause, ...init }: SimcelErrorInit = {}) {
    super(`[@simcel/insights] ${message}`, cause === undefined ? undefined : { cause });
    Object.assign(this, init);
  }
}

/** 400 or 422, or a parameter rejected before any request was sent (then `status` is undefined). */
export class InvalidRequestError extends SimcelApiError {
  /** The parameter at fault, when known. */
  declare readonly param: string | undefined;
  override name = "InvalidRequestError";
}

/** 401: the bearer token is missing, malformed or expired. */
export class AuthenticationError extends SimcelApiError {
  override name = "AuthenticationError";
}

/** 403: the token lacks the scope the operation needs; `scope` names it. */
export class PermissionDeniedError extends SimcelApiError {
  /** The scope the operation needs, from the spec. */
  declare readonly scope: string | undefined;
  override name = "PermissionDeniedError";
}

/** 404: the plan or a scenario does not exist or is not accessible. */
export class NotFoundError extends SimcelApiError {
  override name = "NotFoundError";
}

/** 429: rate limited; `retryAfterMs` holds the server's `Retry-After` when it sent one. */
export class RateLimitError extends SimcelApiError {
  override name = "RateLimitError";
}

/** 5xx: an error on SIMCEL's side. */
export class ServerError extends SimcelApiError {
  override name = "ServerError";
}

/** No response: the network failed (`cause` holds the fetch error). */
export class ConnectionError extends SimcelApiError {
  override name = "ConnectionError";
}

/** An attempt took longer than `timeoutMs`. */
export class TimeoutError extends ConnectionError {
  override name = "TimeoutError";
}
