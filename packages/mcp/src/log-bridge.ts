// The MCP `logging` capability, fed by the SDK's logger. A tenant's token cache and insights client are
// shared by every session of its credential, so they cannot hold one session's logger: they log to a
// bridge that writes to the process's log (stderr) and, through AsyncLocalStorage, to the session whose
// tool call is running — the line goes to the host that caused it, and to no other.
import { AsyncLocalStorage } from "node:async_hooks";
import type { LoggingLevel } from "@modelcontextprotocol/sdk/types.js";
import { redactValue } from "@simcel/auth";
import { fieldsJson, LOG_LEVELS, type Logger, type LogLevel } from "@simcel/commands";

/** Sends one log line to the session of the call in progress. */
export type SessionLogSink = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

const current = new AsyncLocalStorage<SessionLogSink>();

/** Runs `task` with `sink` receiving the log lines the SDK writes while it runs. */
export function withSessionLog<T>(sink: SessionLogSink, task: () => Promise<T>): Promise<T> {
  return current.run(sink, task);
}

/** A logger for a tenant: every line to `base` (the process's log) and to the running call's session. */
export function createBridgedLogger(base: Logger): Logger {
  const logger: Logger = {};
  for (const level of LOG_LEVELS)
    logger[level] = (message, fields) => {
      base[level]?.(message, fields);
      current.getStore()?.(level, message, fields);
    };
  return logger;
}

/** The MCP level of an SDK level. */
export const mcpLevel = (level: LogLevel): LoggingLevel => (level === "warn" ? "warning" : level);

/** MCP's levels, least severe first (RFC 5424's, as the spec lists them). */
const SEVERITY: readonly LoggingLevel[] = [
  "debug",
  "info",
  "notice",
  "warning",
  "error",
  "critical",
  "alert",
  "emergency",
];

/** Whether a line at `level` passes a session's threshold. */
export const passes = (level: LoggingLevel, threshold: LoggingLevel) =>
  SEVERITY.indexOf(level) >= SEVERITY.indexOf(threshold);

/** The `data` of a `notifications/message`: the message and its fields, as JSON with every secret removed. */
export function logData(message: string, fields?: Record<string, unknown>): unknown {
  return redactValue(JSON.parse(fieldsJson({ ...fields, message })));
}
