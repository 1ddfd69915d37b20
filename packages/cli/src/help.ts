// Help text, derived from the command table so it never drifts from what the parser accepts.
import { COMMANDS, type FlagSpec, GLOBAL_FLAGS } from "./commands.js";
import { renderTable } from "./table.js";

const flagRows = (flags: Record<string, FlagSpec>) =>
  Object.entries(flags).map(([name, f]) => [
    `${f.short ? `-${f.short}, ` : "    "}--${name}${f.value ? ` ${f.value}` : ""}`,
    f.description,
  ]);

const ENVIRONMENT = `Credentials (read from the environment):
${renderTable(
  [
    ["SIMCEL_API_KEY", "an API key, exchanged for a token at POST /auth/v1/token"],
    ["SIMCEL_CLIENT_ID + SIMCEL_CLIENT_SECRET", "OAuth2 client credentials [+ SIMCEL_SCOPES]"],
    ["SIMCEL_TOKEN", "a bearer token you already have"],
    ["SIMCEL_BASE_URL", "API base URL (default https://app.simcel.io/api)"],
    ["SIMCEL_TOKEN_CACHE", "off: sign in on every run (default: the token is kept, sealed, in ~/.cache/simcel)"],
    ["SIMCEL_LOG", "debug, info, warn or error: log requests, retries and sign-ins on stderr"],
    [
      "SIMCEL_SANDBOX",
      "1: run against a local sandbox with invented data (as --sandbox); your credentials are not used",
    ],
    ["NO_COLOR", "no colour (colour is only ever used on a terminal)"],
  ],
  { indent: 2 },
)}
Exit codes: 0 success, 1 API or network error, 2 usage error (bad flag or value, missing credentials).
`;

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
${ENVIRONMENT}
Run \`simcel <command> --help\` for a command's flags.
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
${ENVIRONMENT}`;
}
