// Stateless Streamable HTTP (`--stateless`): every POST gets its own SDK transport and MCP server, made for it
// and closed with its answer, and no Mcp-Session-Id. Nothing of a client lives in the process between requests,
// so any replica behind a balancer answers any request; what replicas share (each key's SIMCEL token) lives in
// the token store. The cost: no server-to-client stream outside a request (GET), and `logging/setLevel` lasts
// one request — neither of which simcel-mcp's read-only tools need.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { Logger } from "@simcel/commands";
import { createSimcelMcpServer } from "./server.js";
import type { Tenant } from "./tenant.js";

/** Serves one parsed request with a transport and a server of its own, both closed when the answer ends. */
export async function serveStateless(
  req: IncomingMessage & { auth?: AuthInfo },
  res: ServerResponse,
  body: unknown,
  tenant: Tenant,
  server: { version: string; logger: Logger },
): Promise<void> {
  // no session id generator: the SDK's stateless mode (its option type does not admit the undefined it documents)
  const transport = new StreamableHTTPServerTransport(
    {} as ConstructorParameters<typeof StreamableHTTPServerTransport>[0],
  );
  const mcp = createSimcelMcpServer({ ...server, tenantFor: () => tenant });
  res.once("close", () => {
    void transport.close();
    void mcp.close();
  });
  await mcp.connect(transport);
  await transport.handleRequest(req, res, body);
}
