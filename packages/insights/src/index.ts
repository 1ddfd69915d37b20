export { type CallOptions, createInsightsClient, type InsightsClient, type InsightsClientOptions } from "./client.js";
export {
  type BaseCandidate,
  type CompareOptions,
  type ComparisonRow,
  chooseBaseScenario,
  compareScenarios,
  type KpiComparison,
  type ScenarioComparison,
} from "./compare.js";
export {
  AuthenticationError,
  ConnectionError,
  InvalidRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  SimcelApiError,
  type SimcelErrorInit,
  TimeoutError,
} from "./errors.js";
export type { components as InsightsComponents, paths as InsightsPaths } from "./generated/openapi.js";
export { defaultBaseUrl, operations, scopes } from "./generated/operations.js";
export { type DataAge, dataAge } from "./staleness.js";
export type * from "./types.js";
