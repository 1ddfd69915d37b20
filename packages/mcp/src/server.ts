// The SIMCEL MCP server: one tool per operation of the command table (@simcel/commands), built on
// @simcel/auth and @simcel/insights exactly as a consumer uses them.
//
// It uses the SDK's low-level `Server` rather than `McpServer.registerTool`: registerTool takes zod
// schemas and renders them to JSON Schema itself, while our tools' input and output schemas ARE JSON
// Schema, generated from the spec. Serving them as generated keeps the spec the single source (no
// zod copy of a spec fact to drift); the arguments are then checked by the insights client's
// pre-flight checks, which are generated from the same spec.

import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import { createAuthMiddleware, credentialFromEnv, redactSecrets } from "@simcel/auth";
import {
  CommandInputError,
  describeError,
  type Logger,
  OPERATION_LIST,
  OPERATIONS,
  type Operation,
} from "@simcel/commands";
import { createInsightsClient, defaultBaseUrl, type InsightsClient } from "@simcel/insights";

/** Options of {@link createSimcelMcpServer}. */
export interface SimcelMcpServerOptions {
  /** The environment: credentials as `credentialFromEnv` reads them (`SIMCEL_API_KEY`, …, `SIMCEL_BASE_URL`). */
  env: Readonly<Record<string, string | undefined>>;
  /** The server's version, announced to the host. */
  version: string;
  /** Where log lines go (stderr); default silent. */
  logger?: Logger;
}

/** A running server's parts. */
export interface SimcelMcpServer {
  server: Server;
  /** Closes the server and the token cache. */
  close(): Promise<void>;
}

/** The URI of the plans resource (the `list_plans` data). */
export const PLANS_URI = "simcel://plans";

const INSTRUCTIONS =
  "Read-only access to SIMCEL supply-chain and P&L plans. Start with list_plans: the other tools need a planId and take scenario ids from it. Ratios and percentages are decimals between 0 and 1. meta.generatedAt tells how fresh the figures are. A tool error says what to change (an argument, a scope, a credential) or when to retry.";

/** The tool each operation is, as tools/list announces it. */
const toolOf = (op: Operation): Tool => ({
  name: op.tool,
  title: op.title,
  description: op.description,
  inputSchema: op.inputSchema as Tool["inputSchema"],
  outputSchema: op.outputSchema as NonNullable<Tool["outputSchema"]>,
  annotations: {
    title: op.title,
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: true,
  },
});

/** JSON with every secret removed; still JSON, since the redaction mark holds no quote or backslash. */
const redactedJson = (value: unknown) => redactSecrets(JSON.stringify(value));

/**
 * The SIMCEL MCP server. Missing or wrong credentials do not stop it: it lists its tools, and every
 * call answers a tool error naming the variables to set. One auth middleware (one token cache) serves
 * every call for the life of the server.
 */
export function createSimcelMcpServer(options: SimcelMcpServerOptions): SimcelMcpServer {
  const { env, version, logger = {} } = options;
  let client: InsightsClient | undefined;
  let auth: ReturnType<typeof createAuthMiddleware> | undefined;
  let setupError: unknown;
  let baseUrl = env.SIMCEL_BASE_URL?.trim() || defaultBaseUrl;
  try {
    const credential = credentialFromEnv(env);
    baseUrl = credential.baseUrl;
    auth = createAuthMiddleware({ credential, logger });
    client = createInsightsClient({
      baseUrl: credential.baseUrl,
      middleware: [auth],
      // An agent should hear "rate limited, retry in N s" at once rather than wait in a tool call that
      // its host may time out (60 s is common); transient faults come back as tool errors it can retry.
      maxRetries: 0,
      logger,
    });
  } catch (error) {
    setupError = error;
    logger.warn?.("no usable credential: every tool call will say what to set", {
      error: describeError(error, wordingFor("simcel-mcp")).message,
    });
  }
  function wordingFor(where: string) {
    return {
      where,
      inputHint: "; fix this argument and call again",
      configHint:
        " (in the env of this server's entry in the MCP host's configuration; then restart the server). Grant the key the scopes insights:read and plans:read, never admin",
      listPlans: "the list_plans tool",
      baseUrlSetting: "SIMCEL_BASE_URL",
      baseUrl,
    };
  }

  /** Runs `op` with `args`; the outcome's structured result, or a thrown error for the caller to describe. */
  async function run(op: Operation, args: Record<string, unknown>, signal: AbortSignal) {
    if (!client) throw setupError;
    const accepted = op.parameters.map((p) => p.name);
    for (const name of Object.keys(args))
      if (!accepted.includes(name))
        throw new CommandInputError(
          name,
          `${name} is not an argument of this tool; ${accepted.length ? `accepted: ${accepted.join(", ")}` : "it takes none"}`,
        );
    const outcome = await op.run(client, args, {
      signal,
      step: async (call, task) => {
        logger.debug?.("api call", { tool: op.tool, call });
        return task();
      },
    });
    return op.structured(outcome);
  }

  const server = new Server(
    { name: "simcel-mcp", title: "SIMCEL", version },
    { capabilities: { tools: { listChanged: false }, resources: {} }, instructions: INSTRUCTIONS },
  );
  const tools = new Map(OPERATION_LIST.map((op) => [op.tool, op]));

  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: OPERATION_LIST.map(toolOf) }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const { name } = request.params;
    const op = tools.get(name);
    if (!op)
      throw new McpError(ErrorCode.InvalidParams, `Unknown tool ${name}; tools: ${[...tools.keys()].join(", ")}`);
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    try {
      const structured = await run(op, request.params.arguments ?? {}, extra.signal);
      const text = redactedJson(structured);
      logger.info?.("tool call", { tool: name, ok: true, ms: ms() });
      return { content: [{ type: "text", text }], structuredContent: JSON.parse(text) };
    } catch (error) {
      const { kind, message } = describeError(error, wordingFor(name));
      const text = redactSecrets(message);
      logger.warn?.("tool call", { tool: name, ok: false, ms: ms(), kind, message: text });
      return { isError: true, content: [{ type: "text", text }] };
    }
  });

  server.setRequestHandler(ListResourcesRequestSchema, async () => ({
    resources: [
      {
        uri: PLANS_URI,
        name: "plans",
        title: "SIMCEL plans and scenarios",
        description: "What list_plans returns: the plans this credential may read, with their scenarios and flags.",
        mimeType: "application/json",
      },
    ],
  }));

  server.setRequestHandler(ReadResourceRequestSchema, async (request, extra) => {
    const { uri } = request.params;
    // -32002 is MCP's "resource not found".
    if (uri !== PLANS_URI) throw new McpError(-32002, `Resource not found: ${uri}; resources: ${PLANS_URI}`);
    try {
      const text = redactedJson(await run(OPERATIONS.plans as Operation, {}, extra.signal));
      return { contents: [{ uri, mimeType: "application/json", text }] };
    } catch (error) {
      const message = redactSecrets(describeError(error, wordingFor(PLANS_URI)).message);
      logger.warn?.("resource read", { uri, ok: false, message });
      throw new McpError(ErrorCode.InternalError, message);
    }
  });

  return {
    server,
    async close() {
      await server.close();
      // stops a background refresh and lets the process exit
      await client?.close();
      await auth?.close();
    },
  };
}
