// Help text, derived from the command table so it never drifts from what the parser accepts.

import { EXIT_CODE_MEANINGS } from "@simcel/commands";
import { COMMANDS, type FlagSpec, GLOBAL_FLAGS } from "./commands.js";
import { renderTable } from "./table.js";

const flagRows = (flags: Record<string, FlagSpec>) =>
  Object.entries(flags).map(([name, f]) => [
    `${f.short ? `-${f.short}, ` : "    "}--${name}${f.value ? ` ${f.value}` : ""}`,
    f.description,
  ]);

/** Every variable the CLI reads, once, for `simcel --help`. */
const VARIABLES: Record<string, string> = {
  SIMCEL_API_KEY: "an API key, exchanged for a token at POST /auth/v1/token",
  "SIMCEL_CLIENT_ID + SIMCEL_CLIENT_SECRET": "OAuth2 client credentials [+ SIMCEL_SCOPES]",
  SIMCEL_TOKEN: "a bearer token you already have",
  SIMCEL_BASE_URL: "API base URL (default https://app.simcel.io/api)",
  SIMCEL_TOKEN_CACHE: "off: sign in on every run (default: the token is kept, sealed, in ~/.cache/simcel)",
  SIMCEL_LOG: "debug, info, warn or error: log requests, retries and sign-ins on stderr",
  SIMCEL_SANDBOX: "1: run against a local sandbox with invented data (as --sandbox); your credentials are not used",
  NO_COLOR: "no colour (as --color=never)",
  FORCE_COLOR: "0 no colour, 1–3 colour even when piped (as --color=always); --color wins over both",
  TERM: "dumb: no colour and no spinner",
};

/** The variables a command reads: the credential and where it goes, then what shapes its output. */
const CREDENTIAL_VARIABLES = [
  "SIMCEL_API_KEY",
  "SIMCEL_CLIENT_ID",
  "SIMCEL_CLIENT_SECRET",
  "SIMCEL_SCOPES",
  "SIMCEL_TOKEN",
  "SIMCEL_BASE_URL",
  "SIMCEL_SANDBOX",
  "SIMCEL_LOG",
];
const TERMINAL_VARIABLES = ["NO_COLOR", "FORCE_COLOR", "TERM"];
const READS: Record<string, string[]> = {
  report: [...CREDENTIAL_VARIABLES, "SIMCEL_TOKEN_CACHE"],
  doctor: [...CREDENTIAL_VARIABLES, ...TERMINAL_VARIABLES],
  token: [...CREDENTIAL_VARIABLES, "SIMCEL_TOKEN_CACHE", ...TERMINAL_VARIABLES],
  completion: [...CREDENTIAL_VARIABLES.filter((v) => v !== "SIMCEL_SANDBOX"), "SIMCEL_TOKEN_CACHE", "XDG_CACHE_HOME"],
};
/** The variables `command` reads (the data commands: all of the credential's, the token cache's and the terminal's). */
export function variablesOf(command: string): string[] {
  return READS[command] ?? [...CREDENTIAL_VARIABLES, "SIMCEL_TOKEN_CACHE", ...TERMINAL_VARIABLES];
}

const EXIT_CODES = `Exit codes:
${renderTable(
  EXIT_CODE_MEANINGS.map(([code, meaning]) => [String(code), meaning]),
  { indent: 2, align: ["r"] },
)}`;

/** `simcel --help`. */
export function globalHelp(): string {
  const commands = renderTable(
    Object.entries(COMMANDS).map(([name, c]) => [name, c.summary]),
    { indent: 2 },
  );
  return `simcel — SIMCEL plans, P&L, demand, CO2 and scenario comparison in the terminal

Usage: simcel <command> [flags]

Commands:
${commands}
Global flags:
${renderTable(flagRows(GLOBAL_FLAGS), { indent: 2 })}
Environment:
${renderTable(Object.entries(VARIABLES), { indent: 2 })}
${EXIT_CODES}
Run \`simcel <command> --help\` for a command's flags and the variables it reads.
`;
}

/** `simcel <command> --help`. */
export function commandHelp(name: string): string {
  const command = COMMANDS[name];
  if (!command) return globalHelp();
  const own = Object.keys(command.flags).length
    ? `Flags:\n${renderTable(flagRows(command.flags), { indent: 2 })}\n`
    : "";
  return `simcel ${name} — ${command.summary}

Usage: simcel ${name}${command.usage ? ` ${command.usage}` : ""} [--json] [--base-url URL]

${own}Global flags:
${renderTable(flagRows(GLOBAL_FLAGS), { indent: 2 })}
${command.details ? `${command.details}\n` : ""}Reads: ${variablesOf(name).join(", ")} (see simcel --help)
Exit codes: 0 ok, 1 bug, 2 usage, 3 not found, 4 authentication, 5 permission, 75 temporary (see simcel --help)
`;
}
