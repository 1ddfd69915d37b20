import { isBrowserPage, isProductTokens } from "@simcel/core";
import { AuthConfigError, SecretInBrowserError } from "./errors.js";
import type { TokenCallOptions } from "./types.js";

/** Throws a config error naming `setting` unless `value` is a non-blank string. */
export function required(value: unknown, setting: string): asserts value is string {
  if (typeof value !== "string" || !value.trim()) throw new AuthConfigError(`${setting} is required`, { setting });
}

/** RFC 6750 b64token: also keeps out a token that would break (and be echoed by) the Authorization header. */
export const b64token = /^[\w\-.~+/]+=*$/;

/**
 * The checks of a credential that sends a secret to the token endpoint: refused in a web page unless
 * `dangerouslyAllowBrowser` (the page would hand the secret to everyone who loads it), and a `userAgent` that is
 * product tokens.
 */
export function checkSecretCredential(options: TokenCallOptions, secret: string): void {
  if (isBrowserPage() && options.dangerouslyAllowBrowser !== true)
    throw new SecretInBrowserError(
      `${secret} in a web page is readable by everyone who loads the page: keep it on a backend that calls SIMCEL, or give the page a short-lived token through createStaticCredential; pass dangerouslyAllowBrowser: true only if the page is never public`,
      { setting: secret },
    );
  if (options.userAgent !== undefined && !isProductTokens(options.userAgent))
    throw new AuthConfigError(
      "userAgent must be product tokens such as acme-planner/2.1 (name/version, spaces between)",
      {
        setting: "userAgent",
      },
    );
}
