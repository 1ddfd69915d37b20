// startSandbox(): a SIMCEL on loopback. It signs in (API key or client credentials), enforces tokens, scopes
// and a rate limit, answers the four read operations from seeded data as the spec describes them, and fails on
// demand (faults, drifts, held answers). A second loopback server plays "another origin" for redirect faults.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { inspect } from "node:util";
import { Answers, type PlansBody } from "./answers.js";
import { Auth, checkRateLimit, grants, type RateLimit, requestedScopes, type Scope } from "./auth.js";
import { applyDrifts, undotted } from "./drifts.js";
import { type ErrorBody, messages, type OperationId, Refusal, SimcelSandboxError, specError } from "./errors.js";
import {
  type EchoSource,
  type FailOptions,
  type Fault,
  type FaultHandle,
  Faults,
  isTokenOperation,
  type OperationSelector,
  selects,
} from "./faults.js";
import { operations, tokenExample } from "./generated/operations.js";
import { isDataOperation, readQuery } from "./requests.js";
import { createWorld } from "./world.js";

/** Options of {@link startSandbox}; all optional. */
export interface SandboxOptions {
  /** Port to listen on; 0 (the default) lets the kernel pick a free one. */
  port?: number | undefined;
  /** Address to listen on; default `127.0.0.1` (loopback only). */
  host?: string | undefined;
  /** Seed of every plan, id, figure, key and probabilistic fault; default 1. */
  seed?: number | undefined;
  /** Lifetime of issued tokens in seconds (`expiresIn`, and enforced: an expired token gets 401); default 3600. */
  tokenLifetimeS?: number | undefined;
  /** The rate limit of every key and client (each has its own count); default none. */
  rateLimit?: RateLimit | false | undefined;
  /** `coming-soon`: the CO2 endpoint answers 404, as SIMCEL documents it today; default `available`. */
  sustainability?: "available" | "coming-soon" | undefined;
  /** Keep every request (headers and token bodies included) in `requests`; default false (a log grows). */
  record?: boolean | undefined;
  /** The sandbox's clock in epoch ms (token expiry, the `Date` header); default `Date.now`. */
  now?: (() => number) | undefined;
}

/** Options of `createApiKey`. */
export interface ApiKeyOptions {
  /** Scopes of its tokens; default `insights:read` and `plans:read`. */
  scopes?: readonly Scope[] | undefined;
  /** The key itself (e.g. the one your CI already sets); default a new `sk_test_FAKE_…` from the seed. */
  key?: string | undefined;
  /** This key's rate limit, instead of the sandbox's; `false` for none. */
  rateLimit?: RateLimit | false | undefined;
}

/** Options of `createClient`. */
export interface ClientOptions {
  /** Scopes the client may ask for (and gets when it asks for none); default `insights:read` and `plans:read`. */
  scopes?: readonly Scope[] | undefined;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  rateLimit?: RateLimit | false | undefined;
}

/** What the sandbox has seen. Read it after the calls settle. */
export interface SandboxCounts {
  /** Requests to a token route (both kinds). */
  token: number;
  /** Requests to an insights route. */
  api: number;
  /** Requests per operation id; paths the spec does not know under `unknown`. */
  byOperation: Record<string, number>;
  /** Tokens issued. */
  tokensIssued: number;
  /** Requests a fault or drift changed. */
  faults: number;
  /** Answers the client walked away from before they were complete (an abort, a timeout). */
  clientAborts: number;
  /** The most body bytes written to one response (a `huge` fault shows how much the client pulled). */
  maxBodyBytes: number;
  /** Requests received and not yet answered. */
  inFlight: number;
}

/** One request, as the sandbox saw it (with `record: true`). Holds the secrets it carried: it is your test's data. */
export interface SandboxRequest {
  /** From 1. */
  seq: number;
  operation: OperationId | undefined;
  method: string;
  path: string;
  query: string;
  /** Lower-cased header names → values, Authorization included. */
  headers: Record<string, string | string[] | undefined>;
  /** The body of a POST. */
  body?: string;
  /** When it arrived (the sandbox's clock) and from which client port (which connection). */
  at: number;
  port: number | undefined;
  /** The faults that changed it, by kind. */
  faults?: string[];
  /** The status sent; undefined when none was (a hang or reset). */
  status?: number;
}

/** A running sandbox. */
export interface Sandbox {
  /** `http://127.0.0.1:PORT`: the base URL to give the SDK (SIMCEL_BASE_URL). */
  readonly url: string;
  /** The seed its data came from. */
  readonly seed: number;
  /** Its plans and their scenarios, as `listPlans` answers them. */
  readonly plans: PlansBody["plans"];
  /** A new API key (`sk_test_FAKE_…`) whose tokens carry `scopes`. */
  createApiKey(options?: ApiKeyOptions): string;
  /** A new OAuth2 client for the client-credentials grant. */
  createClient(options?: ClientOptions): { clientId: string; clientSecret: string };
  /** Refuses `key` from now on: its exchange and the tokens it got answer 401. False when unknown. */
  revokeApiKey(key: string): boolean;
  /** Every token issued so far answers 401 from now on; returns how many tokens were issued. */
  revokeTokens(): number;
  /** Installs a fault: the selected operation's next `times` requests, each with `probability`, or all of them. */
  fail(options: FailOptions): FaultHandle;
  /** Removes every fault. */
  clearFaults(): void;
  /** Holds every answer of the selected routes until the returned function is called (tokens are checked after). */
  hold(operation?: OperationSelector): () => void;
  /** Counters; a fresh copy on each read. */
  readonly counts: SandboxCounts;
  /** Every request seen (with `record: true`; else empty). */
  readonly requests: readonly SandboxRequest[];
  /** Every token issued, in order (with `record: true`; else empty): the secrets to look for in outputs. */
  readonly issuedTokens: readonly string[];
  /** The other origin redirect faults point to: its URL and the requests it received (always recorded). */
  readonly otherOrigin: { readonly url: string; readonly requests: readonly SandboxRequest[] };
  /** Stops both servers, dropping open connections and pending timers: nothing is left behind. */
  close(): Promise<void>;
}

/** A JSON or text answer before it is sent. */
interface Answer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

const json = (status: number, value: unknown, headers: Record<string, string> = {}): Answer => ({
  status,
  body: JSON.stringify(value),
  headers: { "content-type": "application/json", ...headers },
});
const refusal = (r: Refusal): Answer => json(r.status, r.body, r.headers);
const notFound = (method: string, path: string): Answer =>
  json(404, { statusCode: 404, error: "Not Found", message: `Cannot ${method} ${path}` } satisfies ErrorBody);

/** Operation id by `METHOD path`. */
const ROUTES = new Map(
  (Object.entries(operations) as [OperationId, { method: string; path: string }][]).map(([id, o]) => [
    `${o.method} ${o.path}`,
    id,
  ]),
);
const PATHS = new Set([...ROUTES.keys()].map((k) => k.split(" ")[1]));
const BODY_LIMIT = 1024 * 1024;
const CACHE_SIZE = 256;

function check(condition: boolean, message: string) {
  if (!condition) throw new SimcelSandboxError(message);
}

/** Starts a sandbox and resolves once it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const {
    port = 0,
    host = "127.0.0.1",
    seed = 1,
    tokenLifetimeS = 3600,
    sustainability = "available",
    record = false,
    now = Date.now,
  } = options;
  check(Number.isInteger(port) && port >= 0 && port <= 65_535, `port must be a whole number 0–65535, got ${port}`);
  check(Number.isInteger(seed), `seed must be a whole number, got ${seed}`);
  check(
    typeof tokenLifetimeS === "number" && tokenLifetimeS > 0 && Number.isFinite(tokenLifetimeS),
    `tokenLifetimeS must be a number of seconds > 0, got ${tokenLifetimeS}`,
  );
  check(
    sustainability === "available" || sustainability === "coming-soon",
    `sustainability must be "available" or "coming-soon", got ${JSON.stringify(sustainability)}`,
  );
  check(typeof now === "function", "now must be a function returning epoch milliseconds");

  const answers = new Answers(createWorld(seed));
  const auth = new Auth(seed, now, tokenLifetimeS, checkRateLimit(options.rateLimit, "rateLimit"));
  const faults = new Faults(seed);
  const plansJson = JSON.stringify(answers.listPlans());
  const plans = deepFreeze(JSON.parse(plansJson) as PlansBody).plans;
  const cache = new Map<string, string>();
  const holds = new Map<OperationSelector, { gate: Promise<void>; release: () => void }>();
  const timers = new Set<NodeJS.Timeout>();
  const requests: SandboxRequest[] = [];
  const otherRequests: SandboxRequest[] = [];
  const issuedTokens: string[] = [];
  const counts: Omit<SandboxCounts, "inFlight"> = {
    token: 0,
    api: 0,
    byOperation: {},
    tokensIssued: 0,
    faults: 0,
    clientAborts: 0,
    maxBodyBytes: 0,
  };
  /** Sockets reset on purpose (not client aborts). */
  const resetting = new WeakSet<Socket>();
  let inFlight = 0;
  let seq = 0;
  let closing = false;
  const instance = randomUUID().slice(0, 8);

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  const reset = (socket: Socket) => {
    resetting.add(socket);
    socket.resetAndDestroy();
  };
  const issue = (principal: Parameters<Auth["issue"]>[0], scopes: Scope[]) => {
    const issued = auth.issue(principal, scopes);
    counts.tokensIssued++;
    if (record) issuedTokens.push(issued.accessToken);
    return issued;
  };

  function send(req: IncomingMessage, res: ServerResponse, answer: Answer, entry: SandboxRequest, slow?: Fault) {
    if (res.destroyed) return;
    entry.status = answer.status;
    const headers = {
      ...answer.headers,
      "x-request-id": `req_${instance}_${entry.seq}`,
      "access-control-allow-origin": "*",
      "access-control-expose-headers": "retry-after, x-request-id",
      date: new Date(now()).toUTCString(),
    };
    const bytes = Buffer.from(answer.body);
    counts.maxBodyBytes = Math.max(counts.maxBodyBytes, bytes.length);
    if (slow?.kind !== "slowBody") {
      res.writeHead(answer.status, { ...headers, "content-length": String(bytes.length) });
      res.end(bytes);
      return;
    }
    res.writeHead(answer.status, { ...headers, "content-length": String(bytes.length) });
    const chunk = Math.max(1, slow.chunkBytes ?? 64);
    void (async () => {
      for (let at = 0; at < bytes.length && !res.destroyed && !closing; at += chunk) {
        res.write(bytes.subarray(at, at + chunk));
        if (at + chunk < bytes.length) await wait(slow.delayMs);
      }
      if (!res.destroyed && !closing) res.end();
      else if (!closing) reset(req.socket);
    })();
  }

  async function streamHuge(res: ServerResponse, bytes: number, status: number, contentType: string) {
    res.writeHead(status, { "content-type": contentType, "content-length": String(bytes) });
    const chunk = Buffer.alloc(64 * 1024, "a");
    let sent = 0;
    while (sent < bytes && !res.destroyed && !closing) {
      const size = Math.min(chunk.length, bytes - sent);
      sent += size;
      counts.maxBodyBytes = Math.max(counts.maxBodyBytes, sent);
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

  /** The normal answer of a token route. */
  function tokenAnswer(operation: OperationId, body: string, modifiers: Fault[]): Answer {
    let principal: ReturnType<Auth["apiKey"]>;
    let scopes: Scope[];
    if (operation === "exchangeApiKey") {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {}
      const key = (parsed as { apiKey?: unknown } | null | undefined)?.apiKey;
      if (typeof key !== "string" || key === "") return refusal(new Refusal(400, messages.apiKeyRequired()));
      principal = auth.apiKey(key);
      if (!principal) return refusal(new Refusal(401, messages.invalidApiKey()));
      scopes = principal.scopes;
    } else {
      const form = new URLSearchParams(body);
      if (form.get("grant_type") !== "client_credentials") return refusal(new Refusal(400, messages.grantType()));
      const id = form.get("client_id");
      const secret = form.get("client_secret");
      if (!id || !secret) return refusal(new Refusal(400, "client_id and client_secret are required"));
      principal = auth.client(id, secret);
      if (!principal) return refusal(new Refusal(401, messages.invalidClient()));
      const granted = requestedScopes(form.get("scope"), principal.scopes);
      if (typeof granted === "string") return refusal(new Refusal(400, granted));
      scopes = granted;
    }
    const issued = issue(principal, scopes);
    let answer: Record<string, unknown> = { ...tokenExample, ...issued };
    for (const m of modifiers) if (m.kind === "tokenBody") answer = { ...answer, ...m.patch };
    const drifts = modifiers.flatMap((m) => (m.kind === "drift" ? [m.drift] : []));
    applyDrifts(operation, answer, drifts);
    return json(200, answer);
  }

  /** The normal answer of an insights route. */
  function apiAnswer(operation: OperationId, url: URL, token: string | undefined, modifiers: Fault[]): Answer {
    const bearer = auth.verify(token);
    if (!bearer) return refusal(new Refusal(401, messages.unauthorized()));
    const waitS = auth.overLimit(bearer.principal);
    if (waitS !== undefined) return refusal(new Refusal(429, messages.rateLimited(), { "retry-after": String(waitS) }));
    const scope = (operations[operation] as { scope?: string }).scope;
    if (scope && !grants(bearer.scopes, scope)) return refusal(new Refusal(403, messages.missingScope(scope)));
    const drifts = modifiers.flatMap((m) => (m.kind === "drift" ? [m.drift] : []));
    if (operation === "listPlans") {
      if (!drifts.length) return { status: 200, body: plansJson, headers: { "content-type": "application/json" } };
      const body = JSON.parse(plansJson);
      applyDrifts(operation, body, drifts);
      return json(200, body);
    }
    if (!isDataOperation(operation)) return notFound("GET", url.pathname);
    const query = new URLSearchParams(url.searchParams);
    const asked = query.get("planId") ?? undefined;
    if (drifts.includes("planIdDot") && asked !== undefined) query.set("planId", undotted(asked));
    try {
      if (operation === "getSustainability" && (sustainability === "coming-soon" || drifts.includes("co2ComingSoon")))
        return notFound("GET", url.pathname);
      const request = readQuery(operation, query);
      const key = JSON.stringify(request);
      let body = cache.get(key);
      if (body === undefined) {
        body = JSON.stringify(
          operation === "getPnlSummary"
            ? answers.pnl(request)
            : operation === "getDemandForecast"
              ? answers.demand(request)
              : answers.co2(request),
        );
        if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      } else cache.delete(key);
      cache.set(key, body);
      if (!drifts.length) return { status: 200, body, headers: { "content-type": "application/json" } };
      const changed = JSON.parse(body);
      applyDrifts(operation, changed, drifts, asked);
      return json(200, changed);
    } catch (error) {
      if (error instanceof Refusal) return refusal(error);
      throw error;
    }
  }

  /** What an `echo` fault may quote: the request's body and bearer, and the credential behind either. */
  function echoSource(operation: OperationId | undefined, body: string, authorization: string | undefined): EchoSource {
    const token = /^Bearer (.+)$/.exec(authorization ?? "")?.[1];
    const principal = auth.verify(token)?.principal;
    let apiKey = principal?.apiKey ?? "";
    let clientId = principal?.clientId ?? "";
    let clientSecret = principal?.clientSecret ?? "";
    if (operation === "exchangeApiKey")
      try {
        const key = JSON.parse(body)?.apiKey;
        if (typeof key === "string") apiKey = key;
      } catch {}
    if (operation === "issueClientCredentialsToken") {
      const form = new URLSearchParams(body);
      clientId = form.get("client_id") ?? clientId;
      clientSecret = form.get("client_secret") ?? clientSecret;
    }
    return { body, authorization, token, apiKey, clientId, clientSecret };
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    let body = "";
    for await (const chunk of req) {
      if (body.length < BODY_LIMIT) body += chunk;
    }
    return body;
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "http://sandbox");
    // a same-origin redirect lands on /moved/<path>: served like <path>
    const path = url.pathname.replace(/^\/moved(?=\/)/, "");
    const operation = ROUTES.get(`${method} ${path}`);
    const isToken = isTokenOperation(operation);
    counts.byOperation[operation ?? "unknown"] = (counts.byOperation[operation ?? "unknown"] ?? 0) + 1;
    if (isToken) counts.token++;
    else if (operation) counts.api++;
    const body = method === "POST" || method === "PUT" || method === "PATCH" ? await readBody(req) : "";
    if (!body) req.resume();
    const entry: SandboxRequest = {
      seq: ++seq,
      operation,
      method,
      path,
      query: url.search,
      headers: { ...req.headers },
      at: now(),
      port: req.socket.remotePort,
    };
    if (body) entry.body = body;
    if (record) requests.push(entry);

    const held = [...holds].find(([selector]) => selects(selector, operation))?.[1];
    if (held) await held.gate;
    if (closing || res.destroyed) return;

    const { answer: fault, modifiers } = faults.pick(operation);
    if (fault || modifiers.length) {
      counts.faults++;
      entry.faults = [...modifiers, ...(fault ? [fault] : [])].map((f) => f.kind ?? "status");
    }
    for (const m of modifiers) if (m.kind === "latency") await wait(m.ms);
    if (closing || res.destroyed) return;
    const authorization = req.headers.authorization;
    const slow = modifiers.find((m) => m.kind === "slowBody");

    const normal = (): Answer => {
      if (!operation) return notFound(method, path);
      if (isToken) return tokenAnswer(operation, body, modifiers);
      return apiAnswer(operation, url, /^Bearer (.+)$/.exec(authorization ?? "")?.[1], modifiers);
    };
    if (!fault) return send(req, res, normal(), entry, slow);
    const errorAnswer = (status: number, message?: string, headers: Record<string, string> = {}) => {
      const spec = specError(operation, status);
      return json(status, message === undefined ? spec : { ...spec, message }, headers);
    };
    switch (fault.kind) {
      case undefined:
      case "status":
        return send(
          req,
          res,
          errorAnswer(fault.status, fault.message, {
            ...(fault.retryAfterS !== undefined && { "retry-after": String(fault.retryAfterS) }),
            ...fault.headers,
          }),
          entry,
        );
      case "oauthError":
        return send(
          req,
          res,
          json(fault.status, {
            error: fault.error,
            ...(fault.description !== undefined && { error_description: fault.description }),
          }),
          entry,
        );
      case "text":
        return send(
          req,
          res,
          {
            status: fault.status ?? 200,
            body: fault.body,
            headers: { "content-type": fault.contentType ?? "text/plain" },
          },
          entry,
        );
      case "json":
        return send(req, res, json(fault.status ?? 200, fault.body), entry);
      case "hang":
        return; // the socket stays open: close() or the client ends it
      case "reset":
        reset(req.socket);
        return;
      case "resetMidBody": {
        const full = fault.status === undefined ? normal() : errorAnswer(fault.status);
        const bytes = Buffer.from(full.body);
        entry.status = full.status;
        res.writeHead(full.status, { ...full.headers, "content-length": String(bytes.length) });
        // the reset only after the half has been handed to the socket, so the client sees headers and a part
        res.write(bytes.subarray(0, bytes.length >> 1), () => reset(req.socket));
        return;
      }
      case "huge":
        entry.status = fault.status ?? 200;
        return streamHuge(res, fault.bytes, fault.status ?? 200, fault.contentType ?? "application/json");
      case "redirect": {
        const target =
          fault.to === "other-origin"
            ? new URL(req.url ?? "/", otherUrl)
            : new URL(`/moved${path}${url.search}`, serverUrl);
        return send(req, res, { status: fault.status ?? 302, body: "", headers: { location: target.href } }, entry);
      }
      case "echo": {
        const text = fault.text(echoSource(operation, body, authorization));
        return send(
          req,
          res,
          fault.raw
            ? { status: fault.status, body: text, headers: { "content-type": "text/plain", ...fault.headers } }
            : errorAnswer(fault.status, text, { ...fault.headers }),
          entry,
        );
      }
      default:
        return send(req, res, normal(), entry, slow);
    }
  }

  const sockets = new Set<Socket>();
  const track = (s: Server) =>
    s.on("connection", (socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });

  const server = track(
    createServer((req, res) => {
      if (req.method === "OPTIONS") {
        // a browser's preflight: any origin may call a sandbox with a bearer
        res.writeHead(204, {
          "access-control-allow-origin": "*",
          "access-control-allow-methods": "GET, POST",
          "access-control-allow-headers":
            "authorization, content-type, prefer, x-simcel-client, traceparent, tracestate",
          "access-control-max-age": "600",
        });
        res.end();
        return;
      }
      inFlight++;
      let settled = false;
      res.on("close", () => {
        if (settled) return;
        settled = true;
        inFlight--;
        // closed before the whole response went out, not by us: the client walked away (an abort, a timeout)
        if (!res.writableFinished && !closing && !resetting.has(req.socket)) counts.clientAborts++;
      });
      handle(req, res).catch((error: unknown) => {
        if (!res.headersSent && !res.destroyed)
          res
            .writeHead(500, { "content-type": "application/json" })
            .end(JSON.stringify({ ...specError(undefined, 500), message: `sandbox error: ${String(error)}` }));
      });
    }),
  );

  const otherServer = track(
    createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://other");
      const operation = ROUTES.get(`${req.method} ${url.pathname}`);
      otherRequests.push({
        seq: otherRequests.length + 1,
        operation,
        method: req.method ?? "",
        path: url.pathname,
        query: url.search,
        headers: { ...req.headers },
        at: now(),
        port: req.socket.remotePort,
      });
      req.resume();
      // someone else's data, shaped like SIMCEL's: a client that follows the redirect would take it for an answer
      const answer = operation === "listPlans" ? plansJson : PATHS.has(url.pathname) ? "{}" : undefined;
      res.writeHead(answer === undefined ? 404 : 200, { "content-type": "application/json" });
      res.end(answer ?? "{}");
    }),
  );

  const listen = (s: Server, p: number) =>
    new Promise<string>((resolve, reject) => {
      s.once("error", (error: NodeJS.ErrnoException) =>
        reject(
          new SimcelSandboxError(
            error.code === "EADDRINUSE"
              ? `port ${p} on ${host} is in use: pick another, or 0 for a free one`
              : String(error),
          ),
        ),
      );
      s.listen(p, host, () => {
        const address = s.address() as AddressInfo;
        resolve(`http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`);
      });
    });
  const serverUrl = await listen(server, port);
  const otherUrl = await listen(otherServer, 0).catch(async (error) => {
    await new Promise((closed) => server.close(closed));
    throw error;
  });

  const sandbox: Sandbox = {
    url: serverUrl,
    seed,
    plans,
    createApiKey: (o) => auth.createApiKey(o),
    createClient: (o) => auth.createClient(o),
    revokeApiKey: (key) => auth.revokeApiKey(key),
    revokeTokens: () => auth.revokeTokens(),
    fail: (o) => faults.add(o),
    clearFaults: () => faults.clear(),
    hold(operation = "any") {
      let release = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const held = { gate, release };
      holds.set(operation, held);
      return () => {
        if (holds.get(operation) === held) holds.delete(operation);
        release();
      };
    },
    get counts() {
      return { ...counts, byOperation: { ...counts.byOperation }, inFlight };
    },
    get requests() {
      return requests;
    },
    get issuedTokens() {
      return issuedTokens;
    },
    otherOrigin: { url: otherUrl, requests: otherRequests },
    async close() {
      if (closing) return;
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
  // what a log or a serializer shows of a sandbox: where it is, never what it recorded (tokens, keys)
  Object.defineProperty(sandbox, "toJSON", { value: () => ({ url: serverUrl, seed }) });
  Object.defineProperty(sandbox, inspect.custom, { value: () => `Sandbox { url: '${serverUrl}', seed: ${seed} }` });
  return sandbox;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
