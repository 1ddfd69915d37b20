export { BodyStreamError, type ErrorBody, parseErrorBody, readErrorBody, readLimitedText } from "./body.js";
export { hasBrand, stampBrands } from "./brand.js";
export { SimcelError, type SimcelErrorFields, type SimcelErrorJSON } from "./errors.js";
export { TOKEN_REFUSED_HEADER } from "./headers.js";
export {
  type AttemptEvent,
  addTraceHeaders,
  type EndEvent,
  endTraceWithError,
  instrumentationSlot,
  type OperationStart,
  type OperationTrace,
  type RetryTraceEvent,
  type SimcelInstrumentation,
  startTrace,
  traceAttempt,
  traceError,
  traceRetries,
  traceUrl,
} from "./instrumentation.js";
export { callHook, type Logger, log, type PinoLike, pinoLogger } from "./logger.js";
export { createClient } from "./openapi-fetch.js";
export {
  type Attempt,
  backoffDelay,
  createAttempt,
  parseRetryAfter,
  type RetryEvent,
  type RetryLoop,
  type RetryTiming,
  withRetries,
} from "./retry.js";
export { clientIdentity, isBrowserPage, isProductTokens, runtimeToken } from "./runtime.js";
export { REDACTED, redactSecrets, registerSecret } from "./secrets.js";
export { abortable, abortReason, sleep } from "./sleep.js";
export {
  type AttemptInit,
  type Fetch,
  NetworkError,
  type RedirectPolicy,
  RedirectRefused,
  sendAttempt,
} from "./transport.js";
export { SDK_VERSION } from "./version.js";
