// `simcel completion SHELL` prints the shell's script; `simcel completion __ids plans|scenarios [PLAN]` is what those
// scripts run to complete ids. The second never fails: whatever goes wrong, it prints no candidate and exits 0, so a
// TAB never shows an error in the middle of a command line.
import { createAuthMiddleware, credentialFromEnv } from "@simcel/auth";
import { defaultTokenStoreDir } from "@simcel/auth/node";
import { createInsightsClient, defaultBaseUrl } from "@simcel/insights";
import { SHELLS } from "./commands.js";
import { COMPLETION_SCRIPTS, IDS_WORD } from "./completion.js";
import { candidates, keepIds, readKeptIds } from "./completion-ids.js";
import { EXIT, UsageError } from "./errors.js";
import type { OutStream } from "./style.js";
import { runTokenCache } from "./token-cache.js";

/** How long a completion waits for the API when no ids are kept: a TAB must stay quick. */
const IDS_TIMEOUT_MS = 2000;

/** Runs `simcel completion …` with its words; resolves to the exit code. */
export async function runCompletion(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  stdout: OutStream,
  fetch?: (request: Request) => Promise<Response>,
): Promise<number> {
  const [first, kind, plan] = args;
  if (first === IDS_WORD) {
    stdout.write(
      candidates(await planIds(env, fetch), kind ?? "plans", plan)
        .map((id) => `${id}\n`)
        .join(""),
    );
    return EXIT.ok;
  }
  if (first === undefined || !(SHELLS as readonly string[]).includes(first) || args.length > 1)
    throw new UsageError(
      `simcel completion: say which shell, one of ${SHELLS.join(", ")}${first ? ` (got "${args.join(" ")}")` : ""}; see simcel completion --help`,
    );
  stdout.write(COMPLETION_SCRIPTS[first as (typeof SHELLS)[number]]());
  return EXIT.ok;
}

/** The ids kept from the last `plans`, else one quick `plans` call (then kept), else none. */
async function planIds(
  env: Readonly<Record<string, string | undefined>>,
  fetch: ((request: Request) => Promise<Response>) | undefined,
) {
  const baseUrl = env.SIMCEL_BASE_URL?.trim() || defaultBaseUrl;
  const dir = defaultTokenStoreDir(env);
  const kept = readKeptIds(dir, baseUrl);
  if (kept) return kept;
  try {
    const credential = credentialFromEnv(env);
    const between = runTokenCache(env, false);
    const client = createInsightsClient({
      baseUrl: credential.baseUrl,
      middleware: [createAuthMiddleware({ credential, ...(between && { store: between.store }) })],
      timeoutMs: IDS_TIMEOUT_MS,
      maxRetries: 0,
      ...(fetch && { fetch }),
    });
    const body = await client.listPlans();
    if (between) keepIds(dir, credential.baseUrl, body);
    return body.plans.map((p) => ({ id: p.id, scenarios: p.scenarios.map((s) => s.id) }));
  } catch {
    return [];
  }
}
