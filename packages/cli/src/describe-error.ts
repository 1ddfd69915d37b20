// Turns any error into the one stderr line and exit code the CLI ends with. What an error means and
// what to do about it is decided once for the CLI and the MCP server (@simcel/commands); the CLI
// brings its words: library messages lose their `[@simcel/…]` prefix, and API parameter names
// become the flags the user typed (`scenarioIds` → `--scenarios`).
import { classifyError, describeError as describe, type ErrorObject, errorObject } from "@simcel/commands";
import { COMMANDS } from "./commands.js";
import { UsageError } from "./errors.js";

/** The outcome of a failed run: exit code, one line for stderr (without newline), and the `--json` error object. */
export interface ErrorReport {
  /** From the error's class: 1 unexpected, 2 usage, 3 not found, 4 authentication, 5 permission, 75 temporary. */
  exitCode: number;
  /** Raw text that may quote the server: shown to a person through safeText, once. */
  line: string;
  /** What `--json` prints on stdout: `{error: {code, status, message, requestId, retryAfterMs, hint}}`. */
  json: ErrorObject;
}

/** API parameter → the flag that sets it. */
const FLAG_OF: Record<string, string> = {};
for (const command of Object.values(COMMANDS))
  for (const [name, flag] of Object.entries(command.flags)) if (flag.param) FLAG_OF[flag.param] = `--${name}`;

const PARAMS = new RegExp(`\\b(${Object.keys(FLAG_OF).join("|")})\\b`, "g");

/** Rewrites API parameter names in `message` as the CLI's flags. */
export function withFlagNames(message: string): string {
  return message.replace(PARAMS, (p) => FLAG_OF[p] ?? p);
}

/** The exit code and stderr line for `error`, thrown while running `command`. */
export function describeError(error: unknown, command: string | undefined, baseUrl: string | undefined): ErrorReport {
  const { exitCode } = classifyError(error);
  if (error instanceof UsageError) return { exitCode, line: error.message, json: errorObject(error, error.message) };
  const where = command ? `simcel ${command}` : "simcel";
  const { message } = describe(error, {
    where,
    rename: withFlagNames,
    inputHint: `; see ${where} --help`,
    listPlans: "simcel plans",
    baseUrlSetting: "--base-url / SIMCEL_BASE_URL",
    baseUrl,
  });
  return { exitCode, line: message, json: errorObject(error, message) };
}
