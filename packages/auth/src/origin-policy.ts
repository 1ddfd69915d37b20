// Where credentials and tokens may go: https, or plain http to loopback only (unless the user says
// otherwise), and a base URL reduced to origin + path.
import { AuthConfigError, OriginRefusedError } from "./errors.js";
import { defaultBaseUrl } from "./generated/operations.js";

const loopback = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** Throws unless `url` is https, or http to loopback, or http anywhere with `allowInsecureHttp`. */
export function checkTransport(url: URL, allowInsecureHttp?: boolean): void {
  if (url.protocol === "https:" || (url.protocol === "http:" && (allowInsecureHttp || loopback.test(url.hostname))))
    return;
  throw new OriginRefusedError(
    `refusing to send credentials to ${url.origin} over ${url.protocol.slice(0, -1)}: use https, or set allowInsecureHttp: true`,
    { origin: url.origin },
  );
}

/**
 * The base URL as origin + path without a trailing slash. User info, query and hash are dropped so
 * they never travel to the token endpoint or show up when a credential is logged.
 */
export function toBaseUrl(value: string | undefined, setting: string, allowInsecureHttp?: boolean): string {
  if (value === undefined) return defaultBaseUrl;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // the value is not echoed: a mistyped base URL may hold a secret pasted in the wrong place
    throw new AuthConfigError(`${setting} must be an absolute URL such as ${defaultBaseUrl}`, { setting });
  }
  checkTransport(url, allowInsecureHttp);
  return (url.origin + url.pathname).replace(/\/+$/, "");
}
