// The plan and scenario ids a shell completes `--plan`, `--base` and `--scenarios` with: the ids of the last `plans`
// answer, kept beside the token cache (ids only: no name, figure or token; a 0600 file in the 0700 cache directory,
// and only for the base URL that answered), else one quick `plans` call with a short timeout. A completion never
// fails loudly: no credential, no network, no answer in time — no candidates.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PlansResponse } from "@simcel/insights";

/** What is kept: the base URL that answered, and per plan its id and its scenarios' ids. */
interface KeptIds {
  baseUrl: string;
  plans: Array<{ id: string; scenarios: string[] }>;
}

const FILE = "completion-ids.json";

/** Keeps the ids of a `plans` answer in `dir` (the token cache's directory) for the shell's completion. */
export function keepIds(dir: string, baseUrl: string, body: PlansResponse): void {
  const kept: KeptIds = {
    baseUrl,
    plans: body.plans.map((p) => ({ id: p.id, scenarios: p.scenarios.map((s) => s.id) })),
  };
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, FILE);
    writeFileSync(path, `${JSON.stringify(kept)}\n`, { mode: 0o600 });
    chmodSync(path, 0o600);
  } catch {
    // a cache that cannot be written only costs the next completion a call
  }
}

/** The kept ids for `baseUrl`, or undefined when there are none (or they came from another API). */
export function readKeptIds(dir: string, baseUrl: string): KeptIds["plans"] | undefined {
  try {
    const kept = JSON.parse(readFileSync(join(dir, FILE), "utf8")) as KeptIds;
    return kept.baseUrl === baseUrl && Array.isArray(kept.plans) ? kept.plans : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The candidates of one kind: plan ids, or scenario ids (of `plan` when given and known, else of every plan). Ids
 * that a shell would split or act on (spaces, quotes, control characters) are left out.
 */
export function candidates(plans: KeptIds["plans"], kind: string, plan: string | undefined): string[] {
  const ids =
    kind === "plans"
      ? plans.map((p) => p.id)
      : (plans.some((p) => p.id === plan) ? plans.filter((p) => p.id === plan) : plans).flatMap((p) => p.scenarios);
  return [...new Set(ids)].filter((id) => /^[\w.:@+-]+$/.test(id));
}
