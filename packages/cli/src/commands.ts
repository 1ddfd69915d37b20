// The CLI's commands and flags, derived from the command table in @simcel/commands (which the MCP
// server's tools come from too): each operation is a command, each of its parameters a flag. Only
// the global flags and `token` (no API operation) are the CLI's own. Help text, argument validation
// and the README's command list are all derived from this one place.
import { OPERATION_LIST, type Operation } from "@simcel/commands";

/** One flag of a command. */
export interface FlagSpec {
  /** `string` flags take a value (`--plan ID`), `boolean` flags do not. */
  type: "string" | "boolean";
  /** One-letter alias. */
  short?: string;
  /** Placeholder of the value in help, e.g. `ID`. */
  value?: string;
  /** One line for help. */
  description: string;
  /** The API query parameter this flag feeds; used to name the flag in the API's validation errors. */
  param?: string;
}

/** One command. */
export interface CommandSpec {
  summary: string;
  /** Usage line after `simcel <name>`. */
  usage: string;
  flags: Record<string, FlagSpec>;
  /** The operation of the command table it runs; none for `token`. */
  operation?: Operation;
}

/** Flags every command accepts. */
export const GLOBAL_FLAGS: Record<string, FlagSpec> = {
  json: { type: "boolean", description: "machine output: JSON on stdout, nothing else" },
  "base-url": {
    type: "string",
    value: "URL",
    description: "API base URL (default: SIMCEL_BASE_URL or https://app.simcel.io/api)",
  },
  help: { type: "boolean", short: "h", description: "show help" },
  version: { type: "boolean", short: "V", description: "show the version" },
};

/** A command of the table: its parameters as flags, required ones first in the usage line as the table orders them. */
function commandOf(operation: Operation): CommandSpec {
  const flags: Record<string, FlagSpec> = {};
  for (const p of operation.parameters)
    flags[p.flag] = { type: "string", value: p.value, description: p.help, param: p.name };
  const usage = operation.parameters
    .map((p) => (p.required ? `--${p.flag} ${p.usageValue}` : `[--${p.flag} ${p.usageValue}]`))
    .join(" ");
  return { summary: operation.summary, usage, flags, operation };
}

/** The commands, in help order. */
export const COMMANDS: Record<string, CommandSpec> = {
  ...Object.fromEntries(OPERATION_LIST.map((op) => [op.command, commandOf(op)])),
  token: {
    summary: "who am I: credential kind, token expiry, scopes",
    usage: "[--show-token]",
    flags: { "show-token": { type: "boolean", description: "also print the access token (a secret)" } },
  },
};
