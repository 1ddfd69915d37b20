// Routing a request: which operation of the spec its method and path name — at the root or under `/api`, as
// SIMCEL serves them (`https://app.simcel.io/api/insights/v1/…`), a same-origin redirect's `/moved` prefix served
// like the path itself, and with `legacyPaths` the older layout's key exchange (`POST /auth/token`) instead of
// today's — then counting and recording it, holding it while its route is held, picking its faults, and handing
// it to the normal answer or to the fault that replaces it.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { OperationId } from "./errors.js";
import { respondWithFault } from "./fault-responses.js";
import { isTokenOperation, selects } from "./faults.js";
import { operations } from "./generated/operations.js";
import { apiAnswer, tokenAnswer } from "./normal-answers.js";
import { type Answer, notFound, send, wait } from "./responder.js";
import type { SandboxRequest, SandboxState } from "./state.js";

/** Operation id by `METHOD path`. */
const ROUTES = new Map(
  (Object.entries(operations) as [OperationId, { method: string; path: string }][]).map(([id, o]) => [
    `${o.method} ${o.path}`,
    id,
  ]),
);
/** The spec's paths. */
export const PATHS = new Set([...ROUTES.keys()].map((k) => k.split(" ")[1]));
const BODY_LIMIT = 1024 * 1024;

/** The path prefix SIMCEL serves its API under: its base URL is `https://app.simcel.io/api`. */
export const API_PREFIX = "/api";
/** The key exchange of the older layout (`https://api.simcel.io`), which served no `/auth/v1/token`. */
export const LEGACY_KEY_EXCHANGE = "/auth/token";

/** Where a request goes. */
export interface Route {
  /** The spec's operation, or undefined when this sandbox serves no such route. */
  operation: OperationId | undefined;
  /** The path it was routed by: the spec's, without `/api` or `/moved`. */
  path: string;
  /** `/api` when it came under SIMCEL's prefix, else empty. */
  prefix: string;
}

/** The route of `METHOD pathname`; with `legacyPaths`, the key exchange is the older layout's. */
export function routeOf(method: string, pathname: string, legacyPaths = false): Route {
  const prefix = pathname.startsWith(`${API_PREFIX}/`) ? API_PREFIX : "";
  // a same-origin redirect lands on /moved/<path>: served like <path>
  const path = pathname.slice(prefix.length).replace(/^\/moved(?=\/)/, "");
  let operation = ROUTES.get(`${method} ${path}`);
  if (legacyPaths && operation === "exchangeApiKey") operation = undefined;
  else if (legacyPaths && method === "POST" && path === LEGACY_KEY_EXCHANGE) operation = "exchangeApiKey";
  return { operation, path, prefix };
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of req) {
    if (body.length < BODY_LIMIT) body += chunk;
  }
  return body;
}

/** Counts and (with `record`) records a request; its entry, for the status sent later. */
async function admit(state: SandboxState, req: IncomingMessage, url: URL, { operation, path, prefix }: Route) {
  const method = req.method ?? "GET";
  const { counts } = state;
  counts.byOperation[operation ?? "unknown"] = (counts.byOperation[operation ?? "unknown"] ?? 0) + 1;
  if (isTokenOperation(operation)) counts.token++;
  else if (operation) counts.api++;
  const body = method === "POST" || method === "PUT" || method === "PATCH" ? await readBody(req) : "";
  if (!body) req.resume();
  const entry: SandboxRequest = {
    seq: ++state.seq,
    operation,
    method,
    path,
    query: url.search,
    headers: { ...req.headers },
    at: state.now(),
    port: req.socket.remotePort,
  };
  if (prefix) entry.prefix = prefix;
  if (body) entry.body = body;
  if (state.record) state.requests.push(entry);
  return { entry, body };
}

/** Answers one request of the sandbox's own origin. */
export async function route(state: SandboxState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? "GET";
  const url = new URL(req.url ?? "/", "http://sandbox");
  const routed = routeOf(method, url.pathname, state.legacyPaths);
  const { operation, path } = routed;
  const { entry, body } = await admit(state, req, url, routed);

  const held = [...state.holds].find(([selector]) => selects(selector, operation))?.[1];
  if (held) await held.gate;
  if (state.closing || res.destroyed) return;

  const { answer: fault, modifiers } = state.faults.pick(operation);
  if (fault || modifiers.length) {
    state.counts.faults++;
    entry.faults = [...modifiers, ...(fault ? [fault] : [])].map((f) => f.kind ?? "status");
  }
  for (const m of modifiers) if (m.kind === "latency") await wait(state, m.ms);
  if (state.closing || res.destroyed) return;
  const authorization = req.headers.authorization;
  const slow = modifiers.find((m) => m.kind === "slowBody");

  const normal = (): Answer => {
    if (!operation) return notFound(method, path);
    if (isTokenOperation(operation)) return tokenAnswer(state, operation, body, modifiers);
    return apiAnswer(state, operation, url, /^Bearer (.+)$/.exec(authorization ?? "")?.[1], modifiers);
  };
  if (!fault) return send(state, req, res, normal(), entry, slow);
  return respondWithFault(state, { req, res, entry, operation, route: routed, url, body, normal, slow }, fault);
}
