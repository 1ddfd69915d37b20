export { type ErrorBody, readErrorBody, readLimitedText } from "./error-body.js";
export { createClient } from "./openapi-fetch.js";
export { backoffDelay, parseRetryAfter, type RetryTiming } from "./retry.js";
export { abortReason, sleep } from "./sleep.js";
