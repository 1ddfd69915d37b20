// The sessions of simcel-mcp --http: one SDK transport and one MCP server (the same as stdio's) per session,
// bound to the caller that opened it, bounded in number, and closed after an idle time.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { Logger } from "@simcel/commands";
import { EdgeRefusal } from "./refusal.js";
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
  /** The size cap of a tool answer (the server's default when undefined). */
  maxResultBytes?: number | undefined;
  maxSessions: number;
  maxSessionsPerKey: number;
  sessionIdleMs: number;
  now: () => number;
}

export function createSessionTable(rules: SessionRules) {
  const { version, logger, maxResultBytes, maxSessions, maxSessionsPerKey, sessionIdleMs, now } = rules;
  const sessions = new Map<string, Session>();
  /** Slots taken (sessions open or being opened), in all and by owner: checked and taken in one step. */
  let taken = 0;
  const takenBy = new Map<string, number>();

  /** The session `id` if `owner` may use it; a 404 or 403 refusal otherwise. */
  function get(id: string, owner: string): Session {
    const session = sessions.get(id);
    if (!session)
      throw new EdgeRefusal(404, "session not found (it expired or was closed): initialize a new one", {}, -32001);
    if (!sameSecret(session.owner, owner))
      throw new EdgeRefusal(403, "forbidden: this session was started with another credential");
    return session;
  }

  /**
   * Takes a slot for a new session of `owner`, or refuses: 503 when the server is full, 429 when this owner
   * has its share. Checked and taken at once, before any `await`, so concurrent initializes cannot overshoot.
   * Returns the slot's release (idempotent). `perKey: false` for the server's own credential, which every client shares.
   */
  function reserve(owner: string, perKey = true): () => void {
    const mine = takenBy.get(owner) ?? 0;
    if (perKey && mine >= maxSessionsPerKey)
      throw new EdgeRefusal(
        429,
        `too many sessions open with this credential (${maxSessionsPerKey}); end one (DELETE) or retry later`,
        { "retry-after": "5" },
      );
    if (taken >= maxSessions)
      throw new EdgeRefusal(503, `too many sessions open (${maxSessions}); retry later`, { "retry-after": "5" });
    taken++;
    takenBy.set(owner, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      taken--;
      const left = (takenBy.get(owner) ?? 1) - 1;
      if (left > 0) takenBy.set(owner, left);
      else takenBy.delete(owner);
    };
  }

  /**
   * A new session's transport in the slot `release` holds, its server connected; the session is added once the
   * SDK gives it an id. The slot is released when the session closes, or when `res` ends without a session.
   */
  async function open(
    owner: string,
    tenant: Tenant,
    release: () => void,
    res: ServerResponse,
  ): Promise<StreamableHTTPServerTransport> {
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => {
        sessions.set(id, { id, transport, owner, lastSeen: now(), open: 0 });
        logger.info?.("session opened", { sessions: sessions.size });
      },
    });
    transport.onclose = () => {
      release();
      const id = transport.sessionId;
      if (id && sessions.delete(id)) logger.info?.("session closed", { sessions: sessions.size });
    };
    res.once("close", () => {
      if (!transport.sessionId || !sessions.has(transport.sessionId)) release();
    });
    const server = createSimcelMcpServer({
      version,
      logger,
      maxResultBytes,
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
    reserve,
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
