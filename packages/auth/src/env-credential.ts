import { createApiKeyCredential } from "./api-key-credential.js";
import { createClientCredentials } from "./client-credentials.js";
import { AuthConfigError } from "./errors.js";
import { b64token } from "./input-checks.js";
import { toBaseUrl } from "./origin-policy.js";
import { createStaticCredential } from "./static-credential.js";
import type { Credential, Fetch } from "./types.js";

/** A credential from the environment, with the names of the variables it was built from. */
export interface EnvCredential extends Credential {
  /** The variables used, e.g. `["SIMCEL_CLIENT_ID", "SIMCEL_CLIENT_SECRET", "SIMCEL_BASE_URL"]`. */
  readonly variables: readonly string[];
}

/** Options of {@link credentialFromEnv} that the environment does not carry. */
export interface EnvCredentialOptions {
  /** The fetch token calls use (tests, proxies, instrumentation); default `globalThis.fetch`. */
  fetch?: Fetch | undefined;
  /** Your product, named first in the User-Agent of token requests (`acme-planner/2.1`). */
  userAgent?: string | undefined;
  /** Let an API key or client secret run in a web page; see `createApiKeyCredential`. Default false. */
  dangerouslyAllowBrowser?: boolean | undefined;
}

/**
 * A credential from `SIMCEL_API_KEY`, or `SIMCEL_CLIENT_ID` + `SIMCEL_CLIENT_SECRET` (+ `SIMCEL_SCOPES`,
 * space- or comma-separated), or `SIMCEL_TOKEN`; `SIMCEL_BASE_URL` overrides the base URL. Blank
 * counts as unset. `env` defaults to `process.env` where it exists (pass one in browsers and workers).
 */
export function credentialFromEnv(
  env: Readonly<Record<string, string | undefined>> = (globalThis as { process?: { env?: Record<string, string> } })
    .process?.env ?? {},
  options: EnvCredentialOptions = {},
): EnvCredential {
  const variables: string[] = [];
  const get = (name: string) => {
    const value = env[name]?.trim() || undefined;
    if (value) variables.push(name);
    return value;
  };
  const fail = (setting: string, message: string) => new AuthConfigError(message, { setting });
  const apiKey = get("SIMCEL_API_KEY");
  const clientId = get("SIMCEL_CLIENT_ID");
  const clientSecret = get("SIMCEL_CLIENT_SECRET");
  const scopes = get("SIMCEL_SCOPES");
  const token = get("SIMCEL_TOKEN");
  const baseUrl = get("SIMCEL_BASE_URL");
  const kinds = [apiKey && "SIMCEL_API_KEY", (clientId || clientSecret) && "SIMCEL_CLIENT_ID", token && "SIMCEL_TOKEN"];
  const set = kinds.filter((k): k is string => !!k);
  if (set.length > 1) throw fail(set[1] as string, `${set.join(" and ")} are set: keep only one kind of credential`);
  if (!set.length)
    throw fail(
      "SIMCEL_API_KEY",
      "no credential in the environment: set SIMCEL_API_KEY, or SIMCEL_CLIENT_ID and SIMCEL_CLIENT_SECRET, or SIMCEL_TOKEN",
    );
  if (scopes && !kinds[1]) throw fail("SIMCEL_SCOPES", "SIMCEL_SCOPES applies to SIMCEL_CLIENT_ID only: unset it");
  if (kinds[1] && !clientId) throw fail("SIMCEL_CLIENT_ID", "SIMCEL_CLIENT_SECRET is set: set SIMCEL_CLIENT_ID too");
  if (kinds[1] && !clientSecret)
    throw fail("SIMCEL_CLIENT_SECRET", "SIMCEL_CLIENT_ID is set: set SIMCEL_CLIENT_SECRET too");
  if (token && !b64token.test(token)) throw fail("SIMCEL_TOKEN", "SIMCEL_TOKEN must be a bearer token");
  // checked here so the error names the variable, not the option
  toBaseUrl(baseUrl, "SIMCEL_BASE_URL");
  const common = baseUrl ? { baseUrl } : {};
  const calls = {
    ...common,
    ...(options.fetch && { fetch: options.fetch }),
    ...(options.userAgent !== undefined && { userAgent: options.userAgent }),
    ...(options.dangerouslyAllowBrowser !== undefined && { dangerouslyAllowBrowser: options.dangerouslyAllowBrowser }),
  };
  const credential = apiKey
    ? createApiKeyCredential({ apiKey, ...calls })
    : token
      ? createStaticCredential({ token, ...common })
      : createClientCredentials({
          clientId: clientId as string,
          clientSecret: clientSecret as string,
          scopes: scopes?.split(/[\s,]+/).filter(Boolean) ?? [],
          ...calls,
        });
  return Object.assign(credential, { variables });
}
