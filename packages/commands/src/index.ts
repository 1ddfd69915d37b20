export { describeError, type ErrorDescription, type ErrorWording } from "./describe-error.js";
export { componentSchemas, operationSchemas } from "./generated/schemas.js";
export { tokenOperations, tokenShapes } from "./generated/token-operations.js";
export { CommandInputError } from "./input-error.js";
export { readTokenClaims, type TokenClaims } from "./jwt.js";
export {
  createLineLogger,
  debugEnables,
  fieldsJson,
  type LineLoggerOptions,
  LOG_LEVELS,
  type Logger,
  type LogLevel,
} from "./logger.js";
export {
  type ClientCall,
  type CompareOutcome,
  OPERATION_LIST,
  OPERATIONS,
  type Operation,
  type Parameter,
  type RunContext,
  type SpecOperationId,
} from "./operations.js";
export { safeJson, safeText } from "./safe-text.js";
export { defaultFirst, type JsonSchema, orList, type ParameterFacts, parameterFacts } from "./schema.js";
