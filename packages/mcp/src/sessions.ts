// The sessions of simcel-mcp --http: one SDK transport and one MCP server (the same as stdio's) per session,
// bound to the caller that opened it, bounded in number, and closed after an idle time.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { Logger } from "@simcel/commands";
import { Refusal } from "./refusal.js";
import { createSimcelMcpServer } from "./server.js";
import type { Tenant } from "./tenant.js";
import { sameSecret } from "./tenant-pool.js";

/** One open session. */
export interface Session {
  id: string;
  transport: StreamableHTTPServerTransport;
  /** The id of the caller that started it (see `Caller.owner`). */
  owner: string;
  lastSeen: number;
  /** POSTs of this session not answered yet (a GET stream only listens: it does not keep a session alive). */
  open: number;
}

/** What {@link createSessionTable} needs. */
export interface SessionRules {
  version: string;
  logger: Logger;
  maxSessions: number;
  sessionIdleMs: number;
  now: () => number;
}

export function createSessionTable(rules: SessionRules) {
  const { version, logger, maxSessions, sessionIdleMs, now } = rules;
  const sessions = new Map<string, Session>();

  /** The session `id` if `owner` may use it; a 404 or 403 refusal otherwise. */
  function get(id: string, owner: string): Session {
    const session = sessions.get(id);
    if (!session)
      throw new Refusal(404, "session not found (it expired or was closed): initialize a new one", {}, -32001);
    if (!sameSecret(session.owner, owner))
      throw new Refusal(403, "forbidden: this session was started with another credential");
    return session;
  }

  /** A refusal when no session may be opened now. */
  function checkRoom() {
    if (sessions.size >= maxSessions)
      throw new Refusal(503, `too many sessions open (${maxSessions}); retry later`, { "retry-after": "5" });
  }

  /** A new session's transport, its server connected; the session is added once the SDK gives it an id. */
  async function open(owner: string, tenant: Tenant): Promise<StreamableHTTPServerTransport> {
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
  function track(session: Session, req: IncomingMessage, res: ServerResponse) {
    session.lastSeen = now();
    if (req.method !== "POST") return;
    session.open++;
    res.once("close", () => {
      session.open--;
      session.lastSeen = now();
    });
  }

  async function expireIdle() {
    const idle = [...sessions.values()].filter((s) => s.open === 0 && now() - s.lastSeen >= sessionIdleMs);
    await Promise.allSettled(idle.map((s) => s.transport.close()));
    if (idle.length) logger.info?.("idle sessions closed", { closed: idle.length, open: sessions.size });
    return idle.length;
  }

  async function closeAll() {
    await Promise.allSettled([...sessions.values()].map((s) => s.transport.close()));
  }

  return {
    get,
    checkRoom,
    open,
    track,
    expireIdle,
    closeAll,
    get size() {
      return sessions.size;
    },
  };
}

/** The session table of one server. */
export type SessionTable = ReturnType<typeof createSessionTable>;
