// Every read operation once, as a user's code calls it: the plans first, then the data of one plan (`--plan`, or
// the first listed). Each answer is held against the spec, and each failure said in words: "coming soon", a
// broken answer, a refusal the token's scopes predicted (or not), or an error.
import {
  checkResponse,
  type InsightsClient,
  operations,
  PermissionDeniedError,
  ResponseValidationError,
  type Shape,
  SimcelApiError,
  type SpecMismatchEvent,
  shapes,
} from "@simcel/insights";
import { type Diagnosis, describe } from "./diagnosis.js";
import { type OperationResult, READ_OPERATIONS, type ReadOperation } from "./report.js";

/** One call each, as a user's code makes it: the plan's defaults, nothing else. */
const CALLS: Record<ReadOperation, (client: InsightsClient, planId: string) => Promise<unknown>> = {
  listPlans: (c) => c.listPlans(),
  getPnlSummary: (c, planId) => c.getPnlSummary({ planId }),
  getDemandForecast: (c, planId) => c.getDemandForecast({ planId }),
  getSustainability: (c, planId) => c.getSustainability({ planId }),
};
/** Answers of an endpoint the spec marks `coming-soon` that mean "not there yet" rather than "broken". */
const NOT_THERE_YET = [404, 501];

/** Calls each read operation once; `requestSide` collects the spec mismatches of what the SDK sent. */
export async function checkReadOperations(
  d: Diagnosis,
  client: InsightsClient,
  requestSide: SpecMismatchEvent[],
): Promise<void> {
  const { report, input } = d;
  const results = new Map(report.operations.map((r) => [r.operation, r]));
  let planId = input.planId;
  for (const operation of READ_OPERATIONS) {
    const result = results.get(operation) as OperationResult;
    if (operation !== "listPlans" && !planId) {
      result.detail = "no plan to ask about: pass --plan ID";
      continue;
    }
    const { value, failure } = await callOnce(d, client, operation, planId as string, result);
    for (const event of requestSide.splice(0)) d.differences.request(event);
    if (failure !== undefined) {
      explainFailure(d, result, failure);
      continue;
    }
    result.outcome = "ok";
    if (operation === "listPlans" && !planId) {
      const first = (value as { plans?: { id: string }[] }).plans?.[0]?.id;
      if (first) {
        planId = first;
        report.plan = { id: first, source: "first plan" };
      } else d.find("note", "the key sees no plan: the data operations were not called (pass --plan ID to name one)");
    }
  }
  if (input.planId) report.plan = { id: input.planId, source: "--plan" };
}

/** One call of `operation`: its status and time in `result`, its answer held against the spec. */
async function callOnce(
  d: Diagnosis,
  client: InsightsClient,
  operation: ReadOperation,
  planId: string,
  result: OperationResult,
): Promise<{ value?: unknown; failure?: unknown }> {
  const before = d.watch.exchanges.length;
  let value: unknown;
  let failure: unknown;
  try {
    value = await CALLS[operation](client, planId);
  } catch (error) {
    failure = error;
  }
  // the last exchange of this call: after a 401 replay, the one that counted
  const exchange = d.watch.exchanges
    .slice(before)
    .reverse()
    .find((e) => e.url.pathname.endsWith(operations[operation].path));
  result.status = exchange?.status ?? (failure instanceof SimcelApiError ? (failure.status ?? null) : null);
  result.latencyMs = exchange?.latencyMs ?? null;
  if (exchange?.body !== undefined)
    d.differences.response(
      operation,
      checkResponse(operations[operation].response as Shape, exchange.body, shapes as Record<string, Shape>),
      true,
    );
  return { value, failure };
}

/** The outcome and words of a failed call; a problem unless it is "coming soon" or a refusal the scopes predicted. */
function explainFailure(d: Diagnosis, result: OperationResult, failure: unknown): void {
  const { operation, status } = result;
  const baseUrl = d.report.configuration.baseUrl;
  if (
    (operations[operation] as { availability?: string }).availability === "coming-soon" &&
    status !== null &&
    NOT_THERE_YET.includes(status)
  ) {
    result.outcome = "coming-soon";
    result.detail = "SIMCEL documents this endpoint as not available yet; not a failure";
  } else if (failure instanceof ResponseValidationError) {
    result.outcome = "fails";
    result.detail = `the answer breaks the spec at ${failure.pointer || "its root"}: SDK calls fail`;
  } else if (failure instanceof PermissionDeniedError) {
    result.outcome = "refused";
    const scope = operations[operation].scope;
    const predicted = d.report.access.find((a) => a.operation === operation)?.granted === false;
    result.detail = predicted
      ? `refused: the key lacks ${scope}, as its scopes say`
      : `refused although the token carries ${scope}: ${describe(failure, baseUrl)}`;
    if (!predicted) d.find("problem", `${operation}: ${result.detail}`);
  } else {
    result.outcome = "error";
    result.detail = describe(failure, baseUrl);
    d.find("problem", `${operation}: ${result.detail}`);
  }
}
