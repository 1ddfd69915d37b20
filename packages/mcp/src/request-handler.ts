// One request of simcel-mcp --http, in the order its checks run: the path and method, Host and Origin, the
// caller (its bearer), the body, then its session (an existing one of the same caller, or a new one for an
// initialize) — and only then the SDK's transport. Every refusal is a JSON-RPC error with its status.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import type { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "@simcel/commands";
import type { Caller, createCallerClassifier } from "./callers.js";
import { Refusal, writeRefusal } from "./refusal.js";
import { readJsonBody } from "./request-body.js";
import type { Session, SessionTable } from "./sessions.js";

/** What {@link createRequestHandler} needs. */
export interface RequestHandlerParts {
  checkHostOrigin(req: IncomingMessage): void;
  callers: ReturnType<typeof createCallerClassifier>;
  sessions: SessionTable;
  maxBodyBytes: number;
  logger: Logger;
  /** With OAuth on: the `WWW-Authenticate` of every 401 (it names the resource metadata), by RFC 6750 error code. */
  authChallenge?: ((error: string | undefined) => string) | undefined;
}

export function createRequestHandler(parts: RequestHandlerParts) {
  const { checkHostOrigin, callers, sessions, maxBodyBytes, logger, authChallenge } = parts;

  /** The session's transport for this request: its own session, or a new one for an initialize. */
  async function transportFor(
    req: IncomingMessage,
    caller: Caller,
    body: unknown,
  ): Promise<{ transport: StreamableHTTPServerTransport; session?: Session }> {
    const sessionId = req.headers["mcp-session-id"];
    if (typeof sessionId === "string") {
      const session = sessions.get(sessionId, caller.owner);
      return { transport: session.transport, session };
    }
    if (req.method === "POST" && isInitializeRequest(body)) {
      sessions.checkRoom();
      await callers.checkSignIn(caller);
      return { transport: await sessions.open(caller.owner, caller.tenant()) };
    }
    throw new Refusal(400, "bad request: no Mcp-Session-Id header; initialize a session first");
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/mcp") throw new Refusal(404, "not found: the MCP endpoint is /mcp");
    if (req.method !== "POST" && req.method !== "GET" && req.method !== "DELETE")
      throw new Refusal(405, `method ${req.method} not allowed: POST, GET or DELETE`, { allow: "POST, GET, DELETE" });
    checkHostOrigin(req);
    const caller = await callers.classify(req);
    const body = req.method === "POST" ? await readJsonBody(req, maxBodyBytes) : undefined;
    const { transport, session } = await transportFor(req, caller, body);
    if (session) sessions.track(session, req, res);
    const auth: AuthInfo = {
      token: caller.owner,
      clientId: "simcel-mcp",
      scopes: [],
      extra: { tenant: caller.tenant() },
    };
    await transport.handleRequest(Object.assign(req, { auth }), res, body);
  }

  return (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      let refusal =
        error instanceof Refusal ? error : new Refusal(500, "internal error: see the server's log", {}, -32603);
      const header = refusal.headers["www-authenticate"];
      if (authChallenge && refusal.status === 401 && !header?.includes("resource_metadata="))
        refusal = new Refusal(401, refusal.message, {
          ...refusal.headers,
          "www-authenticate": authChallenge(/error="([^"]+)"/.exec(header ?? "")?.[1]),
        });
      if (!(error instanceof Refusal)) logger.error?.("request failed", { error });
      else logger.info?.("request refused", { status: refusal.status, method: req.method, reason: refusal.message });
      writeRefusal(res, refusal);
      // a body left unread (too large) is not waited for
      if (refusal.status === 413) req.destroy();
    });
  };
}
