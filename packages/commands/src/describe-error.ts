// Any error a command can end with → one message saying what to fix: the one home of that
// judgement for the CLI (a stderr line and an exit code) and the MCP server (a tool error an agent
// acts on). Each surface brings its own words: where it happened, how it names a parameter (the CLI
// by its flag), how to list plans, where the base URL is set.
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
import { CommandInputError } from "./input-error.js";

/** The words of one surface (CLI or MCP server) for {@link describeError}. */
export interface ErrorWording {
  /** Starts every message: `simcel pnl`, or the tool name. */
  where: string;
  /** How this surface names an API parameter in a message (the CLI: `scenarioIds` → `--scenarios`). Default as is. */
  rename?: (message: string) => string;
  /** Appended to a mistake the local checks found (no request was sent), e.g. `; see simcel pnl --help`. */
  inputHint?: string;
  /** Appended to a configuration mistake (missing or conflicting SIMCEL_* variables). */
  configHint?: string;
  /** How to list the plans and scenarios one can read: `simcel plans`, or a tool. */
  listPlans: string;
  /** Where the base URL is set: `--base-url / SIMCEL_BASE_URL`. */
  baseUrlSetting: string;
  /** The base URL in use, when known. */
  baseUrl?: string | undefined;
}

/**
 * What went wrong, in one line. `input`: a parameter to change; `config`: the environment to change
 * (credentials, base URL); `api`: the API or the network answered with a failure.
 */
export interface ErrorDescription {
  kind: "input" | "config" | "api";
  /**
   * Raw text: it may quote the server (a message, a reason, a value it sent back). Whoever shows it to a
   * person passes it through `safeText` once (the CLI's error line, its report and doctor, the stderr log);
   * an agent gets it as is, like the data.
   */
  message: string;
  /** The parameter at fault, for `input`. */
  param?: string;
}

/** `; retry in N s` when the error carries the server's Retry-After (a 429 from the API or the token endpoint). */
const retryIn = (error: unknown) => {
  const ms = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof ms === "number" ? `; retry in ${Math.ceil(ms / 1000)} s` : "";
};

/** Where a bug is reported. */
const ISSUES = "https://github.com/simcel/simcel-sdk-typescript/issues";

const strip = (message: string) => message.replace(/^\[@simcel\/[a-z-]+\] /, "");

/** The one line that says what `error` means and what to do about it, in `wording`'s words. */
export function describeError(error: unknown, wording: ErrorWording): ErrorDescription {
  const { where } = wording;
  const rename = wording.rename ?? ((m: string) => m);
  const api = (message: string): ErrorDescription => ({ kind: "api", message: `${where}: ${message}` });
  if (error instanceof SimcelAuthConfigError)
    return { kind: "config", message: `${where}: ${strip(error.message)}${wording.configHint ?? ""}` };
  if (error instanceof SimcelOriginRefusedError)
    return {
      kind: "config",
      message: `${where}: refusing to send credentials to ${error.origin}: use an https base URL (plain http only to loopback such as 127.0.0.1)`,
    };
  if (error instanceof SimcelAuthError) return api(`sign-in failed: ${strip(error.message)}${retryIn(error)}`);
  if (error instanceof CommandInputError)
    return { kind: "input", param: error.param, message: `${where}: ${rename(error.message)}` };
  if (error instanceof InvalidRequestError) {
    // A local check (no status): the caller can fix it from the help; the planId hint says where ids come from.
    const local = error.status === undefined;
    const param = error.param;
    const hint = local
      ? `${param === "planId" ? `; list plans with: ${wording.listPlans}` : ""}${wording.inputHint ?? ""}`
      : "";
    return {
      kind: "input",
      ...(param ? { param } : {}),
      message: `${where}: ${rename(strip(error.message))}${hint}`,
    };
  }
  if (error instanceof PermissionDeniedError) {
    const scope = error.scope ? `the scope ${error.scope}` : "a scope this call needs";
    return api(
      `permission denied: the credential lacks ${scope}; use an API key or client granted ${error.scope ?? "it"} (${strip(error.message)})`,
    );
  }
  if (error instanceof NotFoundError)
    return api(
      `not found: ${strip(error.message)}; list the plans and scenarios you can read with: ${wording.listPlans}`,
    );
  // its message carries the hint when even a freshly issued token was refused
  if (error instanceof AuthenticationError)
    return api(`the API rejected the token: ${strip(error.message)}; check the credential in SIMCEL_*`);
  if (error instanceof RedirectError)
    return api(`${strip(error.message)}; check ${wording.baseUrlSetting}: it should be the API itself`);
  if (error instanceof ResponseValidationError)
    return api(`the API answered something this SDK's spec does not allow: ${strip(error.message)}`);
  if (error instanceof RateLimitError) return api(`rate limited: ${strip(error.message)}${retryIn(error)}`);
  if (error instanceof ConnectionError)
    return api(
      `cannot reach ${wording.baseUrl ?? "the API"}: ${strip(error.message)}; check ${wording.baseUrlSetting} and the network`,
    );
  if (error instanceof SimcelApiError) return api(strip(error.message));
  return api(
    `unexpected error: ${error instanceof Error ? error.message : String(error)}; this is a bug: please report it, with what you ran, at ${ISSUES}`,
  );
}
