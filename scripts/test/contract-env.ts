// What a contract suite needs to run on the Prism mock AND on a live SIMCEL (SIMCEL_CONTRACT_BASE_URL
// plus credentials): the one home of the decisions "is this live", "which credential", "which plan" and
// "which tests only make sense on the mock". On the mock nothing is skipped; live, a test that needs the
// mock's `Prefer` tricks, its fixed ids and figures, or its fake keys is skipped, and the reason is
// printed. The test keeps its name: its snapshots then stay its own, not obsolete (which fails a run in CI).
import { describe, inject, it } from "vitest";
import { createAuthMiddleware, credentialFromEnv } from "../../packages/auth/src/index.js";
import { createInsightsClient, type Plan } from "../../packages/insights/src/index.js";
import type {} from "../prism-global-setup.js";

/** The server under test: the Prism mock's URL, or SIMCEL_CONTRACT_BASE_URL. */
export const baseUrl = inject("simcelBaseUrl");
/** True on the Prism mock, false on a live server. */
export const isMock = inject("simcelIsMock");

/** The credential variables a live run takes from its own environment. */
export const CREDENTIAL_VARIABLES = [
  "SIMCEL_API_KEY",
  "SIMCEL_CLIENT_ID",
  "SIMCEL_CLIENT_SECRET",
  "SIMCEL_SCOPES",
  "SIMCEL_TOKEN",
] as const;

/** Test blocks that run unless `skipReason` is a string: then skipped, with the reason printed. */
function gate(skipReason: string | false) {
  const title = (name: string) => {
    if (skipReason) process.stderr.write(`[contract] skipped: ${name} — ${skipReason}\n`);
    return name;
  };
  return {
    it: ((name: string, ...rest: unknown[]) =>
      (skipReason ? it.skip : it)(title(name), ...(rest as [() => unknown]))) as unknown as typeof it,
    describe: ((name: string, ...rest: unknown[]) =>
      (skipReason ? describe.skip : describe)(title(name), ...(rest as [() => void]))) as unknown as typeof describe,
  };
}

/**
 * `it` and `describe` for tests that only make sense on the mock (its `Prefer: code=…` answers, the
 * spec's example ids and figures, fake keys): they run on the mock, and live they are skipped with
 * `reason` printed. One home, so a live run lists every test it did not run and why.
 */
export function mockOnly(reason: string) {
  return gate(!isMock && `mock only: ${reason}`);
}

/** `it` and `describe` for tests that need something a live run may lack (`missing` says what), e.g. a kind of credential. */
export function needs(missing: string | false) {
  return gate(missing);
}

/** Which kind of credential the run has: on the mock every kind (fake ones); live, what the environment holds. */
export const liveCredentialKind: "apiKey" | "clientCredentials" | "static" | null = isMock
  ? null
  : process.env.SIMCEL_API_KEY?.trim()
    ? "apiKey"
    : process.env.SIMCEL_CLIENT_ID?.trim()
      ? "clientCredentials"
      : process.env.SIMCEL_TOKEN?.trim()
        ? "static"
        : null;

/** `false` when the run can use a credential of `kind`, else what is missing (for {@link needs}). */
export function lacksCredential(kind: "apiKey" | "clientCredentials"): string | false {
  if (isMock || liveCredentialKind === kind) return false;
  return kind === "apiKey"
    ? "needs SIMCEL_API_KEY: this live run has another kind of credential"
    : "needs SIMCEL_CLIENT_ID + SIMCEL_CLIENT_SECRET: this live run has another kind of credential";
}

/**
 * The environment of a CLI, MCP server or `credentialFromEnv` call: on the mock, `mockKey` (a FAKE test
 * key) and the mock's URL; live, the run's own credential variables and SIMCEL_CONTRACT_BASE_URL. Never
 * a developer's SIMCEL_* variables on the mock.
 */
export function credentialEnv(mockKey = "sk_test_FAKE_contract"): Record<string, string> {
  if (isMock) return { SIMCEL_API_KEY: mockKey, SIMCEL_BASE_URL: baseUrl };
  const env: Record<string, string> = { SIMCEL_BASE_URL: baseUrl };
  for (const name of CREDENTIAL_VARIABLES) {
    const value = process.env[name]?.trim();
    if (value) env[name] = value;
  }
  return env;
}

/** The live run's secrets (its key, client secret or token), to check that nothing printed holds one. */
export function liveSecrets(): string[] {
  if (isMock) return [];
  return ["SIMCEL_API_KEY", "SIMCEL_CLIENT_SECRET", "SIMCEL_TOKEN"]
    .map((name) => process.env[name]?.trim())
    .filter((value): value is string => !!value);
}

/** The plan a suite reads, found rather than assumed, and up to three of its scenarios (committed first). */
export interface ContractPlan {
  plan: Plan;
  id: string;
  name: string;
  /** Up to three scenario ids: the committed one first, as the tour picks them. */
  scenarioIds: string[];
}

let discovered: Promise<ContractPlan> | undefined;
/**
 * The first plan the credential sees (on the mock, the spec's example `plan_9xKz2`), through the SDK.
 * Fails with a clear message when the key sees no plan: a live run needs one to read data.
 */
export function discoverPlan(): Promise<ContractPlan> {
  discovered ??= (async () => {
    const auth = createAuthMiddleware({ credential: credentialFromEnv(credentialEnv()) });
    try {
      const { plans } = await createInsightsClient({ middleware: [auth] }).listPlans();
      const plan = plans.find((p) => p.scenarios.length > 0) ?? plans[0];
      if (!plan) throw new Error(`[contract] the credential sees no plan at ${baseUrl}: a contract run needs one`);
      const committed = plan.scenarios.filter((s) => s.flags.includes("committed"));
      const others = plan.scenarios.filter((s) => !s.flags.includes("committed"));
      return {
        plan,
        id: plan.id,
        name: plan.name,
        scenarioIds: [...committed, ...others].slice(0, 3).map((s) => s.id),
      };
    } finally {
      await auth.close();
    }
  })();
  return discovered;
}

/** Statuses of the CO2 endpoint that mean "coming soon", as SIMCEL documents it, rather than broken. */
export const COMING_SOON_STATUSES = [404, 501];
