import { AuthConfigError } from "./errors.js";

/** Throws a config error naming `setting` unless `value` is a non-blank string. */
export function required(value: unknown, setting: string): asserts value is string {
  if (typeof value !== "string" || !value.trim()) throw new AuthConfigError(`${setting} is required`, { setting });
}

/** RFC 6750 b64token: also keeps out a token that would break (and be echoed by) the Authorization header. */
export const b64token = /^[\w\-.~+/]+=*$/;
