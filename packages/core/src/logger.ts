/**
 * Where the SDK reports what it does: requests, retries, token refreshes and their failures. Any
 * method may be left out; the default logs nothing. No message or field ever holds a secret or token.
 * `console` fits, as does a pino or winston logger.
 */
export interface Logger {
  debug?(message: string, fields?: Record<string, unknown>): void;
  info?(message: string, fields?: Record<string, unknown>): void;
  warn?(message: string, fields?: Record<string, unknown>): void;
  error?(message: string, fields?: Record<string, unknown>): void;
}

/** Calls a logger method without letting a throwing logger break the call it reports on. */
export function log(
  logger: Logger | undefined,
  level: keyof Logger,
  message: string,
  fields?: Record<string, unknown>,
): void {
  try {
    logger?.[level]?.(message, fields);
  } catch {
    // a logger's failure is not the caller's failure
  }
}

/** Calls a user hook, isolated the same way. */
export function callHook<E>(hook: ((event: E) => void) | undefined, event: E): void {
  try {
    hook?.(event);
  } catch {
    // a hook's failure is not the caller's failure
  }
}
