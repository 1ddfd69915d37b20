// The CLI's own error (a usage mistake) and its exit codes.
import { EXIT_CODES } from "@simcel/commands";

/**
 * Exit codes by class of failure: the table of @simcel/commands, which the MCP server shares. `api` is
 * `simcel doctor`'s "found a problem" (1), whatever the problem's class.
 */
export const EXIT = { ...EXIT_CODES, api: 1 } as const;

/** A mistake in the command line or the environment that the user fixes by changing them (exit 2). */
export class UsageError extends Error {
  override readonly name = "UsageError";
  /** The stable code of a usage mistake (see `classifyError`). */
  readonly code = "usage";
}

/** The closest candidate to `input` within edit distance 2, for "did you mean" hints. */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const d = distance(input, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance, one row at a time. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
