// A PROTOTYPE of a cheaper insights + auth call path, for measurement only (bench/per-call-costs.mjs): not the
// libraries' code, and not complete (one operation, no logging or hooks). It keeps what the contract asks of the
// real path — a per-attempt timeout that aborts the request (body read included), the caller's own signal, a 401
// replay that also works for requests with a body, typed errors from the response — and changes how they are paid:
//   1. no request.clone() for a request without a body: a replay rebuilds it (`new Request(request)`) when it
//      happens, which is rare; a request with a body is still cloned up front, since its body can be read once;
//   2. the timeout's signal is not handed to openapi-fetch (whose `new Request` would follow it, and undici's fetch
//      would follow it a second time through that Request): a per-call `fetch` wrapper gives it to fetch's init;
//      the caller's own signal goes to openapi-fetch only when there is one;
//   3. one AbortController and one unref'd timer per 16 ms deadline bucket, shared by every attempt that starts in
//      that window with the same timeout (they would time out together anyway), instead of one controller and one
//      setTimeout per attempt;
//   4. the origin check compares strings instead of parsing the URL;
//   5. the 2xx body is checked against the spec with a check that builds JSON pointers only for a mismatch
//      (the shipped response-check.ts, which builds pointers only on a mismatch) — the contract's response validation, at its prototype's cost.
import createClient from "openapi-fetch";

/** Shared deadline buckets: attempts whose deadlines round up to the same `granularityMs` share one signal. */
export function createDeadlines(granularityMs = 16) {
  const buckets = new Map();
  return (timeoutMs) => {
    const key = Math.ceil((performance.now() + timeoutMs) / granularityMs);
    let bucket = buckets.get(key);
    if (!bucket) {
      const controller = new AbortController();
      const timer = setTimeout(
        () => {
          buckets.delete(key);
          controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, "TimeoutError"));
        },
        key * granularityMs - performance.now(),
      );
      // a pending bucket must not keep a process alive: the request it guards does that while it runs
      timer.unref();
      bucket = controller.signal;
      buckets.set(key, bucket);
    }
    return bucket;
  };
}

/** The auth middleware's call path, with a warm cache (`getToken` resolving a cached token). */
export function createLeanAuthMiddleware({ cache, origin }) {
  const sent = new WeakMap();
  return {
    async onRequest({ request }) {
      const { url } = request;
      const next = url[origin.length];
      if (!url.startsWith(origin) || (next !== undefined && next !== "/" && next !== "?" && next !== "#"))
        throw new Error(`refusing to send credentials to ${new URL(url).origin}`);
      const { token } = await cache.getToken({ signal: request.signal });
      request.headers.set("Authorization", `Bearer ${token}`);
      // the copy a replay needs only when there is a body to lose
      sent.set(request, request.body === null ? token : { token, copy: request.clone() });
    },
    async onResponse({ request, response, options }) {
      if (response.status !== 401) return;
      const first = sent.get(request);
      if (first === undefined) return;
      const old = typeof first === "string" ? first : first.token;
      cache.invalidate(old);
      const { token } = await cache.getToken({ signal: request.signal });
      if (token === old) return;
      await response.body?.cancel();
      const copy = typeof first === "string" ? new Request(request) : first.copy;
      copy.headers.set("Authorization", `Bearer ${token}`);
      return options.fetch(copy);
    },
  };
}

/**
 * `listPlans` through openapi-fetch with the timeout in a fetch wrapper and shared deadline buckets; `check(body)`
 * (optional) returns the fatal mismatch of a 2xx body, if any.
 */
export function createLeanInsights({ baseUrl, fetch = globalThis.fetch, middleware = [], timeoutMs = 30_000, check }) {
  const raw = createClient({ baseUrl, fetch });
  const deadline = createDeadlines();
  raw.use(
    {
      async onResponse({ response }) {
        if (!response.ok) throw new Error(`${response.status}`); // stands for the typed error mapping
      },
    },
    ...middleware,
  );
  async function call(path, { signal } = {}) {
    const timeout = deadline(timeoutMs);
    const perCallFetch = (request) => fetch(request, { signal: timeout });
    try {
      const { data } = await raw.GET(path, signal ? { fetch: perCallFetch, signal } : { fetch: perCallFetch });
      const wrong = check?.(data);
      if (wrong) throw new Error(`the body the spec does not allow at ${wrong.pointer}`); // stands for ResponseValidationError
      return data;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) throw new Error(`timed out after ${timeoutMs} ms`, { cause: error });
      throw error;
    }
  }
  return { listPlans: (options) => call("/insights/v1/plans", options) };
}
