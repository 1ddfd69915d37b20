// The authorization server of simcel-mcp's own resource, as one request handler for node:http: discovery
// (RFC 9728, RFC 8414), dynamic registration (RFC 7591), the consent page, the token endpoint (codes with
// PKCE S256, rotating refresh tokens), revocation (RFC 7009), and the access-token check the MCP edge asks
// on each request. Every record lives sealed in the store replicas share, so any replica answers any step.
// Every path here checks the Host first (DNS rebinding: a page or document served under a foreign name
// would let another site read it or frame the person's sign-in).
import type { IncomingMessage, ServerResponse } from "node:http";
import { createMemoryTokenStore, type TokenStore } from "@simcel/auth";
import type { Logger } from "@simcel/commands";
import { createAuthorizeEndpoint, type SignIn } from "./authorize.js";
import { type OAuthEndpoints, oauthEndpoints, PATHS } from "./endpoints.js";
import { createGrantStore } from "./grant-store.js";
import { ACCESS_TOKEN_PREFIX, createGrants } from "./grants.js";
import { CORS, OAuthError, readForm, readJsonObject, sendJson, sendOAuthError } from "./http-io.js";
import { authorizationServerMetadata, protectedResourceMetadata, SCOPES_SUPPORTED } from "./metadata.js";
import type { VerifiedAccess } from "./records.js";
import { type RegistrationLimits, registerClient } from "./registration.js";
import { createSealer, weakSecretReason } from "./sealing.js";
import { simcelSignIn } from "./sign-in.js";

/** Options of {@link createOAuthServer}. */
export interface OAuthServerOptions {
  /** The origin users reach (`https://mcp.example.com`); the issuer, and `<it>/mcp` the resource. */
  publicUrl: string;
  /** SIMCEL_MCP_SECRET: seals every record; at least 32 random characters. */
  secret: string;
  /** Where SIMCEL is (the sign-in on the page). */
  simcelBaseUrl: string;
  /** The store replicas share; default this process's memory. */
  store?: TokenStore | undefined;
  /** Host names (without port) the endpoints answer under, besides the public URL's own. */
  allowedHosts?: readonly string[] | undefined;
  /** Access-token lifetime in ms; default 1 h. */
  accessTokenMs?: number | undefined;
  /** Code lifetime in ms; default and most 60 s. */
  codeMs?: number | undefined;
  /** Grant (refresh) lifetime in ms; default 30 days. */
  grantMs?: number | undefined;
  registration?: Partial<RegistrationLimits> | undefined;
  /** The sign-in to SIMCEL (tests); default through @simcel/auth. */
  signIn?: SignIn | undefined;
  /** Where its events go (registrations, codes, refusals, replays): ids and reasons, never a credential or token. */
  logger?: Logger | undefined;
  now?: (() => number) | undefined;
}

/** The authorization server. */
export interface OAuthServer {
  readonly endpoints: OAuthEndpoints;
  /** Whether `path` is one of its endpoints. */
  owns(path: string): boolean;
  /** Answers a request to one of its endpoints. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Whether a bearer looks like one of its access tokens (so the edge never treats it as an API key). */
  isAccessToken(bearer: string): boolean;
  /** What a bearer stands for, or `undefined` if it is not a live access token for this resource. */
  verify(bearer: string): Promise<VerifiedAccess | undefined>;
  /** The `WWW-Authenticate` of a 401 on the resource. */
  challenge(error?: "invalid_token" | "invalid_request"): string;
}

/** A setting that keeps the OAuth server from starting. */
export class OAuthConfigError extends Error {
  override name = "OAuthConfigError";
}

const DAY = 86_400_000;

export function createOAuthServer(options: OAuthServerOptions): OAuthServer {
  const reason = weakSecretReason(options.secret ?? "");
  if (reason) throw new OAuthConfigError(`SIMCEL_MCP_SECRET is too weak to seal SIMCEL credentials: ${reason}`);
  let endpoints: OAuthEndpoints;
  try {
    endpoints = oauthEndpoints(options.publicUrl);
  } catch (error) {
    throw new OAuthConfigError((error as Error).message);
  }
  const codeMs = Math.min(options.codeMs ?? 60_000, 60_000);
  const now = options.now ?? Date.now;
  const store = createGrantStore(options.store ?? createMemoryTokenStore(), createSealer(options.secret), now);
  const logger = options.logger ?? {};
  const grants = createGrants(
    store,
    { codeMs, accessMs: options.accessTokenMs ?? 3_600_000, grantMs: options.grantMs ?? 30 * DAY },
    now,
    logger,
  );
  const limits: RegistrationLimits = {
    perMinute: 30,
    perLifetime: 10_000,
    lifetimeMs: 30 * DAY,
    ...options.registration,
  };
  const authorize = createAuthorizeEndpoint({
    store,
    grants,
    endpoints,
    signIn: options.signIn ?? simcelSignIn(options.simcelBaseUrl),
    pendingMs: 10 * 60_000,
    logger,
  });
  const publicHost = new URL(endpoints.issuer);
  const hosts = new Set([publicHost.hostname, ...(options.allowedHosts ?? [])].map((h) => h.toLowerCase()));
  const paths = new Set<string>(Object.values(PATHS));

  function hostAllowed(req: IncomingMessage): boolean {
    const host = req.headers.host;
    if (!host) return false;
    try {
      return hosts.has(new URL(`http://${host}`).hostname.toLowerCase());
    } catch {
      return false;
    }
  }

  async function tokenEndpoint(req: IncomingMessage, res: ServerResponse) {
    const form = await readForm(req);
    const grantType = form.get("grant_type");
    if (grantType === "authorization_code") return sendJson(res, 200, await grants.exchangeCode(form), CORS);
    if (grantType === "refresh_token") return sendJson(res, 200, await grants.refresh(form), CORS);
    throw new OAuthError(400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token");
  }

  async function route(req: IncomingMessage, res: ServerResponse, path: string) {
    const method = req.method ?? "GET";
    if (method === "OPTIONS" && path !== PATHS.authorize) {
      res.writeHead(204, CORS);
      return res.end();
    }
    if (path === PATHS.authorize) {
      if (method === "GET") return authorize.show(req, res);
      if (method === "POST") return authorize.submit(req, res);
    } else if (method === "GET" && (path === PATHS.resourceMetadata || path === PATHS.resourceMetadataRoot))
      return sendJson(res, 200, protectedResourceMetadata(endpoints), { ...CORS, "cache-control": "max-age=300" });
    else if (method === "GET" && path === PATHS.serverMetadata)
      return sendJson(res, 200, authorizationServerMetadata(endpoints), { ...CORS, "cache-control": "max-age=300" });
    else if (method === "POST" && path === PATHS.register) {
      const registered = await registerClient(store, await readJsonObject(req, 65_536), limits, now);
      logger.info?.("OAuth client registered", { clientId: registered.client_id });
      return sendJson(res, 201, registered, CORS);
    } else if (method === "POST" && path === PATHS.token) return tokenEndpoint(req, res);
    else if (method === "POST" && path === PATHS.revoke) {
      const form = await readForm(req);
      const token = form.get("token");
      if (!token) throw new OAuthError(400, "invalid_request", "token is required");
      await grants.revoke(token, form.get("client_id"));
      return sendJson(res, 200, {}, CORS);
    }
    throw new OAuthError(405, "invalid_request", `${method} is not allowed on ${path}`, { allow: "GET, POST" });
  }

  return {
    endpoints,
    owns: (path) => paths.has(path),
    async handle(req, res) {
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      try {
        if (!hostAllowed(req)) throw new OAuthError(403, "invalid_request", "this Host is not allowed");
        await route(req, res, path);
      } catch (error) {
        if (res.headersSent) return void res.end();
        const refusal =
          error instanceof OAuthError
            ? error
            : new OAuthError(500, "server_error", "internal error: see the server's log");
        sendOAuthError(res, refusal, CORS);
        if (!(error instanceof OAuthError)) throw error;
        logger.info?.("OAuth request refused", {
          path,
          status: refusal.status,
          error: refusal.error,
          reason: refusal.message,
        });
      }
    },
    isAccessToken: (bearer) => bearer.startsWith(ACCESS_TOKEN_PREFIX),
    verify: (bearer) => grants.verify(bearer, endpoints.resource),
    challenge(error) {
      return `Bearer resource_metadata="${endpoints.resourceMetadata}", scope="${SCOPES_SUPPORTED.join(" ")}"${error ? `, error="${error}"` : ""}`;
    },
  };
}
