// A 401 answered to a token issued moments before (a revoked key, a key of another environment) is not a passing
// expiry. The auth middleware marks the Response it hands back; the insights client reads the mark to say so. The mark
// is a process-wide WeakSet under a registered symbol, so every copy of the libraries shares it, and, unlike a
// header, no server can set it.
const KEY = Symbol.for("simcel.token-refused-responses/v1");

function marked(): WeakSet<Response> {
  const holder = globalThis as { [KEY]?: WeakSet<Response> };
  let set = holder[KEY];
  if (!set) {
    set = new WeakSet();
    Object.defineProperty(holder, KEY, { value: set, enumerable: false, configurable: false, writable: false });
  }
  return set;
}

/** Marks `response` as a 401 to a freshly issued token; returns it. */
export function markTokenRefused(response: Response): Response {
  marked().add(response);
  return response;
}

/** Whether the auth middleware marked `response` as a 401 to a freshly issued token. */
export function isTokenRefused(response: Response): boolean {
  return marked().has(response);
}
