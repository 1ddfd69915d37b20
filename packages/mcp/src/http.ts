// simcel-mcp over MCP Streamable HTTP, on node:http with the SDK's own transport. Everything a request must
// pass is checked at the edge, before the SDK sees it and before any SIMCEL request, by named parts:
//   http-options.ts     the settings and the checks that refuse one before listening
//   host-origin.ts      Host and Origin allow-lists (DNS rebinding)
//   callers.ts          who the request is, by its bearer: the environment, an OAuth token, an API key, or no one
//   request-body.ts     the body under a size limit
//   sessions.ts         the sessions, bound to their caller, bounded and expired when idle
//   stateless.ts        or, with `stateless`, no sessions: each POST its own transport and server
//   request-handler.ts  one request through those checks to the SDK's transport
//   oauth/              the OAuth authorization server of /mcp (SIMCEL_MCP_SECRET), mounted beside it
//
// node:http rather than the SDK's createMcpExpressApp: the edge needs the raw request (the bearer, the
// body under our own size limit, the session header) before any parsing, and express would add a
// framework whose one job here — routing a single path — is three lines.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createCallerClassifier } from "./callers.js";
import { createHostOriginCheck } from "./host-origin.js";
import { checkHttpOptions, type SimcelMcpHttpOptions, type SimcelMcpHttpServer } from "./http-options.js";
import { createBridgedLogger } from "./log-bridge.js";
import { createOAuthEdge, type OAuthEdge } from "./oauth/edge.js";
import { createBodyReader } from "./request-body.js";
import { createRequestHandler } from "./request-handler.js";
import { createSessionTable } from "./sessions.js";
import { createClientTenant, createEnvTenant, createKeyTenant } from "./tenant.js";
import { createTenantPool, type TenantPool } from "./tenant-pool.js";

export {
  isLoopbackHost,
  type Principal,
  SimcelMcpConfigError,
  type SimcelMcpHttpOptions,
  type SimcelMcpHttpServer,
} from "./http-options.js";

/** Starts the Streamable HTTP server; rejects with {@link SimcelMcpConfigError} for settings it refuses. */
export async function startSimcelMcpHttpServer(options: SimcelMcpHttpOptions): Promise<SimcelMcpHttpServer> {
  const config = checkHttpOptions(options);
  const { logger, store, maxCallsPerKey, singleTenant } = config;
  const tenantOptions = { logger: createBridgedLogger(logger), store, maxCallsInFlight: maxCallsPerKey };
  const envTenant = singleTenant ? createEnvTenant(config.env, tenantOptions) : undefined;
  const pool = singleTenant
    ? undefined
    : createTenantPool({
        create: (key) => createKeyTenant(key, config.baseUrl, tenantOptions),
        maxTenants: config.maxKeys,
      });
  // OAuth's client-credential tenants, apart from the API keys' pool (keyed by id and secret together)
  const clientPool =
    config.oauth &&
    createTenantPool({
      create: (pair) => {
        const [id, secret] = JSON.parse(pair) as [string, string];
        return createClientTenant(id, secret, config.baseUrl, tenantOptions);
      },
      maxTenants: config.maxKeys,
    });
  // made once the port is known (the issuer on loopback is the bound address); nothing is served before
  let oauth: OAuthEdge | undefined;
  const sessions = createSessionTable(config);
  const handler = createRequestHandler({
    checkHostOrigin: createHostOriginCheck(config),
    callers: createCallerClassifier({
      envTenant,
      sharedBearer: config.sharedBearer,
      pool,
      verifyAccessToken: config.verifyAccessToken ?? (config.oauth && ((token) => (oauth as OAuthEdge).verify(token))),
      logger,
    }),
    authChallenge: config.oauth && ((error) => (oauth as OAuthEdge).server.challenge(error as "invalid_token")),
    sessions,
    bodies: createBodyReader(config),
    logger,
    stateless: config.stateless ? { version: config.version, maxResultBytes: config.maxResultBytes } : undefined,
  });
  // Node's own deadlines bound the headers and the whole request (the body has its own, shorter one)
  const http = createServer({ headersTimeout: 15_000, requestTimeout: 60_000 }, (req, res) =>
    oauth?.owns(req) ? oauth.handle(req, res) : handler(req, res),
  );

  await new Promise<void>((listening, failed) => {
    http.once("error", failed);
    http.listen(config.port, config.host, () => {
      http.off("error", failed);
      listening();
    });
  });
  const address = http.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  if (config.oauth)
    oauth = createOAuthEdge({
      setting: config.oauth,
      boundOrigin: `http://${shownHost}:${address.port}`,
      store,
      simcelBaseUrl: config.baseUrl,
      allowedHosts: config.allowedHosts,
      tenantOf: (credential) =>
        credential.kind === "apiKey"
          ? (pool as TenantPool).get(credential.apiKey).tenant
          : (clientPool as TenantPool).get(JSON.stringify([credential.clientId, credential.clientSecret])).tenant,
      logger,
    });

  const sweeper = setInterval(() => void sessions.expireIdle(), Math.min(config.sessionIdleMs / 2, 60_000));
  sweeper.unref();

  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${address.port}/mcp`,
    publicUrl: oauth?.resource,
    mode: singleTenant ? "single-tenant" : "multi-tenant",
    stateless: config.stateless,
    get sessions() {
      return sessions.size;
    },
    get tenants() {
      return pool ? pool.size : 1;
    },
    expireIdleSessions: () => sessions.expireIdle(),
    close: () =>
      (closing ??= (async () => {
        clearInterval(sweeper);
        const stopped = new Promise<void>((done) => http.close(() => done()));
        await sessions.closeAll();
        http.closeAllConnections();
        await stopped;
        await Promise.allSettled([envTenant?.close(), pool?.close(), clientPool?.close()]);
      })()),
  };
}
