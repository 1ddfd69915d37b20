/** How long to wait between attempts. */
export interface RetryTiming {
  /** Delay before the first retry, in ms; doubles each attempt. */
  baseDelayMs: number;
  /** Largest delay computed by backoff, in ms. */
  maxDelayMs: number;
  /** Largest `Retry-After` honoured, in ms; a longer one is not waited for. */
  maxRetryAfterMs: number;
}

/**
 * Delay before retry number `attempt` (0-based): the server's `Retry-After` when it gave one
 * (up to `maxRetryAfterMs`; `undefined` when it asks for longer, meaning "do not retry"),
 * else exponential backoff with full jitter in [delay/2, delay].
 */
export function backoffDelay(
  attempt: number,
  timing: RetryTiming,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number | undefined {
  if (retryAfterMs !== undefined) return retryAfterMs <= timing.maxRetryAfterMs ? retryAfterMs : undefined;
  const ceiling = Math.min(timing.maxDelayMs, timing.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** `Retry-After` as ms from `now`: delta-seconds or an HTTP date; `undefined` when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  // A date is only a date if it names a weekday or month; Date.parse reads "1x" too leniently.
  if (Number.isNaN(date) || !/[a-z]{3}/i.test(text)) return undefined;
  return Math.max(0, date - now);
}
