export { BodyStreamError, type ErrorBody, parseErrorBody, readErrorBody, readLimitedText } from "./body.js";
export { hasBrand, stampBrands } from "./brand.js";
export { TOKEN_REFUSED_HEADER } from "./headers.js";
export { callHook, type Logger, log } from "./logger.js";
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
export { createRedactor, REDACTED, redactSecrets, redactValue, registerSecret } from "./secrets.js";
export { abortable, abortReason, sleep } from "./sleep.js";
