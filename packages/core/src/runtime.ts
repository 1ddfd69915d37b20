// Which JavaScript runtime runs the SDK: for the User-Agent it sends, and for refusing secret credentials in a
// browser page. Read from globals each runtime defines, never from a Node-only module.
import { SDK_VERSION } from "./version.js";

type Globals = {
  Deno?: { version?: { deno?: string } };
  Bun?: { version?: string };
  process?: { versions?: { node?: string } };
  navigator?: { userAgent?: string };
  window?: unknown;
  document?: unknown;
};

/** True in a web page: `window` and `document` both exist (not in Node, Deno, Bun, a worker or workerd). */
export function isBrowserPage(): boolean {
  const g = globalThis as Globals;
  return typeof g.window !== "undefined" && typeof g.document !== "undefined";
}

/** The runtime as a product token: `node/20.20.2`, `deno/2.9.6`, `bun/1.4.5`, `workerd`, `browser` or `unknown`. */
export function runtimeToken(): string {
  const g = globalThis as Globals;
  if (g.Deno?.version?.deno) return `deno/${g.Deno.version.deno}`;
  if (g.Bun?.version) return `bun/${g.Bun.version}`;
  if (g.navigator?.userAgent === "Cloudflare-Workers") return "workerd";
  if (isBrowserPage()) return "browser";
  const node = g.process?.versions?.node;
  return node ? `node/${node}` : "unknown";
}

/** One or more product tokens (`name/version`, separated by spaces), as a caller may add them to the User-Agent. */
const PRODUCTS =
  /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+(\/[!#$%&'*+\-.^_`|~0-9A-Za-z]+)?( [!#$%&'*+\-.^_`|~0-9A-Za-z]+(\/[!#$%&'*+\-.^_`|~0-9A-Za-z]+)?)*$/;

/** Whether `value` is product tokens a User-Agent may carry (`acme-planner/2.1`); at most 200 characters. */
export function isProductTokens(value: string): boolean {
  return value.length <= 200 && PRODUCTS.test(value);
}

/**
 * The header naming the SDK on every request: `User-Agent: [<yours> ]simcel-sdk-typescript/<version> <runtime>`, or in a
 * browser page, where a page may not set User-Agent, `X-Simcel-Client` with the same value. `product` is the caller's own
 * product tokens, checked by the caller with {@link isProductTokens}.
 */
export function clientIdentity(product?: string): Record<string, string> {
  const value = `${product ? `${product} ` : ""}simcel-sdk-typescript/${SDK_VERSION} ${runtimeToken()}`;
  return isBrowserPage() ? { "X-Simcel-Client": value } : { "User-Agent": value };
}
