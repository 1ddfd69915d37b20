// The stderr logger of the CLI and the MCP server, set by SIMCEL_LOG (debug|info|warn|error|off,
// default off), or by DEBUG naming simcel (`DEBUG=simcel*`, the debug package's convention) for debug. It has the shape of the libraries' `logger` option, so the same object can be handed
// to @simcel/auth and @simcel/insights. Every line passes through `redact` before it is written, and
// reaches a person's terminal: a message or field may quote the API, so the message is shown through
// safeText and the fields as safeJson (JSON still, with no control or bidi character left raw).

import type { Logger } from "@simcel/auth";
import { safeJson, safeText } from "./safe-text.js";

export type { Logger };

/** The levels, least severe first. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
/** A level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Options of {@link createLineLogger}. */
export interface LineLoggerOptions {
  /** The SIMCEL_LOG value: a level, `off`, or unset (off, unless `debug` names simcel). */
  level: string | undefined;
  /** The DEBUG value: patterns such as `simcel*` or `*,-express*`; one that matches `simcel` means level debug when SIMCEL_LOG is unset. */
  debug?: string | undefined;
  /** Writes one line (with its newline), e.g. to stderr. */
  write: (line: string) => void;
  /** Names the program on each line, e.g. `simcel-mcp`. */
  name: string;
  /** Applied to every line before it is written (secret redaction). */
  redact: (text: string) => string;
  /** The clock, for the timestamp. */
  now?: () => number;
}

/** Fields as JSON that never throws (errors become name + message, cycles and bigints are tolerated). */
export function fieldsJson(fields: Record<string, unknown>): string {
  const seen = new WeakSet<object>();
  return safeJson(fields, (_key, value: unknown) => {
    if (value instanceof Error) return { name: value.name, message: value.message };
    if (typeof value === "bigint") return value.toString();
    if (value && typeof value === "object") {
      if (seen.has(value)) return "[circular]";
      seen.add(value);
    }
    return value;
  });
}

/**
 * Whether a DEBUG value turns on `name`, as the debug package reads it: comma- or space-separated patterns, `*` for
 * any characters, a leading `-` excluding what it matches.
 */
export function debugEnables(value: string | undefined, name: string): boolean {
  let on = false;
  for (const pattern of value?.split(/[\s,]+/).filter(Boolean) ?? []) {
    const excluded = pattern.startsWith("-");
    const body = excluded ? pattern.slice(1) : pattern;
    const regex = new RegExp(`^${body.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*")}$`);
    if (!regex.test(name)) continue;
    if (excluded) return false;
    on = true;
  }
  return on;
}

/**
 * A logger writing `2026-01-01T00:00:00.000Z simcel-mcp info message {"field":1}` lines at `level`
 * and above. `warning` is set when `level` is not a level name: the caller prints it once (logging is
 * then off).
 */
export function createLineLogger(options: LineLoggerOptions): { logger: Logger; warning?: string } {
  const { write, name, redact, now = Date.now } = options;
  const wanted = options.level?.trim().toLowerCase() || (debugEnables(options.debug, "simcel") ? "debug" : "off");
  const min = LOG_LEVELS.indexOf(wanted as LogLevel);
  const logger: Logger = {};
  if (min >= 0)
    for (const level of LOG_LEVELS.slice(min))
      logger[level] = (message, fields) => {
        const tail = fields && Object.keys(fields).length > 0 ? ` ${redact(fieldsJson(fields))}` : "";
        // redacted first, then escaped: redact looks for a secret in the forms a server writes it in
        write(`${safeText(redact(`${new Date(now()).toISOString()} ${name} ${level} ${message}`))}${tail}\n`);
      };
  if (min < 0 && wanted !== "off")
    return {
      logger,
      warning: `${name}: SIMCEL_LOG must be one of ${LOG_LEVELS.join(", ")} or off (got ${safeJson(options.level)}); logging is off`,
    };
  return { logger };
}
