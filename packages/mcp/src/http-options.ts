// The settings of simcel-mcp --http: what a caller may pass, and the checks that refuse a setting before the
// server listens (each refusal says what to change). The rest of the HTTP server reads only the checked result.
import { isIP } from "node:net";
import { credentialFromEnv, type TokenStore } from "@simcel/auth";
import { describeError, type Logger } from "@simcel/commands";
import { defaultBaseUrl } from "@simcel/insights";
import { checkOAuthSetting } from "./oauth/edge.js";
import type { Tenant } from "./tenant.js";

/**
 * Who an OAuth access token stands for, as the verifier of such tokens says: the id its sessions are bound to
 * and the tenant (SIMCEL credential) its calls run as.
 */
export interface Principal {
  /** A stable id of the grant or user: a session started with it serves only requests with the same id. */
  readonly owner: string;
  /** The tenant its calls run as. */
  readonly tenant: Tenant;
}

/** Options of {@link startSimcelMcpHttpServer}. */
export interface SimcelMcpHttpOptions {
  /** The server's environment: SIMCEL credentials here mean single-tenant mode; also SIMCEL_BASE_URL, SIMCEL_MCP_BEARER. */
  env: Readonly<Record<string, string | undefined>>;
  /** The server's version, announced to hosts. */
  version: string;
  /** The interface to listen on; default 127.0.0.1. */
  host?: string | undefined;
  /** The port; 0 takes a free one. Default 8808. */
  port?: number | undefined;
  /** Host names (without port) clients may use besides the loopback names; required off loopback. */
  allowedHosts?: readonly string[] | undefined;
  /** Origins browsers may call from (`https://app.example.com`), besides loopback origins on loopback. */
  allowedOrigins?: readonly string[] | undefined;
  /** Where the server's log lines go; default silent. */
  logger?: Logger | undefined;
  /** A token store shared with other processes (`SIMCEL_TOKEN_STORE`). */
  store?: TokenStore | undefined;
  /** The largest request body accepted, in bytes; default 1 MiB. */
  maxBodyBytes?: number | undefined;
  /** The bytes all request bodies being read may hold at once; past it a request gets 503 at once. Default 32 MiB. */
  maxBufferedBytes?: number | undefined;
  /** The bytes the request bodies of one credential being read may hold at once; default 4 MiB. */
  maxBufferedBytesPerKey?: number | undefined;
  /** How long a request body may take to arrive before it is refused (408); default 10 000 ms. */
  bodyTimeoutMs?: number | undefined;
  /** Tool calls one credential may run at once; default 8. */
  maxCallsPerKey?: number | undefined;
  /** A session that has sent no request for this long is closed (its client must initialize again); default 30 min. */
  sessionIdleMs?: number | undefined;
  /** Sessions open at once; default 1000. */
  maxSessions?: number | undefined;
  /** Sessions one credential (API key, OAuth grant) may hold open at once; default 100. */
  maxSessionsPerKey?: number | undefined;
  /** API keys whose token caches are kept (least recently used goes first); default 1000. */
  maxKeys?: number | undefined;
  /**
   * Multi-tenant mode: the verifier of OAuth access tokens this server issued. A bearer is first offered to it;
   * a principal means an OAuth caller, `undefined` means the bearer is not such a token (it is then taken as
   * an API key). Without it, every bearer is an API key.
   */
  verifyAccessToken?: ((token: string) => Promise<Principal | undefined>) | undefined;
  /**
   * OAuth (on when `env.SIMCEL_MCP_SECRET` is set, multi-tenant mode only): the origin hosts reach,
   * `https://mcp.example.com`, which is the issuer (and `<it>/mcp` the resource). Required off loopback; its
   * host name is allowed as a Host. On loopback without it, the bound address stands in.
   */
  publicUrl?: string | undefined;
  /**
   * No sessions: each POST is served by a transport and server of its own and no Mcp-Session-Id is issued, so
   * that replicas behind a balancer without affinity can each answer any request (see README, Running replicas).
   * GET and DELETE get 405. Default false.
   */
  stateless?: boolean | undefined;
  /** The size cap of a tool answer, in bytes; default 100 kB. */
  maxResultBytes?: number | undefined;
  /** The clock of idle expiry (tests). */
  now?: (() => number) | undefined;
}

/** A running HTTP server. */
export interface SimcelMcpHttpServer {
  /** `http://HOST:PORT/mcp`. */
  readonly url: string;
  /** With OAuth on: the MCP endpoint's public URL (`<issuer>/mcp`), what hosts are given. */
  readonly publicUrl: string | undefined;
  readonly mode: "single-tenant" | "multi-tenant";
  /** Whether it serves without sessions (`stateless`). */
  readonly stateless: boolean;
  /** Sessions open now (always 0 when stateless). */
  readonly sessions: number;
  /** Credentials with a token cache now (1 in single-tenant mode). */
  readonly tenants: number;
  /** Closes the sessions idle for longer than `sessionIdleMs` (a timer does it too); returns how many. */
  expireIdleSessions(): Promise<number>;
  /** Closes every session and stream, stops listening and closes the token caches. */
  close(): Promise<void>;
}

/** A setting that keeps the server from starting; `message` says what to change. */
export class SimcelMcpConfigError extends Error {
  override name = "SimcelMcpConfigError";
}

export const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];
const CREDENTIAL_VARIABLES = ["SIMCEL_API_KEY", "SIMCEL_CLIENT_ID", "SIMCEL_CLIENT_SECRET", "SIMCEL_TOKEN"];
const MiB = 1024 * 1024;

/** Whether `host` (a name or an address to listen on) is loopback only. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (bare === "localhost") return true;
  if (isIP(bare) === 4) return bare.startsWith("127.");
  return bare === "::1" || bare === "0:0:0:0:0:0:0:1";
}

/** The checked settings. */
export type HttpConfig = ReturnType<typeof checkHttpOptions>;

const fail = (message: string, cause?: unknown) =>
  new SimcelMcpConfigError(`[@simcel/mcp] ${message}`, cause === undefined ? undefined : { cause });

/** The Host names and browser Origins a request may carry (DNS-rebinding protection). */
function allowLists(options: SimcelMcpHttpOptions, host: string, loopback: boolean) {
  const names = [...(options.allowedHosts ?? []), ...(options.publicUrl ? [publicHostname(options.publicUrl)] : [])];
  const allowedHosts = new Set(names.map((h) => h.trim().toLowerCase()).filter(Boolean));
  if (!loopback && allowedHosts.size === 0)
    throw fail(
      `bound to ${host}, which is not loopback: pass --allowed-hosts with the host names clients reach this server by (its public name behind a proxy), so that DNS rebinding is refused`,
    );
  if (loopback) for (const name of [...LOOPBACK_NAMES, host.toLowerCase()]) allowedHosts.add(name);
  const allowedOrigins = new Set<string>();
  for (const origin of options.allowedOrigins ?? []) {
    try {
      allowedOrigins.add(new URL(origin.trim()).origin);
    } catch {
      throw fail(`--allowed-origins: ${JSON.stringify(origin)} is not an origin such as https://app.example.com`);
    }
  }
  return { allowedHosts, allowedOrigins };
}

/** The host name of `--public-url`, allowed as a Host (its own check says what else is wrong with it). */
const publicHostname = (url: string) => (URL.canParse(url) ? new URL(url).hostname : "");

/** Single-tenant (the environment's credential) or multi-tenant (each bearer's key), and the shared bearer. */
function tenancy(env: SimcelMcpHttpOptions["env"], host: string, loopback: boolean) {
  const singleTenant = CREDENTIAL_VARIABLES.some((name) => env[name]?.trim());
  const sharedBearer = env.SIMCEL_MCP_BEARER?.trim() || undefined;
  if (singleTenant) {
    try {
      credentialFromEnv(env);
    } catch (error) {
      throw fail(
        describeError(error, { where: "simcel-mcp", listPlans: "", baseUrlSetting: "SIMCEL_BASE_URL" }).message,
        error,
      );
    }
    if (!loopback && !sharedBearer)
      throw fail(
        `single-tenant mode (the server's own SIMCEL credentials) bound to ${host}, which is not loopback: set SIMCEL_MCP_BEARER to a long random secret that clients send as their bearer, or bind to 127.0.0.1`,
      );
  } else if (sharedBearer)
    throw fail(
      "SIMCEL_MCP_BEARER is set but the environment holds no SIMCEL credential: in multi-tenant mode each client's bearer is its own SIMCEL API key. Set SIMCEL_API_KEY (or client credentials) for single-tenant mode, or unset SIMCEL_MCP_BEARER",
    );
  return { singleTenant, sharedBearer };
}

/** The options with their defaults, checked; throws {@link SimcelMcpConfigError} for one it refuses. */
export function checkHttpOptions(options: SimcelMcpHttpOptions) {
  const {
    env,
    version,
    host = "127.0.0.1",
    port = 8808,
    logger = {},
    store,
    maxBodyBytes = MiB,
    maxBufferedBytes = 32 * MiB,
    maxBufferedBytesPerKey = 4 * MiB,
    bodyTimeoutMs = 10_000,
    maxCallsPerKey = 8,
    sessionIdleMs = 30 * 60_000,
    maxSessions = 1000,
    maxSessionsPerKey = 100,
    maxKeys = 1000,
    verifyAccessToken,
    stateless = false,
    maxResultBytes,
    now = Date.now,
  } = options;
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) throw fail("--port must be a port number, 0 to 65535");
  for (const [name, value] of Object.entries({
    maxBodyBytes,
    maxBufferedBytes,
    maxBufferedBytesPerKey,
    bodyTimeoutMs,
    maxCallsPerKey,
    sessionIdleMs,
    maxSessions,
    maxSessionsPerKey,
    maxKeys,
  }))
    if (!(Number.isInteger(value) && value > 0)) throw fail(`${name} must be a positive integer`);
  if (Math.min(maxBufferedBytes, maxBufferedBytesPerKey) < maxBodyBytes)
    throw fail("maxBufferedBytes and maxBufferedBytesPerKey must each be at least maxBodyBytes");
  const loopback = isLoopbackHost(host);
  const tenants = tenancy(env, host, loopback);
  let oauth: ReturnType<typeof checkOAuthSetting>;
  try {
    oauth = checkOAuthSetting(env, options.publicUrl, { loopback, host, singleTenant: tenants.singleTenant });
  } catch (error) {
    throw fail((error as Error).message);
  }
  return {
    env,
    version,
    host,
    port,
    logger,
    store,
    maxBodyBytes,
    maxBufferedBytes,
    maxBufferedBytesPerKey,
    bodyTimeoutMs,
    maxCallsPerKey,
    sessionIdleMs,
    maxSessions,
    maxSessionsPerKey,
    maxKeys,
    verifyAccessToken,
    stateless,
    maxResultBytes,
    now,
    loopback,
    baseUrl: env.SIMCEL_BASE_URL?.trim() || defaultBaseUrl,
    ...allowLists(options, host, loopback),
    ...tenants,
    oauth,
  };
}
