// How a failed attempt becomes a typed error: an error status by its class (errors.ts's one status → class mapping),
// the network, a timeout and a refused redirect by theirs. The caller's abort and close() pass as they are.
import {
  type Attempt,
  type ErrorBody,
  NetworkError,
  parseRetryAfter,
  RedirectRefused,
  redactSecrets,
  TOKEN_REFUSED_HEADER,
} from "@simcel/core";
import { ConnectionError, errorFromStatus, RedirectError, type SimcelApiError, TimeoutError } from "./errors.js";
import { operations } from "./generated/operations.js";

/** An operation id of the spec. */
export type OperationId = keyof typeof operations;

const REFUSED_HINT =
  "a token issued moments ago was refused too: is the key revoked, or meant for another environment (base URL)?";

/** A value from the API for a message: redacted and cut to 80 characters. */
export const cut = (text: string) => (text.length > 80 ? `${text.slice(0, 80)}…` : text);

/** The typed error of an error response, from its status, headers and error body (already read, bounded, redacted). */
export function errorFromResponse(response: Response, body: ErrorBody, id: OperationId): SimcelApiError {
  const { method, path, scope } = operations[id];
  const { status, headers } = response;
  const { message, reason } = body;
  const requestIdHeader = headers.get("x-request-id");
  const requestId = requestIdHeader ? cut(redactSecrets(requestIdHeader)) : undefined;
  const hint = status === 401 && headers.has(TOKEN_REFUSED_HEADER) ? REFUSED_HINT : undefined;
  const Class = errorFromStatus(status);
  const phrase = reason || redactSecrets(response.statusText) || "error";
  return new Class(
    `${status} ${phrase}: ${message || "(no message)"} (${method} ${path}${status === 403 ? ` needs scope ${scope}` : ""}${
      requestId ? `, request ${requestId}` : ""
    })${hint ? `; ${hint}` : ""}`,
    {
      status,
      reason,
      serverMessage: message,
      requestId,
      operation: id,
      method,
      path,
      retryAfterMs: parseRetryAfter(headers.get("retry-after")),
      ...(status === 403 && { scope }),
      ...(hint && { hint }),
    },
  );
}

/** What an attempt's failure is known by, to type it. */
export interface FailedAttempt {
  id: OperationId;
  attempt: Attempt;
  /** The attempt's limit, in ms. */
  limit: number;
  caller: AbortSignal | undefined;
  /** The client's close() signal. */
  closing: AbortSignal;
  /** The base URL's origin, the one redirects may stay within. */
  origin: string;
}

/** What an attempt's failure is thrown as: the caller's abort or close() as they are, the rest as typed errors. */
export function typedFailure(error: unknown, { id, attempt, limit, caller, closing, origin }: FailedAttempt): unknown {
  const { method, path } = operations[id];
  const where = { operation: id, method, path };
  if (caller?.aborted) return error;
  if (closing.aborted) return closing.reason;
  if (attempt.timedOut) return new TimeoutError(`${method} ${path} timed out after ${limit} ms`, where);
  if (error instanceof NetworkError) {
    const cause = error.cause instanceof Error ? error.cause : undefined;
    return new ConnectionError(`${method} ${path} failed: ${redactSecrets(cause?.message ?? "network error")}`, {
      ...where,
      cause: error.cause,
    });
  }
  if (error instanceof BodyCutOff)
    return new ConnectionError(`${method} ${path} failed: ${error.message}`, { ...where, cause: error.cause });
  if (error instanceof RedirectRefused)
    return new RedirectError(
      `${method} ${path} was redirected to ${error.location}: only ${origin} is followed, so the redirect was refused`,
      { ...where, location: error.location },
    );
  return error;
}

/** A 2xx body that broke off mid-stream: a network failure, retried. */
export class BodyCutOff extends Error {
  override name = "BodyCutOff";
}
