// Which spec mismatches each logger and hook has already been told about, across the whole program. A mismatch is
// a fact about the API, not about one client: an app that makes a client per request (a serverless
// handler, say) must not log the same warning on every request. The record lives on globalThis under a
// registered symbol, so the ESM and CJS copies of the package share it, and it is keyed by the sink
// itself (weakly), so clients that share a logger share its record while a fresh logger hears everything.

const KEY = Symbol.for("@simcel/insights:mismatch-reports@1");
/** Distinct mismatches remembered per sink; past it, new ones are not reported (an API echoing keys as field names). */
const CAPACITY = 1000;

type Registry = WeakMap<object, Set<string>>;
const registry: Registry = ((globalThis as Record<symbol, unknown>)[KEY] as Registry | undefined) ?? new WeakMap();
(globalThis as Record<symbol, unknown>)[KEY] = registry;

/** True the first time `key` is reported to `sink` (a logger or a hook function) anywhere in the program. */
export function firstReport(sink: object, key: string): boolean {
  let seen = registry.get(sink);
  if (!seen) {
    seen = new Set();
    registry.set(sink, seen);
  }
  if (seen.has(key) || seen.size >= CAPACITY) return false;
  seen.add(key);
  return true;
}
