// A request refused at the edge of simcel-mcp --http, and how every refusal is written: a JSON-RPC error with
// the status and headers that say why (401 with a challenge, 403, 404, 413, 503 with Retry-After, …).
import type { ServerResponse } from "node:http";

/** A request refused at the edge: its status, headers and the JSON-RPC error's message. */
export class EdgeRefusal {
  constructor(
    readonly status: number,
    readonly message: string,
    readonly headers: Record<string, string> = {},
    readonly code = -32000,
  ) {}
}

/** The `WWW-Authenticate` header of a 401, with its RFC 6750 error code if any. */
export const challenge = (error?: string): Record<string, string> => ({
  "www-authenticate": `Bearer realm="simcel-mcp"${error ? `, error="${error}"` : ""}`,
});

/** Writes `refusal` as the answer (or ends an answer already started). */
export function writeRefusal(res: ServerResponse, refusal: EdgeRefusal): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(refusal.status, { "content-type": "application/json", ...refusal.headers });
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: refusal.code, message: refusal.message }, id: null }));
}
