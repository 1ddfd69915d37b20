export type { Co2Body, DemandBody, PlansBody, PnlBody } from "./answers.js";
export type { RateLimit, Scope } from "./auth.js";
export { type ErrorBody, type OperationId, SimcelSandboxError } from "./errors.js";
export type {
  Drift,
  EchoSource,
  FailOptions,
  Fault,
  FaultHandle,
  FaultScope,
  OperationSelector,
} from "./faults.js";
export {
  type ApiKeyOptions,
  type ClientOptions,
  type Sandbox,
  type SandboxCounts,
  type SandboxOptions,
  type SandboxRequest,
  startSandbox,
} from "./sandbox.js";
export { currencyRates } from "./series.js";
