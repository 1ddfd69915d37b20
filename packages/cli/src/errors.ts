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

/**
 * The closest candidate to `input`, for "did you mean" hints: only a near miss (one edit per three characters typed,
 * at least one; a swap of two letters is one edit), so `-p` suggests nothing rather than `--to`.
 */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(input.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = distance(input, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Edit distance with adjacent transpositions (optimal string alignment): `form` is one edit from `from`. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const above = d[i - 1] as number[];
      row[j] = Math.min(above[j]! + 1, row[j - 1]! + 1, above[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j]!, (d[i - 2] as number[])[j - 2]! + 1);
    }
  return (d[a.length] as number[])[b.length]!;
}
