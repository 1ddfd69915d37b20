// What kind of failure an error is, derived from its stable `code` (and `status`, where a code spans
// several): the one table behind the CLI's exit codes, its `--json` error object and the start-up failures
// of simcel-mcp and simcel-sandbox. A script or agent decides on the class: fix the command (usage), fix
// the ids (not found), fix the key (authentication), ask for a scope (permission), retry later (temporary),
// or report a bug (unexpected).

/** The classes of failure, each with its own exit code. */
export type ErrorClass = "usage" | "not_found" | "authentication" | "permission" | "temporary" | "unexpected";

/**
 * Exit codes by class. 75 is `EX_TEMPFAIL` of sysexits.h: "retry later" to schedulers and shells alike.
 */
export const EXIT_CODES = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  not_found: 3,
  authentication: 4,
  permission: 5,
  temporary: 75,
} as const satisfies Record<ErrorClass | "ok", number>;

/** What a class means, for help text and READMEs: one line each, in exit-code order. */
export const EXIT_CODE_MEANINGS: ReadonlyArray<readonly [code: number, meaning: string]> = [
  [EXIT_CODES.ok, "success"],
  [EXIT_CODES.unexpected, "unexpected failure: a bug (the message asks you to report it)"],
  [EXIT_CODES.usage, "usage: unknown command or flag, a bad value, a request the API refused as invalid (400/422)"],
  [EXIT_CODES.not_found, "not found: unknown plan or scenario (404)"],
  [EXIT_CODES.authentication, "authentication: no credential, a refused sign-in, 401 after the replay"],
  [EXIT_CODES.permission, "permission: the token lacks a scope (403)"],
  [EXIT_CODES.temporary, "temporary: rate limited, 5xx, network, timeout (retry later; EX_TEMPFAIL)"],
];

/** The settings of a credential: a missing or malformed one is an authentication failure, not a usage one. */
const CREDENTIAL_SETTINGS = new Set([
  "SIMCEL_API_KEY",
  "SIMCEL_CLIENT_ID",
  "SIMCEL_CLIENT_SECRET",
  "SIMCEL_SCOPES",
  "SIMCEL_TOKEN",
  "apiKey",
  "clientId",
  "clientSecret",
  "token",
  "credential",
]);

/** A status the client may retry later: timeouts, rate limits, the server's own failures. */
const temporaryStatus = (status: number | undefined) =>
  status !== undefined && (status === 408 || status === 429 || status >= 500);

/** The class of an HTTP status when the code alone does not say (`api_error`: a status with no class of its own). */
function classOfStatus(status: number | undefined): ErrorClass {
  if (temporaryStatus(status)) return "temporary";
  if (status === 401) return "authentication";
  if (status === 403) return "permission";
  if (status === 404) return "not_found";
  if (status !== undefined && status >= 400) return "usage";
  return "unexpected";
}

interface Facts {
  status: number | undefined;
  setting: string | undefined;
}

/** Every stable code of the SDK (and of the CLI's own usage errors) → its class. */
const BY_CODE: Record<string, ErrorClass | ((facts: Facts) => ErrorClass)> = {
  // the CLI's and the commands' own: a flag, a value, a parameter to change
  usage: "usage",
  invalid_request: "usage",
  // a setting to change: the base URL (redirects, plain http off loopback), or the credential itself
  config_invalid: ({ setting }) => (setting && CREDENTIAL_SETTINGS.has(setting) ? "authentication" : "usage"),
  redirect_refused: "usage",
  origin_refused: "usage",
  token_request_redirected: "usage",
  not_found: "not_found",
  authentication_failed: "authentication",
  // a refused sign-in, unless the token endpoint only asked to come back later
  token_request_rejected: ({ status }) => (temporaryStatus(status) ? "temporary" : "authentication"),
  permission_denied: "permission",
  rate_limited: "temporary",
  server_error: "temporary",
  connection_failed: "temporary",
  timeout: "temporary",
  token_request_failed: "temporary",
  api_error: ({ status }) => classOfStatus(status),
  // the API answered something the spec does not allow: nothing the user can change; a report fixes it
  response_invalid: "unexpected",
  token_response_invalid: "unexpected",
};

/** What {@link classifyError} found. */
export interface ErrorClassification {
  /** The SDK's stable code, or `unexpected` for an error that has none (a bug). */
  code: string;
  class: ErrorClass;
  exitCode: number;
}

const field = (error: unknown, name: string): unknown =>
  typeof error === "object" && error !== null ? (error as Record<string, unknown>)[name] : undefined;

/** The class and exit code of `error`, from its `code` (and `status` or `setting` where the code spans several). */
export function classifyError(error: unknown): ErrorClassification {
  const code = field(error, "code");
  const rule = typeof code === "string" && Object.hasOwn(BY_CODE, code) ? BY_CODE[code] : undefined;
  if (rule === undefined) return { code: "unexpected", class: "unexpected", exitCode: EXIT_CODES.unexpected };
  const status = field(error, "status");
  const setting = field(error, "setting");
  const errorClass =
    typeof rule === "function"
      ? rule({
          status: typeof status === "number" ? status : undefined,
          setting: typeof setting === "string" ? setting : undefined,
        })
      : rule;
  return { code: code as string, class: errorClass, exitCode: EXIT_CODES[errorClass] };
}

/** The JSON error object of a failure, as `--json` prints it: absent fields left out. */
export interface ErrorObject {
  error: {
    code: string;
    status?: number;
    message: string;
    requestId?: string;
    retryAfterMs?: number;
    hint?: string;
  };
}

/**
 * `{error: {code, status, message, requestId, retryAfterMs, hint}}` for `error`, whose one-line description
 * (what to fix) is `message`. Fields the error does not carry are left out, never null.
 */
export function errorObject(error: unknown, message: string): ErrorObject {
  const status = field(error, "status");
  const requestId = field(error, "requestId");
  const retryAfterMs = field(error, "retryAfterMs");
  const hint = field(error, "hint");
  return {
    error: {
      code: classifyError(error).code,
      ...(typeof status === "number" && { status }),
      message,
      ...(typeof requestId === "string" && requestId && { requestId }),
      ...(typeof retryAfterMs === "number" && { retryAfterMs }),
      ...(typeof hint === "string" && hint && { hint }),
    },
  };
}
