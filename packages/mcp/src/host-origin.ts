// DNS-rebinding protection: a request's Host must be one of the names clients reach this server by, and a
// browser's Origin one of the allowed origins (loopback origins when bound to loopback). Checked before anything else.
import type { IncomingMessage } from "node:http";
import { LOOPBACK_NAMES } from "./http-options.js";
import { EdgeRefusal } from "./refusal.js";

/** What {@link createHostOriginCheck} checks against. */
export interface HostOriginRules {
  allowedHosts: ReadonlySet<string>;
  allowedOrigins: ReadonlySet<string>;
  /** Bound to loopback: loopback origins pass. */
  loopback: boolean;
}

/** A check that throws a 403 {@link EdgeRefusal} for a Host or Origin off the allow-lists. */
export function createHostOriginCheck({ allowedHosts, allowedOrigins, loopback }: HostOriginRules) {
  return (req: IncomingMessage): void => {
    let hostname: string;
    try {
      hostname = new URL(`http://${req.headers.host ?? ""}`).hostname.toLowerCase();
    } catch {
      throw new EdgeRefusal(403, "forbidden: a bad Host header");
    }
    if (!req.headers.host || !allowedHosts.has(hostname))
      throw new EdgeRefusal(403, `forbidden: Host ${hostname || "(none)"} is not allowed; see --allowed-hosts`);
    const origin = req.headers.origin;
    if (origin === undefined) return;
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {}
    const ok =
      parsed !== undefined &&
      (allowedOrigins.has(parsed.origin) || (loopback && LOOPBACK_NAMES.includes(parsed.hostname.toLowerCase())));
    if (!ok)
      throw new EdgeRefusal(403, `forbidden: Origin ${origin.slice(0, 100)} is not allowed; see --allowed-origins`);
  };
}
