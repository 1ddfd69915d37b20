// "The planted SIMCEL": a sandbox (@simcel/sandbox, from its sources) whose answers differ from our spec in
// named drifts — the first real key's surprises, rehearsed. `simcel doctor`, the SDK and the validating proxy
// are tested against it: each drift changes one thing, so a test can say exactly what they must find.

import { dotted } from "../../packages/sandbox/src/drifts.js";
import { type Drift, type Sandbox, startSandbox } from "../../packages/sandbox/src/index.js";

/** What `simcel doctor` meets: documented and inferred differences, and CO2 not there yet. */
export const DOCTOR_REALITY: Drift[] = [
  "extraField",
  "unknownFlag",
  "planIdDot",
  "colorName",
  "fillRateString",
  "co2ComingSoon",
];

/** Exactly one difference of each kind the proxy must report: an extra field, an inferred field missing, a documented field of the wrong type. */
export const PROXY_REALITY: Drift[] = ["extraField", "co2TotalMissing", "fillRateString"];

/** API keys the planted SIMCEL accepts, and the scopes their tokens carry. Test secrets carry FAKE. */
export const PLANTED_KEYS = {
  /** insights:read plans:read */
  full: "sk_test_FAKE_planted_full_key",
  /** plans:read only: cannot read any insight */
  plansOnly: "sk_test_FAKE_planted_plans_only",
} as const;
/** The OAuth2 client the planted SIMCEL accepts (scopes as requested). */
export const PLANTED_CLIENT = { id: "cli_planted", secret: "FAKE-planted-client-secret" } as const;

export interface PlantedOptions {
  drifts?: readonly Drift[];
  /** A fixed clock (the `Date` header and token times) so clock skew is deterministic; default the real time. */
  date?: string;
  /** The layout of SIMCEL's older docs (key exchange at `POST /auth/token`), as the sandbox's `legacyPaths`. */
  legacyPaths?: boolean;
}

export interface Planted {
  sandbox: Sandbox;
  url: string;
  /** Every request: `METHOD /path` (no query). */
  readonly requests: string[];
  /** Tokens issued so far (secrets: a test checks none is printed). */
  readonly tokens: readonly string[];
  /** The first plan's id as the planted SIMCEL lists it (with dots under `planIdDot`). */
  planId: string;
  close(): Promise<void>;
}

/** Starts the planted SIMCEL on a free loopback port: the sandbox of seed 1 with `drifts` always on. */
export async function startPlanted(options: PlantedOptions = {}): Promise<Planted> {
  const drifts = options.drifts ?? DOCTOR_REALITY;
  const sandbox = await startSandbox({
    record: true,
    legacyPaths: options.legacyPaths ?? false,
    ...(options.date !== undefined && { now: () => Date.parse(options.date as string) }),
  });
  sandbox.createApiKey({ key: PLANTED_KEYS.full, scopes: ["insights:read", "plans:read"] });
  sandbox.createApiKey({ key: PLANTED_KEYS.plansOnly, scopes: ["plans:read"] });
  sandbox.createClient({ clientId: PLANTED_CLIENT.id, clientSecret: PLANTED_CLIENT.secret });
  for (const drift of drifts) sandbox.fail({ kind: "drift", drift });
  const id = sandbox.plans[0]!.id;
  return {
    sandbox,
    url: sandbox.url,
    get requests() {
      return sandbox.requests.map((r) => `${r.method} ${r.path}`);
    },
    get tokens() {
      return sandbox.issuedTokens;
    },
    planId: drifts.includes("planIdDot") ? dotted(id) : id,
    close: () => sandbox.close(),
  };
}
