// A SIMCEL server on loopback that misbehaves on demand: the rig of issue 9's fault matrix and soak.
// Routes, default bodies and error bodies all come from spec/openapi.yaml (its operations and their named
// examples), so a default answer is spec-valid and nothing here retypes a spec fact. It issues JWT-shaped
// tokens carrying the marker FAKE, checks the bearer on API routes, counts what it sees and can be told,
// per route, to fail in every way issue 9 lists — for the next N requests, always, or with probability p.
// A second loopback server on another port plays "another origin" for redirects.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { listOperations, type SpecOperation } from "../spec-tools.mjs";

/** An operation id of the spec: `exchangeApiKey`, `issueClientCredentialsToken`, `listPlans`, … */
export type Route = string;
/** A route, or every token route, every API route, or all of them. */
export type RouteSelector = Route | "token" | "api" | "any";
/** When a fault applies: to every request, to the next `times` requests, or to each with `probability`. */
export type FaultMode = "always" | { times: number } | { probability: number };

/** What the server sees of a request, for `echo` faults: the raw body and the bearer, and the secrets it knows. */
export interface EchoSource {
  /** The request body as sent (a JSON or form body on token routes; empty on API routes). */
  body: string;
  /** The `Authorization` header, if any. */
  authorization: string | undefined;
  /** The bearer token of the request, if any. */
  token: string | undefined;
  apiKey: string;
  clientId: string;
  clientSecret: string;
}

/** One way to misbehave. */
export type Fault =
  /** An error status with the spec's error body for that route and status (or a generic one), optional headers. */
  | { kind: "status"; status: number; message?: string; headers?: Record<string, string> }
  /** An RFC 6749 §5.2 error body: `{"error": …, "error_description": …}`. */
  | { kind: "oauthError"; status: number; error: string; description?: string }
  /** Any text body (malformed JSON, an HTML page, a non-JSON 200), with its content type. */
  | { kind: "text"; status?: number; contentType?: string; body: string }
  /** Any JSON body (a 200 of the wrong shape: `{}`, `null`, a plan without `scenarios`). */
  | { kind: "json"; status?: number; body: unknown }
  /** A real token is issued, but the response's fields are replaced (`expiresIn: 1e13`, `tokenType: null`). */
  | { kind: "tokenBody"; patch: Record<string, unknown> }
  /** No answer at all; the socket stays open until the client gives up or the server closes. */
  | { kind: "hang" }
  /** The connection is reset before any header is sent. */
  | { kind: "reset" }
  /**
   * The headers (with the Content-Length of the whole body) and half the body, then the connection is reset:
   * a 200 with the normal body, or `status` with the spec's error body.
   */
  | { kind: "resetMidBody"; status?: number }
  /** A body of `bytes` bytes, streamed with backpressure; stops as soon as the client goes away. */
  | { kind: "huge"; bytes: number; status?: number; contentType?: string }
  /** A redirect to the same path under `/moved` on this origin, or to the same path on the other origin. */
  | { kind: "redirect"; status?: number; to: "same-origin" | "other-origin" }
  /** An error whose `message` is `text(request)`: the server echoing what it was sent. `raw`: a text/plain body. */
  | {
      kind: "echo";
      status: number;
      text: (request: EchoSource) => string;
      raw?: boolean;
      headers?: Record<string, string>;
    };

/** What the server saw of one request. */
export interface RequestRecord {
  /** Sequence number, from 1. */
  seq: number;
  route: Route | undefined;
  method: string;
  path: string;
  /** Lower-cased header names → values, as received (the Authorization header included). */
  headers: Record<string, string | string[] | undefined>;
  /** The body of a token request. */
  body?: string;
  /** When it arrived (epoch ms) and from which client port (which connection). */
  at: number;
  port: number | undefined;
  /** The fault that answered it, if any. */
  fault?: Fault["kind"];
  /** The status sent (undefined when none was: hang, reset). */
  status?: number;
}

/** Counters; read them after the calls settle. */
export interface FaultServerStats {
  /** Requests to a token route (both kinds). */
  tokenRequests: number;
  /** Requests to an insights route. */
  apiRequests: number;
  /** Requests per route (operation id), unknown paths under `unknown`. */
  byRoute: Record<string, number>;
  /** Tokens issued. */
  tokensIssued: number;
  /** Responses the client walked away from before they were complete (an abort, a timeout). */
  clientAborts: number;
  /** Requests a fault answered. */
  faultsInjected: number;
  /** The most bytes of body written to one response (the 50 MB fault shows how much was actually pulled). */
  maxBodyBytesSent: number;
}

export interface FaultServerOptions {
  /** The API key `POST /auth/v1/token` accepts; another key gets the spec's 401. */
  apiKey?: string;
  /** More API keys it accepts, each with the scopes (space-separated) of the tokens it gets; `apiKey` gets both read scopes. */
  moreApiKeys?: Readonly<Record<string, string>>;
  /** The client id and secret `POST /oauth/v1/token` accepts. */
  clientId?: string;
  clientSecret?: string;
  /** Lifetime of issued tokens in seconds (`expiresIn`, and enforced: an expired token gets 401). Default 3600. */
  tokenLifetimeS?: number;
  /** Seed of the generator behind `{ probability }` faults, so a run can be replayed. Default 1. */
  seed?: number;
  /** Keep a record of every request (default true; off for soaks: the log would grow without bound). */
  record?: boolean;
}

export interface OtherOrigin {
  url: string;
  /** Requests the other origin received (redirect targets), with their headers. */
  requests: RequestRecord[];
}

export interface FaultServer {
  /** `http://127.0.0.1:PORT`: the base URL to give the SDK. */
  url: string;
  /** The second server, on another port: another origin. It answers every known path with the spec's 200 example. */
  other: OtherOrigin;
  stats: FaultServerStats;
  /** Every request seen (when recording). */
  requests: RequestRecord[];
  /** Every token issued, in order (secrets to look for in outputs). */
  issuedTokens: string[];
  /** Requests received and not yet answered (including held by latency or hanging). */
  readonly inFlight: number;
  /** The secrets this server knows, for leak checks. */
  secrets: { apiKey: string; clientId: string; clientSecret: string };
  /** Adds a fault to the routes `selector` picks; earlier faults are tried first. */
  inject(selector: RouteSelector, fault: Fault, mode?: FaultMode): void;
  /** Removes every fault and latency. */
  clear(): void;
  /** Holds each answer of the selected routes for `ms` (the bearer is checked after the wait). */
  setLatency(selector: RouteSelector, ms: number): void;
  /**
   * Holds every answer of the selected routes until the returned function is called (the bearer is
   * checked after the release): with `revokeTokens`, "401 mid-session with hundreds of calls in flight".
   */
  hold(selector: RouteSelector): () => void;
  /** Revokes every token issued so far (they get 401 from now on); returns how many. */
  revokeTokens(): number;
  /** Resolves once `predicate()` holds (polled every 5 ms); rejects after `timeoutMs`. */
  until(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  /** Stops both servers, destroying every open socket and pending timer: no handle is left behind. */
  close(): Promise<void>;
}

const TOKEN_ROUTES = new Set(["exchangeApiKey", "issueClientCredentialsToken"]);

/** mulberry32: a small seeded generator, so probabilistic faults replay exactly. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** The first named example of a response, or the one `prefer` picks. */
function example(op: SpecOperation | undefined, status: number, prefer?: (value: unknown) => boolean): unknown {
  const examples = Object.values(op?.responses[String(status)]?.examples ?? {});
  return (prefer && examples.find(prefer)) ?? examples[0];
}

interface Installed {
  selector: RouteSelector;
  fault: Fault;
  mode: FaultMode;
  left: number;
}

/** Starts the fault server (and its other-origin twin) on free loopback ports. */
export async function startFaultServer(options: FaultServerOptions = {}): Promise<FaultServer> {
  const {
    apiKey = "sk_test_FAKE_rig_0000000000000000",
    clientId = "cli_rig_0001",
    clientSecret = 'FAKE_rig+s3cr/T "q\\ 9f3cQ7zZ==',
    tokenLifetimeS = 3600,
    seed = 1,
    record = true,
    moreApiKeys = {},
  } = options;
  const operations = listOperations();
  const byPath = new Map(operations.map((op) => [op.path, op]));
  const random = seeded(seed);
  const faults: Installed[] = [];
  const latency = new Map<RouteSelector, number>();
  const holds = new Map<RouteSelector, { gate: Promise<void>; release: () => void }>();
  /** token → expiry (epoch ms) and revocation. */
  const tokens = new Map<string, { expiresAt: number; revoked: boolean }>();
  const stats: FaultServerStats = {
    tokenRequests: 0,
    apiRequests: 0,
    byRoute: {},
    tokensIssued: 0,
    clientAborts: 0,
    faultsInjected: 0,
    maxBodyBytesSent: 0,
  };
  const requests: RequestRecord[] = [];
  const issuedTokens: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  /** Sockets this server reset on purpose (not counted as client aborts). */
  const resetting = new WeakSet<Socket>();
  const reset = (socket: Socket) => {
    resetting.add(socket);
    socket.resetAndDestroy();
  };
  let inFlight = 0;
  let seq = 0;
  let closing = false;

  const matches = (selector: RouteSelector, route: Route | undefined) =>
    selector === "any" ||
    selector === route ||
    (route !== undefined && selector === "token" && TOKEN_ROUTES.has(route)) ||
    (route !== undefined && selector === "api" && !TOKEN_ROUTES.has(route));

  /** The fault that answers this request, consuming one use of a `times` fault. */
  function pickFault(route: Route | undefined): Fault | undefined {
    for (const [i, installed] of faults.entries()) {
      if (!matches(installed.selector, route)) continue;
      const { mode } = installed;
      if (mode === "always") return installed.fault;
      if ("times" in mode) {
        if (--installed.left <= 0) faults.splice(i, 1);
        return installed.fault;
      }
      if (random() < mode.probability) return installed.fault;
    }
    return undefined;
  }

  function issueToken(subject: string, scope = "insights:read plans:read"): { token: string; expiresIn: number } {
    const n = ++stats.tokensIssued;
    const iat = Math.floor(Date.now() / 1000);
    const header = b64url({ alg: "HS256", typ: "JWT" });
    const payload = b64url({ sub: subject, scope, iat, exp: iat + tokenLifetimeS, jti: n });
    // the marker FAKE sits in the signature, so every issued token trips the suite's leak probe
    const token = `${header}.${payload}.FAKE${n}_${randomBytes(12).toString("base64url")}`;
    tokens.set(token, { expiresAt: Date.now() + tokenLifetimeS * 1000, revoked: false });
    issuedTokens.push(token);
    return { token, expiresIn: tokenLifetimeS };
  }

  function errorBody(route: Route | undefined, status: number, message?: string) {
    const spec = example(route ? operations.find((o) => o.operationId === route) : undefined, status) as
      | Record<string, unknown>
      | undefined;
    const body = spec ?? { statusCode: status, error: STATUS_CODES[status] ?? "Error", message: "injected fault" };
    return message === undefined ? body : { ...body, message };
  }

  function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
    if (res.destroyed) return;
    res.writeHead(status, { "content-type": "application/json", "x-request-id": `req_rig_${seq}`, ...headers });
    res.end(body);
    stats.maxBodyBytesSent = Math.max(stats.maxBodyBytesSent, Buffer.byteLength(body));
  }

  async function streamHuge(res: ServerResponse, bytes: number, status: number, contentType: string) {
    res.writeHead(status, { "content-type": contentType, "content-length": String(bytes) });
    const chunk = Buffer.alloc(64 * 1024, "a");
    let sent = 0;
    while (sent < bytes && !res.destroyed && !closing) {
      const size = Math.min(chunk.length, bytes - sent);
      sent += size;
      stats.maxBodyBytesSent = Math.max(stats.maxBodyBytesSent, sent);
      if (!res.write(size === chunk.length ? chunk : chunk.subarray(0, size)))
        await new Promise<void>((drained) => {
          const done = () => {
            res.off("drain", done);
            res.off("close", done);
            drained();
          };
          res.on("drain", done);
          res.on("close", done);
        });
    }
    if (!res.destroyed) res.end();
  }

  /** The 200 body of a route: the spec's example, the one matching the asked interval when there are several. */
  function okBody(op: SpecOperation, query: URLSearchParams): unknown {
    const interval = query.get("interval");
    const grouped = query.has("groupBy");
    return example(op, 200, (value) => {
      const v = value as { meta?: { interval?: string }; scenarios?: { series?: { groupKey?: unknown }[] }[] };
      const hasGroups = v.scenarios?.some((s) => s.series?.some((r) => r.groupKey !== undefined)) ?? false;
      return (!interval || v.meta?.interval === interval) && hasGroups === grouped;
    });
  }

  async function readBody(req: IncomingMessage, limit = 1024 * 1024): Promise<string> {
    let body = "";
    for await (const chunk of req) {
      body += chunk;
      if (body.length > limit) break;
    }
    return body;
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://rig");
    // a same-origin redirect lands on /moved/<path>: served like <path>
    const path = url.pathname.replace(/^\/moved(?=\/)/, "");
    const op = byPath.get(path);
    const route = op?.operationId;
    const isToken = route !== undefined && TOKEN_ROUTES.has(route);
    stats.byRoute[route ?? "unknown"] = (stats.byRoute[route ?? "unknown"] ?? 0) + 1;
    if (isToken) stats.tokenRequests++;
    else if (route) stats.apiRequests++;
    const body = isToken ? await readBody(req) : "";
    const entry: RequestRecord = {
      seq: ++seq,
      route,
      method: req.method ?? "",
      path,
      headers: { ...req.headers },
      at: Date.now(),
      port: req.socket.remotePort,
    };
    if (isToken) entry.body = body;
    if (record) requests.push(entry);

    const wait = [...latency].find(([selector]) => matches(selector, route))?.[1];
    if (wait)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, wait);
        timers.add(timer);
      });
    const held = [...holds].find(([selector]) => matches(selector, route))?.[1];
    if (held) await held.gate;
    if (closing || res.destroyed) return;

    const authorization = req.headers.authorization;
    const bearer = /^Bearer (.+)$/.exec(authorization ?? "")?.[1];
    const fault = pickFault(route);
    if (fault) {
      entry.fault = fault.kind;
      stats.faultsInjected++;
    }
    const status = (s: number) => {
      entry.status = s;
      return s;
    };
    switch (fault?.kind) {
      case undefined:
      case "tokenBody":
        break;
      case "status":
        return send(res, status(fault.status), JSON.stringify(errorBody(route, fault.status, fault.message)), {
          ...fault.headers,
        });
      case "oauthError":
        return send(
          res,
          status(fault.status),
          JSON.stringify({
            error: fault.error,
            ...(fault.description !== undefined && { error_description: fault.description }),
          }),
        );
      case "text":
        return send(res, status(fault.status ?? 200), fault.body, {
          "content-type": fault.contentType ?? "text/plain",
        });
      case "json":
        return send(res, status(fault.status ?? 200), JSON.stringify(fault.body));
      case "hang":
        return; // the socket stays open: close() or the client ends it
      case "reset":
        reset(req.socket);
        return;
      case "resetMidBody": {
        const code = fault.status ?? 200;
        const full = JSON.stringify(
          code !== 200
            ? errorBody(route, code)
            : isToken
              ? { accessToken: issueToken(clientId).token, expiresIn: tokenLifetimeS, tokenType: "Bearer" }
              : okBody(op as SpecOperation, url.searchParams),
        );
        res.writeHead(status(code), { "content-type": "application/json", "content-length": String(full.length) });
        // the reset only after the half has been handed to the socket, so the client sees headers and a part
        res.write(full.slice(0, full.length >> 1), () => reset(req.socket));
        return;
      }
      case "huge":
        return streamHuge(res, fault.bytes, status(fault.status ?? 200), fault.contentType ?? "application/json");
      case "redirect": {
        const target =
          fault.to === "other-origin" ? new URL(req.url ?? "/", other.url) : new URL(`/moved${req.url}`, server.url);
        return send(res, status(fault.status ?? 302), "", { location: target.href });
      }
      case "echo": {
        const text = fault.text({
          body,
          authorization,
          token: bearer,
          apiKey,
          clientId,
          clientSecret,
        });
        return fault.raw
          ? send(res, status(fault.status), text, { "content-type": "text/plain", ...fault.headers })
          : send(res, status(fault.status), JSON.stringify(errorBody(route, fault.status, text)), { ...fault.headers });
      }
    }

    if (!op)
      return send(res, status(404), JSON.stringify({ statusCode: 404, error: "Not Found", message: "no route" }));
    if (isToken) {
      // the request is what the spec says it is, with this server's credentials, or the spec's 401/400
      let ok: boolean;
      let subject: string;
      let scope: string | undefined;
      if (route === "exchangeApiKey") {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body);
        } catch {}
        const given = (parsed as { apiKey?: unknown } | undefined)?.apiKey;
        if (typeof given !== "string") return send(res, status(400), JSON.stringify(errorBody(route, 400)));
        scope = Object.hasOwn(moreApiKeys, given) ? moreApiKeys[given] : undefined;
        ok = given === apiKey || scope !== undefined;
        subject = scope === undefined ? "key_rig" : `key_rig_${Object.keys(moreApiKeys).indexOf(given) + 1}`;
      } else {
        const form = new URLSearchParams(body);
        if (form.get("grant_type") !== "client_credentials")
          return send(res, status(400), JSON.stringify(errorBody(route, 400)));
        ok = form.get("client_id") === clientId && form.get("client_secret") === clientSecret;
        subject = clientId;
      }
      if (!ok) return send(res, status(401), JSON.stringify(errorBody(route, 401)));
      const issued = issueToken(subject, scope);
      const template = example(op, 200) as Record<string, unknown>;
      const patch = fault?.kind === "tokenBody" ? fault.patch : {};
      return send(
        res,
        status(200),
        JSON.stringify({ ...template, accessToken: issued.token, expiresIn: issued.expiresIn, ...patch }),
      );
    }
    const known = bearer === undefined ? undefined : tokens.get(bearer);
    if (!known || known.revoked || known.expiresAt <= Date.now())
      return send(res, status(401), JSON.stringify(errorBody(route, 401)));
    return send(res, status(200), JSON.stringify(okBody(op, url.searchParams)));
  }

  const sockets = new Set<Socket>();
  const track = (s: Server) =>
    s.on("connection", (socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });

  const server = track(
    createServer((req, res) => {
      inFlight++;
      let settled = false;
      res.on("close", () => {
        if (settled) return;
        settled = true;
        inFlight--;
        // closed before the whole response went out, not by us: the client walked away (an abort, a timeout)
        if (!res.writableFinished && !closing && !resetting.has(req.socket)) stats.clientAborts++;
      });
      handle(req, res).catch((error) => {
        if (!res.headersSent && !res.destroyed)
          send(res, 500, JSON.stringify({ statusCode: 500, error: String(error) }));
      });
    }),
  ) as Server & { url: string };

  const otherRequests: RequestRecord[] = [];
  const otherServer = track(
    createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://other");
      const op = byPath.get(url.pathname);
      otherRequests.push({
        at: Date.now(),
        port: req.socket.remotePort,
        seq: otherRequests.length + 1,
        route: op?.operationId,
        method: req.method ?? "",
        path: url.pathname,
        headers: { ...req.headers },
      });
      req.resume();
      // someone else's data, shaped like SIMCEL's: a client that follows the redirect would take it for an answer
      if (op)
        send(
          res,
          200,
          JSON.stringify(op && TOKEN_ROUTES.has(op.operationId) ? example(op, 200) : okBody(op, url.searchParams)),
        );
      else send(res, 404, "{}");
    }),
  );

  const listen = (s: Server) =>
    new Promise<string>((resolve, reject) => {
      s.once("error", reject);
      s.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`));
    });
  server.url = await listen(server);
  const other: OtherOrigin = { url: await listen(otherServer), requests: otherRequests };

  return {
    url: server.url,
    other,
    stats,
    requests,
    issuedTokens,
    get inFlight() {
      return inFlight;
    },
    secrets: { apiKey, clientId, clientSecret },
    inject(selector, fault, mode = "always") {
      faults.push({ selector, fault, mode, left: typeof mode === "object" && "times" in mode ? mode.times : 0 });
    },
    clear() {
      faults.length = 0;
      latency.clear();
    },
    setLatency(selector, ms) {
      latency.set(selector, ms);
    },
    hold(selector) {
      let release = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const entry = { gate, release };
      holds.set(selector, entry);
      return () => {
        if (holds.get(selector) === entry) holds.delete(selector);
        release();
      };
    },
    revokeTokens() {
      for (const t of tokens.values()) t.revoked = true;
      return tokens.size;
    },
    async until(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`fault server: condition not met within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async close() {
      closing = true;
      for (const { release } of holds.values()) release();
      holds.clear();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = [server, otherServer].map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
      for (const socket of sockets) socket.destroy();
      await Promise.all(closed);
    },
  };
}
