// The one HTTP attempt of the SDK, as both libraries make it: the token request (@simcel/auth) and every insights call
// (@simcel/insights). It starts the attempt's clock, puts a tracer's headers on the request, hands the fetch the
// attempt's signal (and stops waiting for a fetch that ignores it), tells a failure of the network from any other,
// applies the caller's redirect policy, and reads an error body bounded. The retry loop around it is retry.ts's.

import { readErrorBody } from "./body.js";
import { addTraceHeaders, type OperationTrace } from "./instrumentation.js";
import type { Attempt } from "./retry.js";
import { registerSecret } from "./secrets.js";
import { abortable } from "./sleep.js";

/**
 * The fetch the SDK calls: a Request, and the attempt's `{ signal }` as the second argument (pass it on so a timeout or
 * an abort cancels the request; the SDK stops waiting either way). A fetch that takes only the Request fits too.
 */
export type Fetch = (request: Request, init?: { signal?: AbortSignal }) => Promise<Response>;

/** `fetch` itself failed (no answer, a reset): the one failure of the network there is. */
export class NetworkError extends Error {
  override name = "NetworkError";
}

/** A redirect the policy does not follow; `location` is its origin only (the path may carry a code). */
export class RedirectRefused extends Error {
  override name = "RedirectRefused";
  constructor(
    readonly location: string,
    readonly status: number | undefined,
  ) {
    super(`redirect to ${location} refused`);
  }
}

/** Which redirects an attempt follows: none (a secret must never follow one), or those within one origin. */
export type RedirectPolicy = { follow: "none" } | { follow: "same-origin"; origin: string; maxHops: number };

/** What one attempt needs besides its Request. */
export interface AttemptInit {
  /** The caller's fetch; when given, a fetch that ignores the signal is raced (not waited for past the signal). */
  fetch?: Fetch | undefined;
  attempt: Attempt;
  redirect: RedirectPolicy;
  /** The operation's trace, whose headers go on every request sent (a redirect and a replay included). */
  trace?: OperationTrace | undefined;
  /** Replace a 4xx/5xx body by its parsed error, read at most 64 KiB (openapi-fetch would buffer any size). */
  boundErrorBody?: boolean | undefined;
}

const isRedirect = (r: Response) =>
  r.type === "opaqueredirect" || (r.status >= 300 && r.status < 400 && r.headers.has("location"));

/** The origin a redirect points to, or a description when it cannot be read. */
function redirectTarget(request: Request, response: Response): { url?: URL; shown: string } {
  if (response.type === "opaqueredirect") return { shown: "a location the browser hides" };
  try {
    const url = new URL(response.headers.get("location") ?? "", request.url);
    return { url, shown: url.origin };
  } catch {
    return { shown: "an unreadable location" };
  }
}

/**
 * Sends one attempt: arms its timeout (work before it, such as a sign-in, is not counted), records the bearer it
 * carries for redaction, and follows the redirect policy. Rejects with {@link NetworkError} when fetch itself fails,
 * {@link RedirectRefused} for a redirect not followed, or the signal's reason once aborted.
 */
export async function sendAttempt(request: Request, init: AttemptInit): Promise<Response> {
  const { attempt, redirect, fetch } = init;
  attempt.arm();
  const { signal } = attempt;
  const authorization = request.headers.get("authorization");
  if (authorization) registerSecret(authorization.slice(authorization.indexOf(" ") + 1));
  for (let hops = 0; ; hops++) {
    addTraceHeaders(init.trace, request.headers);
    let response: Response;
    try {
      // as a real fetch would: an aborted request is not sent
      signal.throwIfAborted();
      const answer = fetch ? fetch(request, { signal }) : globalThis.fetch(request, { signal });
      response = await (fetch ? abortable(answer, signal) : answer);
    } catch (error) {
      if (signal.aborted) throw error;
      throw new NetworkError("fetch failed", { cause: error });
    }
    if (isRedirect(response) || (redirect.follow === "none" && response.status >= 300 && response.status < 400)) {
      response.body?.cancel().catch(() => {});
      const target = redirectTarget(request, response);
      const followed =
        redirect.follow === "same-origin" && target.url?.origin === redirect.origin && hops < redirect.maxHops;
      if (!followed || !target.url) throw new RedirectRefused(target.shown, response.status || undefined);
      // same origin: the API moved a path, follow it with the same request
      request = new Request(target.url, request);
      continue;
    }
    if (response.status < 400 || !init.boundErrorBody) return response;
    // in the spec's error shape, so whoever parses it reads it as it came
    const { message, reason } = await readErrorBody(response, signal);
    return new Response(JSON.stringify({ error: reason, message }), response);
  }
}
