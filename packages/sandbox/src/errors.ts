// Error bodies, as the spec documents them (`{statusCode, error, message}`, the messages of its examples), and
// the error the sandbox's own API throws when it is used wrongly.
import { STATUS_CODES } from "node:http";
import { operations } from "./generated/operations.js";

/** An operation id of the spec. */
export type OperationId = keyof typeof operations;

/** The error body every SIMCEL endpoint answers with. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
}

/** A misuse of the sandbox itself (a bad option, an unknown operation): says what to fix. */
export class SimcelSandboxError extends Error {
  override name = "SimcelSandboxError";
  constructor(message: string) {
    super(`[@simcel/sandbox] ${message}`);
  }
}

/** An answer decided before any data is read: a status and the spec's error body for it. */
export class ApiRefusal {
  constructor(
    readonly status: number,
    readonly message: string,
    readonly headers: Record<string, string> = {},
  ) {}
  get body(): ErrorBody {
    return { statusCode: this.status, error: STATUS_CODES[this.status] ?? "Error", message: this.message };
  }
}

/**
 * The first example body the spec gives for `status` of `operation`, or `{statusCode, error, message}` with
 * the HTTP reason phrase when it gives none.
 */
export function specError(operation: OperationId | undefined, status: number): ErrorBody {
  const examples = (operation ? operations[operation].errors : {}) as Record<string, Record<string, ErrorBody>>;
  const first = Object.values(examples[String(status)] ?? {})[0];
  const reason = STATUS_CODES[status] ?? "Error";
  return first ? { ...first } : { statusCode: status, error: reason, message: reason };
}

/** The spec's messages the sandbox fills in with the request's own ids and values. */
export const messages = {
  /** `Plan plan_xxx not found or you do not have access`. */
  planNotFound: (planId: string) =>
    operations.getPnlSummary.errors[404].planNotFound.message.replace("plan_xxx", planId),
  /** The same sentence for a scenario (the spec documents 404 for "plan or scenario"). */
  scenarioNotFound: (scenarioId: string) =>
    operations.getPnlSummary.errors[404].planNotFound.message.replace("Plan plan_xxx", `Scenario ${scenarioId}`),
  noComputedOutput: (scenarioId: string) =>
    operations.getPnlSummary.errors[422].noComputedOutput.message.replace("scen_xxx", scenarioId),
  dateRange: () => operations.getPnlSummary.errors[422].dateRange.message,
  /** `scenarioIds: maximum 3 scenarios allowed`, with the spec's own maximum. */
  tooMany: (name: string, max: number) =>
    operations.getPnlSummary.errors[400].tooManyScenarios.message
      .replace("scenarioIds", name)
      .replace(/\d+/, String(max)),
  /** `interval must be one of: M, FY`, for any parameter and its allowed values. */
  oneOf: (name: string, values: readonly string[]) =>
    operations.getPnlSummary.errors[400].invalidInterval.message
      .replace(/^interval/, name)
      .replace(/: .*$/, `: ${values.join(", ")}`),
  missingScope: (scope: string) =>
    operations.getPnlSummary.errors[403].missingScope.message.replace("insights:read", scope),
  unauthorized: () => operations.listPlans.errors[401].missing.message,
  invalidApiKey: () => operations.exchangeApiKey.errors[401].invalidApiKey.message,
  apiKeyRequired: () => operations.exchangeApiKey.errors[400].missingApiKey.message,
  invalidClient: () => operations.issueClientCredentialsToken.errors[401].invalidClient.message,
  grantType: () => operations.issueClientCredentialsToken.errors[400].unsupportedGrantType.message,
  rateLimited: () => operations.listPlans.errors[429].rateLimited.message,
} as const;
