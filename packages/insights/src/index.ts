export type { Logger, RetryEvent, SimcelErrorJSON } from "@simcel/core";
export { type PinoLike, pinoLogger, redactSecrets, SimcelError, type SimcelErrorFields } from "@simcel/core";
export { type CheckedOperation, checkOperationParams } from "./checks.js";
export {
  type CallOptions,
  createInsightsClient,
  type Fetch,
  type InsightsClient,
  type InsightsClientOptions,
  type InsightsHooks,
  type SpecMismatchEvent,
} from "./client.js";
export {
  type BaseCandidate,
  type CompareOptions,
  type ComparisonRow,
  chooseBaseScenario,
  compareScenarios,
  type KpiComparison,
  type ScenarioComparison,
} from "./compare.js";
export { type DataAge, dataAge } from "./data-age.js";
export {
  AuthenticationError,
  ClosedError,
  ConfigError,
  ConnectionError,
  errorFromStatus,
  InvalidRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RedirectError,
  ResponseValidationError,
  ServerError,
  SimcelApiError,
  type SimcelErrorInit,
  TimeoutError,
} from "./errors.js";
export type { components as InsightsComponents, paths as InsightsPaths } from "./generated/openapi.js";
export { defaultBaseUrl, operations, scopes, shapes } from "./generated/operations.js";
export { checkResponse, type Mismatch, type Shape } from "./response-check.js";
export type * from "./types.js";
