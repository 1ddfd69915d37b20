// simcel-mcp over MCP Streamable HTTP, on node:http with the SDK's own transport: one transport and one
// server (createSimcelMcpServer, the same as stdio's) per session. Everything a request must pass is
// checked here, at the edge, before the SDK sees it and before any SIMCEL request: the path and method,
// Host and Origin (DNS rebinding), the bearer, the body's size and syntax, and the session's owner.
//
// node:http rather than the SDK's createMcpExpressApp: the edge needs the raw request (the bearer, the
// body under our own size limit, the session header) before any parsing, and express would add a
// framework whose one job here — routing a single path — is three lines.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isIP } from "node:net";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { credentialFromEnv, SimcelTokenRequestError, type TokenStore } from "@simcel/auth";
import { describeError, type Logger } from "@simcel/commands";
import { defaultBaseUrl } from "@simcel/insights";
import { createBridgedLogger } from "./log-bridge.js";
import { createSimcelMcpServer } from "./server.js";
import { createEnvTenant, createKeyTenant, type Tenant } from "./tenant.js";
import { createKeyedHash, createTenantPool, sameSecret, type TenantPool } from "./tenant-pool.js";

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
  /** Tool calls one credential may run at once; default 8. */
  maxCallsPerKey?: number | undefined;
  /** A session that has sent no request for this long is closed (its client must initialize again); default 30 min. */
  sessionIdleMs?: number | undefined;
  /** Sessions open at once; default 1000. */
  maxSessions?: number | undefined;
  /** API keys whose token caches are kept (least recently used goes first); default 1000. */
  maxKeys?: number | undefined;
  /** The clock of idle expiry (tests). */
  now?: (() => number) | undefined;
}

/** A running HTTP server. */
export interface SimcelMcpHttpServer {
  /** `http://HOST:PORT/mcp`. */
  readonly url: string;
  readonly mode: "single-tenant" | "multi-tenant";
  /** Sessions open now. */
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

const MiB = 1024 * 1024;
const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];
const CREDENTIAL_VARIABLES = ["SIMCEL_API_KEY", "SIMCEL_CLIENT_ID", "SIMCEL_CLIENT_SECRET", "SIMCEL_TOKEN"];
/** The longest bearer taken for an API key; anything longer is refused unread. */
const MAX_BEARER = 512;

/** Whether `host` (a name or an address to listen on) is loopback only. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (bare === "localhost") return true;
  if (isIP(bare) === 4) return bare.startsWith("127.");
  return bare === "::1" || bare === "0:0:0:0:0:0:0:1";
}

interface Session {
  id: string;
  transport: StreamableHTTPServerTransport;
  /** The keyed hash of the credential that started it. */
  owner: string;
  lastSeen: number;
  /** POSTs of this session not answered yet (a GET stream only listens: it does not keep a session alive). */
  open: number;
}

/** A request refused at the edge: its status, headers and the JSON-RPC error's message. */
class Refusal {
  constructor(
    readonly status: number,
    readonly message: string,
    readonly headers: Record<string, string> = {},
    readonly code = -32000,
  ) {}
}

/** Reads the body, refusing one over `limit` bytes (declared or observed) before it is buffered whole. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () =>
    new Refusal(413, `request body too large: at most ${limit} bytes`, { connection: "close" }, -32600);
  if (Number(req.headers["content-length"] ?? 0) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Starts the Streamable HTTP server; rejects with {@link SimcelMcpConfigError} for settings it refuses. */
export async function startSimcelMcpHttpServer(options: SimcelMcpHttpOptions): Promise<SimcelMcpHttpServer> {
  const {
    env,
    version,
    host = "127.0.0.1",
    port = 8808,
    logger = {},
    store,
    maxBodyBytes = MiB,
    maxCallsPerKey = 8,
    sessionIdleMs = 30 * 60_000,
    maxSessions = 1000,
    maxKeys = 1000,
    now = Date.now,
  } = options;
  const fail = (message: string, cause?: unknown) =>
    new SimcelMcpConfigError(`[@simcel/mcp] ${message}`, cause === undefined ? undefined : { cause });
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) throw fail("--port must be a port number, 0 to 65535");
  for (const [name, value] of Object.entries({ maxBodyBytes, maxCallsPerKey, sessionIdleMs, maxSessions, maxKeys }))
    if (!(Number.isInteger(value) && value > 0)) throw fail(`${name} must be a positive integer`);

  const loopback = isLoopbackHost(host);
  const allowedHosts = new Set((options.allowedHosts ?? []).map((h) => h.trim().toLowerCase()).filter(Boolean));
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

  const baseUrl = env.SIMCEL_BASE_URL?.trim() || defaultBaseUrl;
  const tenantLogger = createBridgedLogger(logger);
  const tenantOptions = { logger: tenantLogger, store, maxCallsInFlight: maxCallsPerKey };
  const envTenant = singleTenant ? createEnvTenant(env, tenantOptions) : undefined;
  const pool: TenantPool | undefined = singleTenant
    ? undefined
    : createTenantPool({ create: (key) => createKeyTenant(key, baseUrl, tenantOptions), maxTenants: maxKeys });
  // Compared by keyed hash, so the comparison takes the same time whatever the bearer.
  const hash = createKeyedHash();
  const sharedBearerHash = sharedBearer && hash(sharedBearer);

  const sessions = new Map<string, Session>();

  /** Who the request is: its tenant and the id its sessions are bound to; or why it is refused. */
  function authenticate(req: IncomingMessage): { owner: string; tenant: () => Tenant } {
    const header = req.headers.authorization;
    const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? "")?.[1];
    const challenge = (error?: string) => ({
      "www-authenticate": `Bearer realm="simcel-mcp"${error ? `, error="${error}"` : ""}`,
    });
    if (envTenant) {
      const tenant = () => envTenant;
      if (!sharedBearerHash) return { owner: "env", tenant };
      if (!bearer)
        throw new Refusal(401, "unauthorized: send the server's shared secret as Authorization: Bearer", challenge());
      if (!sameSecret(hash(bearer), sharedBearerHash))
        throw new Refusal(
          401,
          "unauthorized: the bearer is not this server's shared secret",
          challenge("invalid_token"),
        );
      return { owner: "env", tenant };
    }
    if (!bearer)
      throw new Refusal(
        401,
        header
          ? "unauthorized: the Authorization header must be `Bearer <your SIMCEL API key>`"
          : "unauthorized: send your SIMCEL API key as Authorization: Bearer <key>",
        challenge(header ? "invalid_request" : undefined),
      );
    if (bearer.length > MAX_BEARER || /^eyJ[\w-]*\.[\w-]+\.[\w-]*$/.test(bearer))
      throw new Refusal(
        401,
        "unauthorized: send a SIMCEL API key (sk_…) as the bearer, not an access token: this server signs in with the key itself",
        challenge("invalid_token"),
      );
    // the tenant is made (or refreshed in the LRU) only once the request passed the session check
    const keys = pool as TenantPool;
    return { owner: keys.idOf(bearer), tenant: () => keys.get(bearer).tenant };
  }

  /** A new session's first test in multi-tenant mode: a key SIMCEL refuses gets 401 now, not an error per call. */
  async function checkSignIn(tenant: Tenant) {
    if (tenant.source !== "bearer") return;
    try {
      await tenant.signIn(AbortSignal.timeout(15_000));
    } catch (error) {
      const status = error instanceof SimcelTokenRequestError ? error.status : undefined;
      if (status === 400 || status === 401 || status === 403)
        throw new Refusal(
          401,
          `sign-in failed: SIMCEL refused this API key (HTTP ${status}); check the key and that it is meant for ${tenant.baseUrl}`,
          { "www-authenticate": 'Bearer realm="simcel-mcp", error="invalid_token"' },
        );
      // anything else (SIMCEL unreachable, rate limited) is said by each tool call, which the agent can retry
      logger.warn?.("sign-in failed at session start", {
        error: describeError(error, { where: "simcel-mcp", listPlans: "", baseUrlSetting: "SIMCEL_BASE_URL" }).message,
      });
    }
  }

  /** Checks Host and Origin against the allow-lists (DNS rebinding). */
  function checkOrigin(req: IncomingMessage) {
    let hostname: string;
    try {
      hostname = new URL(`http://${req.headers.host ?? ""}`).hostname.toLowerCase();
    } catch {
      throw new Refusal(403, "forbidden: a bad Host header");
    }
    if (!req.headers.host || !allowedHosts.has(hostname))
      throw new Refusal(403, `forbidden: Host ${hostname || "(none)"} is not allowed; see --allowed-hosts`);
    const origin = req.headers.origin;
    if (origin === undefined) return;
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {}
    const ok =
      parsed !== undefined &&
      (allowedOrigins.has(parsed.origin) || (loopback && LOOPBACK_NAMES.includes(parsed.hostname.toLowerCase())));
    if (!ok) throw new Refusal(403, `forbidden: Origin ${origin.slice(0, 100)} is not allowed; see --allowed-origins`);
  }

  async function openSession(owner: string, tenant: Tenant): Promise<StreamableHTTPServerTransport> {
    if (sessions.size >= maxSessions)
      throw new Refusal(503, `too many sessions open (${maxSessions}); retry later`, { "retry-after": "5" });
    await checkSignIn(tenant);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => {
        sessions.set(id, { id, transport, owner, lastSeen: now(), open: 0 });
        logger.info?.("session opened", { sessions: sessions.size });
      },
    });
    transport.onclose = () => {
      const id = transport.sessionId;
      if (id && sessions.delete(id)) logger.info?.("session closed", { sessions: sessions.size });
    };
    const server = createSimcelMcpServer({
      version,
      logger,
      // the edge attached this request's tenant; the session was checked to be this credential's
      tenantFor: (extra) => (extra.authInfo?.extra?.tenant as Tenant | undefined) ?? tenant,
    });
    await server.connect(transport);
    return transport;
  }

  /** Tracks a session's requests, for idle expiry. */
  function track(session: Session | undefined, req: IncomingMessage, res: ServerResponse) {
    if (!session) return;
    session.lastSeen = now();
    if (req.method !== "POST") return;
    session.open++;
    session.lastSeen = now();
    res.once("close", () => {
      session.open--;
      session.lastSeen = now();
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/mcp") throw new Refusal(404, "not found: the MCP endpoint is /mcp");
    if (req.method !== "POST" && req.method !== "GET" && req.method !== "DELETE")
      throw new Refusal(405, `method ${req.method} not allowed: POST, GET or DELETE`, { allow: "POST, GET, DELETE" });
    checkOrigin(req);
    const { owner, tenant: tenantOf } = authenticate(req);
    let body: unknown;
    if (req.method === "POST") {
      const raw = await readBody(req, maxBodyBytes);
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch {
        throw new Refusal(400, "parse error: the body is not JSON", {}, -32700);
      }
    }
    const sessionId = req.headers["mcp-session-id"];
    let transport: StreamableHTTPServerTransport;
    let session: Session | undefined;
    if (typeof sessionId === "string") {
      session = sessions.get(sessionId);
      if (!session)
        throw new Refusal(404, "session not found (it expired or was closed): initialize a new one", {}, -32001);
      if (!sameSecret(session.owner, owner))
        throw new Refusal(403, "forbidden: this session was started with another credential");
      transport = session.transport;
    } else if (req.method === "POST" && isInitializeRequest(body)) {
      transport = await openSession(owner, tenantOf());
    } else throw new Refusal(400, "bad request: no Mcp-Session-Id header; initialize a session first");
    track(session, req, res);
    const tenant = tenantOf();
    const auth: AuthInfo = { token: owner, clientId: "simcel-mcp", scopes: [], extra: { tenant } };
    await transport.handleRequest(Object.assign(req, { auth }), res, body);
  }

  const http = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const refusal =
        error instanceof Refusal ? error : new Refusal(500, "internal error: see the server's log", {}, -32603);
      if (!(error instanceof Refusal)) logger.error?.("request failed", { error });
      else if (refusal.status >= 400)
        logger.info?.("request refused", { status: refusal.status, method: req.method, reason: refusal.message });
      if (res.headersSent) {
        res.end();
        return;
      }
      res.writeHead(refusal.status, { "content-type": "application/json", ...refusal.headers });
      res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: refusal.code, message: refusal.message }, id: null }));
      // a body left unread (too large) is not waited for
      if (refusal.status === 413) req.destroy();
    });
  });

  await new Promise<void>((listening, failed) => {
    http.once("error", failed);
    http.listen(port, host, () => {
      http.off("error", failed);
      listening();
    });
  });
  const address = http.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}/mcp`;

  async function expireIdleSessions() {
    const idle = [...sessions.values()].filter((s) => s.open === 0 && now() - s.lastSeen >= sessionIdleMs);
    await Promise.allSettled(idle.map((s) => s.transport.close()));
    if (idle.length) logger.info?.("idle sessions closed", { closed: idle.length, open: sessions.size });
    return idle.length;
  }
  const sweeper = setInterval(() => void expireIdleSessions(), Math.min(sessionIdleMs / 2, 60_000));
  sweeper.unref();

  let closing: Promise<void> | undefined;
  return {
    url,
    mode: singleTenant ? "single-tenant" : "multi-tenant",
    get sessions() {
      return sessions.size;
    },
    get tenants() {
      return pool ? pool.size : 1;
    },
    expireIdleSessions,
    close: () =>
      (closing ??= (async () => {
        clearInterval(sweeper);
        const stopped = new Promise<void>((done) => http.close(() => done()));
        await Promise.allSettled([...sessions.values()].map((s) => s.transport.close()));
        http.closeAllConnections();
        await stopped;
        await Promise.allSettled([envTenant?.close(), pool?.close()]);
      })()),
  };
}
