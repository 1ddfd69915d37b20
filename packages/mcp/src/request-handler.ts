// One request of simcel-mcp --http, in the order its checks run: the path and method, Host and Origin, the
// caller (its bearer), the body, then its session (an existing one of the same caller, or a new one for an
// initialize) — and only then the SDK's transport. Every refusal is a JSON-RPC error with its status.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import type { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "@simcel/commands";
import type { Caller, createCallerClassifier } from "./callers.js";
import { EdgeRefusal, writeRefusal } from "./refusal.js";
import type { createBodyReader } from "./request-body.js";
import type { Session, SessionTable } from "./sessions.js";
import { serveStateless } from "./stateless.js";
import type { Tenant } from "./tenant.js";

/** What {@link createRequestHandler} needs. */
export interface RequestHandlerParts {
  checkHostOrigin(req: IncomingMessage): void;
  callers: ReturnType<typeof createCallerClassifier>;
  sessions: SessionTable;
  bodies: ReturnType<typeof createBodyReader>;
  logger: Logger;
  /** With OAuth on: the `WWW-Authenticate` of every 401 (it names the resource metadata), by RFC 6750 error code. */
  authChallenge?: ((error: string | undefined) => string) | undefined;
  /** Stateless mode (no sessions; see stateless.ts): the server's version, announced by each request's server. */
  stateless?: { version: string; maxResultBytes?: number | undefined } | undefined;
}

export function createRequestHandler(parts: RequestHandlerParts) {
  const { checkHostOrigin, callers, sessions, bodies, logger, stateless, authChallenge } = parts;

  /** A new session for an initialize: a slot taken at once, then the transport. */
  async function openSession(caller: Caller, res: ServerResponse) {
    const release = sessions.reserve(caller.owner, caller.kind !== "env");
    try {
      return await sessions.open(caller.owner, caller.tenant(), release, res);
    } catch (error) {
      release();
      throw error;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/mcp") throw new EdgeRefusal(404, "not found: the MCP endpoint is /mcp");
    if (req.method !== "POST" && req.method !== "GET" && req.method !== "DELETE")
      throw new EdgeRefusal(405, `method ${req.method} not allowed: POST, GET or DELETE`, {
        allow: "POST, GET, DELETE",
      });
    checkHostOrigin(req);
    const caller = await callers.classify(req);
    if (stateless) {
      if (req.method !== "POST")
        throw new EdgeRefusal(405, `method ${req.method} not allowed: this server is stateless, POST only`, {
          allow: "POST",
        });
      await callers.checkSignIn(caller);
      const body = await bodies.readJson(req, caller.owner);
      const tenant = caller.tenant();
      await serveStateless(Object.assign(req, { auth: authOf(caller, tenant) }), res, body, tenant, {
        version: stateless.version,
        maxResultBytes: stateless.maxResultBytes,
        logger,
      });
      return;
    }
    // the caller is verified before its body is read: its session is its own, or its key signs in first
    const sessionId = req.headers["mcp-session-id"];
    let session: Session | undefined;
    if (typeof sessionId === "string") session = sessions.get(sessionId, caller.owner);
    else if (req.method === "POST") await callers.checkSignIn(caller);
    else throw noSession();
    const body = req.method === "POST" ? await bodies.readJson(req, caller.owner) : undefined;
    let transport: StreamableHTTPServerTransport;
    if (session) {
      sessions.track(session, req, res);
      transport = session.transport;
    } else if (isInitializeRequest(body)) transport = await openSession(caller, res);
    else throw noSession();
    await transport.handleRequest(Object.assign(req, { auth: authOf(caller, caller.tenant()) }), res, body);
  }

  return (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      let refusal =
        error instanceof EdgeRefusal ? error : new EdgeRefusal(500, "internal error: see the server's log", {}, -32603);
      const header = refusal.headers["www-authenticate"];
      if (authChallenge && refusal.status === 401 && !header?.includes("resource_metadata="))
        refusal = new EdgeRefusal(401, refusal.message, {
          ...refusal.headers,
          "www-authenticate": authChallenge(/error="([^"]+)"/.exec(header ?? "")?.[1]),
        });
      if (!(error instanceof EdgeRefusal)) logger.error?.("request failed", { error });
      else logger.info?.("request refused", { status: refusal.status, method: req.method, reason: refusal.message });
      // a body left unread (too large, too slow, no room) is not waited for
      if (refusal.headers.connection === "close") res.once("finish", () => req.destroy());
      writeRefusal(res, refusal);
    });
  };
}

/** What the SDK hands the server's handlers as `extra.authInfo`: the caller's id and its tenant. */
const authOf = (caller: Caller, tenant: Tenant): AuthInfo => ({
  token: caller.owner,
  clientId: "simcel-mcp",
  scopes: [],
  extra: { tenant },
});

const noSession = () => new EdgeRefusal(400, "bad request: no Mcp-Session-Id header; initialize a session first");
