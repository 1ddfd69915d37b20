// The small HTTP vocabulary of the OAuth endpoints: bounded body reads (a form or JSON), JSON answers with
// `Cache-Control: no-store` (RFC 6749 §5.1), OAuth error bodies, and the CORS headers that let a browser-based
// host read the public endpoints (no cookie is ever honoured on them).
import type { IncomingMessage, ServerResponse } from "node:http";

/** An OAuth error answer (RFC 6749 §5.2): status, `error` code and a description for the developer. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }
}

export const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };
export const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, OPTIONS",
  "access-control-allow-headers": "authorization, content-type, mcp-protocol-version",
  "access-control-max-age": "600",
};

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...NO_STORE, ...headers });
  res.end(JSON.stringify(value));
}

export function sendOAuthError(res: ServerResponse, error: OAuthError, headers: Record<string, string> = {}) {
  sendJson(
    res,
    error.status,
    { error: error.error, error_description: error.message },
    { ...headers, ...error.headers },
  );
}

/** The body, at most `limit` bytes (a larger one is refused before it is buffered whole). */
export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const tooLarge = () => new OAuthError(413, "invalid_request", `the request body is larger than ${limit} bytes`);
  if (Number(req.headers["content-length"] ?? 0) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const mediaType = (req: IncomingMessage) => (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();

/** An `application/x-www-form-urlencoded` body; a parameter sent twice is refused (RFC 6749 §3.1). */
export async function readForm(req: IncomingMessage, limit = 16_384): Promise<Map<string, string>> {
  if (mediaType(req) !== "application/x-www-form-urlencoded")
    throw new OAuthError(400, "invalid_request", "send the parameters as application/x-www-form-urlencoded");
  return uniqueParams(new URLSearchParams(await readBody(req, limit)));
}

/** A JSON object body. */
export async function readJsonObject(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  if (mediaType(req) !== "application/json")
    throw new OAuthError(400, "invalid_client_metadata", "send the client metadata as application/json");
  let value: unknown;
  try {
    value = JSON.parse(await readBody(req, limit));
  } catch (error) {
    if (error instanceof OAuthError) throw error;
    throw new OAuthError(400, "invalid_client_metadata", "the body is not JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new OAuthError(400, "invalid_client_metadata", "the body must be a JSON object");
  return value as Record<string, unknown>;
}

/** Query or form parameters, each at most once. */
export function uniqueParams(params: URLSearchParams): Map<string, string> {
  const map = new Map<string, string>();
  for (const [name, value] of params) {
    if (map.has(name)) throw new OAuthError(400, "invalid_request", `the parameter ${name} is given more than once`);
    map.set(name, value);
  }
  return map;
}
