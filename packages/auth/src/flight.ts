import { abortReason } from "@simcel/core";

/** One piece of work (a token request, a store lookup) shared by every caller waiting for it. */
export interface Flight<T> {
  promise: Promise<T>;
  /** Aborting it cancels the work; every waiter then rejects at once with its reason. */
  readonly controller: AbortController;
  /** Callers waiting now. */
  waiters: number;
  /** Rejects when the controller aborts: one listener for the flight, however many wait. */
  cancelled?: Promise<never>;
}

/**
 * Waits for `flight` as one of its waiters. `signal` ends this caller's wait only; when the last waiter
 * leaves (whether it gave up or the work settled) `deserted` runs, so the owner can cancel work nobody
 * waits for any more.
 */
export async function joinFlight<T>(
  flight: Flight<T>,
  signal: AbortSignal | undefined,
  deserted: () => void,
): Promise<T> {
  flight.waiters++;
  let onAbort: (() => void) | undefined;
  try {
    return await new Promise<T>((resolve, reject) => {
      if (signal) {
        onAbort = () => reject(abortReason(signal));
        signal.addEventListener("abort", onAbort, { once: true });
      }
      // cancelled (closed): the waiters hear it at once, whatever the work itself does with its signal
      flight.cancelled ??= new Promise<never>((_, fail) => {
        const { signal: cancel } = flight.controller;
        if (cancel.aborted) fail(abortReason(cancel));
        else cancel.addEventListener("abort", () => fail(abortReason(cancel)), { once: true });
      });
      flight.cancelled.catch(reject);
      flight.promise.then(resolve, reject);
    });
  } finally {
    if (onAbort) signal?.removeEventListener("abort", onAbort);
    if (--flight.waiters === 0) deserted();
  }
}
