/**
 * Where the SDK reports what it does: requests, retries, token refreshes and their failures. Any
 * method may be left out; the default logs nothing. No message or field ever holds a secret or token.
 * Each method is called as `(message, fields)`: `console` and a winston logger fit as they are. pino takes
 * `(fields, message)` and would drop the fields: wrap it in `pinoLogger(logger)`.
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

/** The methods of a pino logger the SDK calls: pino puts the fields object first. */
export interface PinoLike {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** A {@link Logger} writing to a pino logger (or a child of one), each field kept in the log record. */
export function pinoLogger(pino: PinoLike): Logger {
  const at =
    (level: keyof PinoLike) =>
    (message: string, fields?: Record<string, unknown>): void =>
      pino[level](fields ?? {}, message);
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
