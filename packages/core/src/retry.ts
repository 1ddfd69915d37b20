// The one retry loop of the SDK. @simcel/auth (token requests) and @simcel/insights (API calls) both run
// their attempts through `withRetries`; each keeps only its policy: which failures may be retried.
import { callHook, type Logger, log } from "./logger.js";
import { abortReason, sleep } from "./sleep.js";

/** How long to wait between attempts. */
export interface RetryTiming {
  /** Delay before the first retry, in ms; doubles each attempt. */
  baseDelayMs: number;
  /** Largest delay computed by backoff, in ms. */
  maxDelayMs: number;
  /** Largest `Retry-After` honoured, in ms; a server asking for longer is not retried. */
  maxRetryAfterMs: number;
}

/**
 * Delay before retry number `attempt` (0-based): the server's `Retry-After` when it gave one
 * (up to `maxRetryAfterMs`; `undefined` when it asks for longer, meaning "do not retry"),
 * else exponential backoff with jitter in [delay/2, delay].
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

/** A retry about to happen, as the `onRetry` hook receives it. */
export interface RetryEvent {
  /** What is being retried: an operation id (`getPnlSummary`) or `token request`. */
  operation: string;
  /** The attempt that failed, 1-based. */
  attempt: number;
  /** The wait before the next attempt, in ms. */
  delayMs: number;
  /** Why the attempt failed: a typed error of the library. */
  error: unknown;
}

/** What {@link withRetries} needs: the attempt itself and the caller's policy. */
export interface RetryLoop<T> {
  operation: string;
  /** Attempts in all (1 = no retry). */
  attempts: number;
  timing: RetryTiming;
  /** The caller's signal: aborts an attempt in progress and the wait between attempts. */
  signal?: AbortSignal | undefined;
  /** One attempt; `attempt` is 1-based. */
  run(attempt: number): Promise<T>;
  /** The policy: `false` for a final failure, else the wait the server asked for (`Retry-After`), if any. */
  retryable(error: unknown): false | { retryAfterMs?: number | undefined };
  onRetry?: ((event: RetryEvent) => void) | undefined;
  logger?: Logger | undefined;
  random?: () => number;
  /** Waits between attempts; default `sleep(ms, signal)`. A caller that must interrupt waits itself passes its own. */
  wait?: ((ms: number) => Promise<void>) | undefined;
}

/**
 * Runs `loop.run` until it succeeds, fails for good, or the attempts are spent: between attempts it
 * waits for `Retry-After` or backoff with jitter, reporting each retry to the hook and the logger.
 * The caller's abort ends it at once with the signal's reason.
 */
export async function withRetries<T>(loop: RetryLoop<T>): Promise<T> {
  const { signal, operation } = loop;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortReason(signal);
    try {
      return await loop.run(attempt);
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      const verdict = attempt < loop.attempts && loop.retryable(error);
      const delayMs = verdict ? backoffDelay(attempt - 1, loop.timing, verdict.retryAfterMs, loop.random) : undefined;
      if (delayMs === undefined) throw error;
      callHook(loop.onRetry, { operation, attempt, delayMs, error });
      log(
        loop.logger,
        "info",
        `${operation}: attempt ${attempt} failed, retrying in ${delayMs} ms: ${describe(error)}`,
        {
          operation,
          attempt,
          delayMs,
        },
      );
      await (loop.wait ? loop.wait(delayMs) : sleep(delayMs, signal));
    }
  }
}

/** A failure in one line for the log (our typed errors carry redacted messages only). */
function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One attempt's signal: the caller's abort, plus a timeout armed when the attempt's own clock starts. */
export interface Attempt {
  /** Aborts when the caller's signal aborts or the armed timeout runs out. */
  readonly signal: AbortSignal;
  /** True once the timeout (not the caller) aborted the attempt. */
  readonly timedOut: boolean;
  /** Starts the timeout; later calls do nothing. */
  arm(): void;
  /** Aborts the attempt now with `reason` (a client being closed). */
  abort(reason: unknown): void;
  /** Clears the timer and unlinks the caller's signal; call it when the attempt is over. */
  end(): void;
}

/**
 * An attempt limited to `timeoutMs` once armed. Arming is separate so a caller can start the clock
 * after work that has its own limits (a sign-in) and before the request is sent.
 */
export function createAttempt(timeoutMs: number, caller?: AbortSignal): Attempt {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  let ended = false;
  const onAbort = () => controller.abort(abortReason(caller as AbortSignal));
  if (caller?.aborted) onAbort();
  else caller?.addEventListener("abort", onAbort, { once: true });
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    arm() {
      if (timer !== undefined || ended || controller.signal.aborted) return;
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, "TimeoutError"));
      }, timeoutMs);
    },
    abort(reason) {
      controller.abort(reason);
    },
    end() {
      ended = true;
      clearTimeout(timer);
      caller?.removeEventListener("abort", onAbort);
    },
  };
}
