import type { Meta } from "./types.js";

/** How old a response's data is, from `dataAge`. */
export type DataAge =
  | { generatedAt: Date; ageMs: number }
  | { generatedAt: null; reason: "no computed output" | "unreadable generatedAt" };

/**
 * How old the simulation behind a response is: `now − meta.generatedAt` in ms. A missing
 * `generatedAt` means the scenario has no computed output, and is reported as such.
 */
export function dataAge(response: { meta: Meta }, now: Date | number = Date.now()): DataAge {
  const at = response.meta.generatedAt;
  if (at === undefined) return { generatedAt: null, reason: "no computed output" };
  const t = Date.parse(at);
  return !Number.isNaN(t)
    ? { generatedAt: new Date(t), ageMs: +now - t }
    : { generatedAt: null, reason: "unreadable generatedAt" };
}
