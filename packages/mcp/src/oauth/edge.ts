// OAuth in simcel-mcp --http: when it is on (SIMCEL_MCP_SECRET set, multi-tenant mode), where it answers
// (--public-url, or on loopback the address the process bound), and the access-token verifier the edge's
// caller classification asks first. A bearer shaped like one of our access tokens is never taken for an API
// key: if it does not verify (expired, revoked, another resource) it gets 401 at once, with no SIMCEL request.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TokenStore } from "@simcel/auth";
import type { Logger } from "@simcel/commands";
import type { Principal } from "../http-options.js";
import { EdgeRefusal } from "../refusal.js";
import type { Tenant } from "../tenant.js";
import { oauthEndpoints } from "./endpoints.js";
import { createOAuthServer, type OAuthServer } from "./oauth-server.js";
import type { SimcelCredential } from "./records.js";
import { weakSecretReason } from "./sealing.js";

/** OAuth's checked settings. */
export interface OAuthSetting {
  secret: string;
  /** `--public-url`; absent on loopback, where the bound address stands in. */
  publicUrl: string | undefined;
}

/**
 * OAuth's settings, or `undefined` when it is off (no SIMCEL_MCP_SECRET); throws a message saying what to
 * change for a setting it refuses.
 */
export function checkOAuthSetting(
  env: Readonly<Record<string, string | undefined>>,
  publicUrl: string | undefined,
  { loopback, singleTenant, host }: { loopback: boolean; singleTenant: boolean; host: string },
): OAuthSetting | undefined {
  const secret = env.SIMCEL_MCP_SECRET?.trim();
  if (!secret) {
    if (publicUrl)
      throw new Error(
        "--public-url is where OAuth hosts reach this server, and OAuth is off: set SIMCEL_MCP_SECRET (e.g. `openssl rand -base64 32`) to turn it on",
      );
    return undefined;
  }
  if (singleTenant)
    throw new Error(
      "SIMCEL_MCP_SECRET turns on OAuth, where each person signs in with their own SIMCEL credential: that is multi-tenant mode. Unset the server's SIMCEL credential, or unset SIMCEL_MCP_SECRET",
    );
  const weak = weakSecretReason(secret);
  if (weak) throw new Error(`SIMCEL_MCP_SECRET is too weak to seal SIMCEL credentials: ${weak}`);
  if (!publicUrl && !loopback)
    throw new Error(
      `OAuth bound to ${host}, which is not loopback, needs --public-url https://… (the origin hosts reach: the issuer, and <it>/mcp the resource)`,
    );
  if (publicUrl) oauthEndpoints(publicUrl);
  return { secret, publicUrl };
}

/** What {@link createOAuthEdge} needs from the HTTP server. */
export interface OAuthEdgeParts {
  setting: OAuthSetting;
  /** `http://HOST:PORT` the process bound: the public URL on loopback when none was given. */
  boundOrigin: string;
  store: TokenStore | undefined;
  simcelBaseUrl: string;
  allowedHosts: Iterable<string>;
  /** The tenant of a signed-in credential (API keys share the edge's pool with API-key bearers). */
  tenantOf(credential: SimcelCredential): Tenant;
  logger: Logger;
}

/** The authorization server as the HTTP server mounts it. */
export interface OAuthEdge {
  readonly server: OAuthServer;
  /** The public URL of the MCP endpoint (`<issuer>/mcp`). */
  readonly resource: string;
  owns(req: IncomingMessage): boolean;
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** The edge's verifier: a principal, `undefined` for a bearer that is not ours, a 401 for one of ours that fails. */
  verify(bearer: string): Promise<Principal | undefined>;
}

export function createOAuthEdge(parts: OAuthEdgeParts): OAuthEdge {
  const { setting, logger } = parts;
  const server = createOAuthServer({
    publicUrl: setting.publicUrl ?? parts.boundOrigin,
    secret: setting.secret,
    simcelBaseUrl: parts.simcelBaseUrl,
    store: parts.store,
    allowedHosts: [...parts.allowedHosts].map((h) => h.replace(/^\[|\]$/g, "")),
    logger,
  });
  const pathOf = (req: IncomingMessage) => (req.url ?? "/").split("?")[0] ?? "/";
  return {
    server,
    resource: server.endpoints.resource,
    owns: (req) => server.owns(pathOf(req)),
    handle(req, res) {
      server.handle(req, res).catch((error: unknown) => logger.error?.("OAuth request failed", { error }));
    },
    async verify(bearer) {
      if (!server.isAccessToken(bearer)) return undefined;
      const access = await server.verify(bearer);
      if (!access)
        throw new EdgeRefusal(
          401,
          "unauthorized: the access token is expired, revoked or for another server; sign in again",
          { "www-authenticate": server.challenge("invalid_token") },
        );
      return { owner: `oauth:${access.grantId}`, tenant: parts.tenantOf(access.credential) };
    },
  };
}
