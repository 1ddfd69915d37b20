// Turns any error into the one stderr line and exit code the CLI ends with. Library messages keep
// their substance but lose their `[@simcel/…]` prefix, and API parameter names become the flags
// the user typed (`scenarioIds` → `--scenarios`).
import { SimcelAuthConfigError, SimcelAuthError, SimcelOriginRefusedError } from "@simcel/auth";
import {
  AuthenticationError,
  ConnectionError,
  InvalidRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RedirectError,
  ResponseValidationError,
  SimcelApiError,
} from "@simcel/insights";
import { COMMANDS } from "./commands.js";
import { EXIT, UsageError } from "./errors.js";

/** The outcome of a failed run: exit code and one line for stderr (without newline). */
export interface ErrorReport {
  exitCode: number;
  line: string;
}

/** API parameter → the flag that sets it. */
const FLAG_OF: Record<string, string> = {};
for (const command of Object.values(COMMANDS))
  for (const [name, flag] of Object.entries(command.flags)) if (flag.param) FLAG_OF[flag.param] = `--${name}`;

const strip = (message: string) => message.replace(/^\[@simcel\/[a-z-]+\] /, "");

const PARAMS = new RegExp(`\\b(${Object.keys(FLAG_OF).join("|")})\\b`, "g");

/** Rewrites API parameter names in `message` as the CLI's flags. */
export function withFlagNames(message: string): string {
  return message.replace(PARAMS, (p) => FLAG_OF[p] ?? p);
}

/** The exit code and stderr line for `error`, thrown while running `command`. */
export function describeError(error: unknown, command: string | undefined, baseUrl: string | undefined): ErrorReport {
  const where = command ? `simcel ${command}` : "simcel";
  const usage = (line: string): ErrorReport => ({ exitCode: EXIT.usage, line });
  const api = (line: string): ErrorReport => ({ exitCode: EXIT.api, line });
  if (error instanceof UsageError) return usage(error.message);
  if (error instanceof SimcelAuthConfigError) return usage(`${where}: ${strip(error.message)}`);
  if (error instanceof SimcelOriginRefusedError)
    return usage(
      `${where}: refusing to send credentials to ${error.origin}: use an https base URL (plain http only to loopback such as 127.0.0.1)`,
    );
  if (error instanceof SimcelAuthError) return api(`${where}: sign-in failed: ${strip(error.message)}`);
  if (error instanceof InvalidRequestError) {
    const hint = error.status === undefined ? `; see ${where} --help` : "";
    return usage(`${where}: ${withFlagNames(strip(error.message))}${hint}`);
  }
  if (error instanceof PermissionDeniedError) {
    const scope = error.scope ? `the scope ${error.scope}` : "a scope this call needs";
    return api(
      `${where}: permission denied: the credential lacks ${scope}; use an API key or client granted ${error.scope ?? "it"} (${strip(error.message)})`,
    );
  }
  if (error instanceof NotFoundError)
    return api(
      `${where}: not found: ${strip(error.message)}; list the plans and scenarios you can read with: simcel plans`,
    );
  if (error instanceof AuthenticationError)
    return api(
      `${where}: the API rejected the token: ${strip(error.message)}${error.hint ? "" : "; check the credential in SIMCEL_*"}`,
    );
  if (error instanceof RedirectError)
    return api(`${where}: ${strip(error.message)}; check --base-url / SIMCEL_BASE_URL: it should be the API itself`);
  if (error instanceof ResponseValidationError)
    return api(
      `${where}: the API answered something this SDK's spec does not allow: ${strip(error.message)}; please report it with: simcel doctor`,
    );
  if (error instanceof RateLimitError) {
    const wait = error.retryAfterMs === undefined ? "" : `; retry in ${Math.ceil(error.retryAfterMs / 1000)} s`;
    return api(`${where}: rate limited: ${strip(error.message)}${wait}`);
  }
  if (error instanceof ConnectionError)
    return api(
      `${where}: cannot reach ${baseUrl ?? "the API"}: ${strip(error.message)}; check --base-url / SIMCEL_BASE_URL and the network`,
    );
  if (error instanceof SimcelApiError) return api(`${where}: ${strip(error.message)}`);
  return api(`${where}: unexpected error: ${error instanceof Error ? error.message : String(error)}`);
}
