// The doctor's findings as data: the shape of its report (the `--json` output), what it needs from the CLI,
// and the report it starts from, before any check has run.
import type { Logger } from "@simcel/auth";
import { defaultBaseUrl, operations } from "@simcel/insights";

/** How bad a finding is: a problem makes `simcel doctor` exit 1; warnings and notes do not. */
export type Severity = "problem" | "warning" | "note";

/** The read operations, in the order they are called: every GET of the spec. */
export type ReadOperation = "listPlans" | "getPnlSummary" | "getDemandForecast" | "getSustainability";

/** A difference between what the API does and the spec, once however many operations and rows show it. */
export interface SpecDifference {
  /** The operations it showed in: insights operation ids, or the token operation of the sign-in. */
  operations: string[];
  /** `response`: a field of a body; `request`: a parameter the SDK sent (the API's own plan id, say). */
  direction: "request" | "response";
  /** JSON pointer of the first place it was seen. */
  pointer: string;
  expected: string;
  actual: string;
  /** The spec only inferred this (`x-simcel-inferred`). */
  inferred: boolean;
  /** `problem` when the SDK's calls fail on it (documented structure); otherwise `warning`. */
  severity: Severity;
  /** In how many places of the answers (each row of a list, each operation). */
  count: number;
}

/** One call of one read operation. */
export interface OperationResult {
  operation: ReadOperation;
  method: string;
  path: string;
  /** The HTTP status of the last exchange; null when none was made. */
  status: number | null;
  /** From sending the request to the end of its body, in ms; null when none was made. */
  latencyMs: number | null;
  outcome: "ok" | "fails" | "refused" | "coming-soon" | "error" | "skipped";
  /** Why, for anything but `ok`. */
  detail?: string;
}

/** Everything `simcel doctor` found; the `--json` output. */
export interface DoctorReport {
  /** No problem found (exit 0). */
  ok: boolean;
  problems: number;
  warnings: number;
  versions: { cli: string; node: string; platform: string };
  configuration: {
    /** The environment variables the credential was built from: names only. */
    variables: string[];
    /** `--base-url` was given (it overrides SIMCEL_BASE_URL). */
    baseUrlFlag: boolean;
    credential: "apiKey" | "clientCredentials" | "static" | null;
    baseUrl: string;
    /** The spec's production server. */
    production: boolean;
    /** This machine's clock against the server's `Date` header; null when no answer carried one. */
    clock: { serverDate: string; skewSeconds: number } | null;
  };
  signIn: {
    /** `POST <url>` of the token request; null for a static token (SIMCEL_TOKEN). */
    endpoint: string | null;
    status: number | null;
    latencyMs: number | null;
    /** Seconds the token is valid for, as issued; null when unknown. */
    expiresIn: number | null;
    tokenType: string | null;
    /** From the JWT's `scope` (or `scp`) claim; null when the token does not say. */
    scopes: string[] | null;
    error?: string;
  } | null;
  /** Each read operation's scope (from the spec) and whether the token's scopes grant it (null: unknown). */
  access: { operation: ReadOperation; scope: string; granted: boolean | null }[];
  /** The plan the data operations were called on. */
  plan: { id: string; source: "--plan" | "first plan" } | null;
  operations: OperationResult[];
  spec: SpecDifference[];
  findings: { severity: Severity; message: string }[];
}

/** What `diagnose` needs from the CLI. */
export interface DiagnoseInput {
  /** The environment (credentials, SIMCEL_BASE_URL), `--base-url` already applied. */
  env: Record<string, string | undefined>;
  /** `--base-url` was given. */
  baseUrlFlag: boolean;
  /** `--plan`, if given. */
  planId?: string | undefined;
  /** The fetch for every call (token and API); default `globalThis.fetch`. */
  fetch?: ((request: Request) => Promise<Response>) | undefined;
  /** The clock (epoch ms), for latencies and the skew against the server's `Date`. */
  now: () => number;
  /** The CLI's version. */
  version: string;
  /** SIMCEL_LOG's logger, handed to the clients. */
  logger?: Logger | undefined;
}

/** The read operations, in the order they are called: every GET of the spec. */
export const READ_OPERATIONS: readonly ReadOperation[] = [
  "listPlans",
  "getPnlSummary",
  "getDemandForecast",
  "getSustainability",
];

/** The report before any check: nothing known, every operation skipped. */
export function newReport(input: DiagnoseInput): DoctorReport {
  return {
    ok: false,
    problems: 0,
    warnings: 0,
    versions: { cli: input.version, node: process.version, platform: `${process.platform} ${process.arch}` },
    configuration: {
      variables: [],
      baseUrlFlag: input.baseUrlFlag,
      credential: null,
      baseUrl: input.env.SIMCEL_BASE_URL?.trim() || defaultBaseUrl,
      production: false,
      clock: null,
    },
    signIn: null,
    access: READ_OPERATIONS.map((operation) => ({ operation, scope: operations[operation].scope, granted: null })),
    plan: null,
    operations: READ_OPERATIONS.map((operation) => ({
      operation,
      method: operations[operation].method,
      path: operations[operation].path,
      status: null,
      latencyMs: null,
      outcome: "skipped",
    })),
    spec: [],
    findings: [],
  };
}
