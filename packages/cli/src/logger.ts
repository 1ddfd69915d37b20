// The CLI's logger: off unless SIMCEL_LOG names a level; lines go to stderr, redacted like every other line.
import { type Logger, redactSecrets } from "@simcel/auth";
import type { OutStream } from "./style.js";

const LEVELS = ["debug", "info", "warn", "error"] as const;
type Level = (typeof LEVELS)[number];

/** The levels SIMCEL_LOG accepts; `off` (or unset) logs nothing. */
export const LOG_LEVELS: readonly string[] = [...LEVELS, "off"];

/**
 * A logger writing `simcel: [level] message` lines to `stream` for `level` and above, or undefined
 * when logging is off. Throws a message naming SIMCEL_LOG when the value is not a level.
 */
export function createStderrLogger(value: string | undefined, stream: OutStream): Logger | undefined {
  const wanted = value?.trim().toLowerCase() || "off";
  if (!LOG_LEVELS.includes(wanted)) throw new Error(`SIMCEL_LOG must be one of: ${LOG_LEVELS.join(", ")}`);
  if (wanted === "off") return undefined;
  const from = LEVELS.indexOf(wanted as Level);
  const logger: Logger = {};
  for (const level of LEVELS.slice(from))
    logger[level] = (message: string) => {
      stream.write(`${redactSecrets(`simcel: [${level}] ${message}`)}\n`);
    };
  return logger;
}
