// Test-side helper: the MCP server built from source, connected to the SDK's own Client over the SDK's
// in-memory transport pair, with the environment's tenant (a sandbox's key, or none). No process, no port:
// for tests of what the tools answer rather than how the transports carry it.

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { createSimcelMcpServer, type SimcelMcpServerOptions } from "../src/server.js";
import { createEnvTenant } from "../src/tenant.js";

/** A connected client and a way to close both ends and the tenant. */
export interface InMemoryConnection {
  client: Client;
  close(): Promise<void>;
}

/** The server with the tenant of `env` (SIMCEL_API_KEY, SIMCEL_BASE_URL…), connected in memory. */
export async function connectInMemory(
  env: Record<string, string>,
  options: Partial<Omit<SimcelMcpServerOptions, "tenantFor" | "version">> = {},
): Promise<InMemoryConnection> {
  const tenant = createEnvTenant(env, { logger: {} });
  const server = createSimcelMcpServer({ version: "0.0.0-test", tenantFor: () => tenant, ...options });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "simcel-mcp-test", version: "0.0.0" });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return {
    client,
    async close() {
      await client.close();
      await server.close();
      await tenant.close();
    },
  };
}
