// The SIMCEL MCP server: one tool per operation of the command table (@simcel/commands), built on
// @simcel/auth and @simcel/insights exactly as a consumer uses them. One function builds it for both
// transports: stdio and Streamable HTTP only differ in where a call's tenant (its credential) comes from —
// the server's environment, or the bearer of the HTTP request that carries the call.
//
// It uses the SDK's low-level `Server` rather than `McpServer.registerTool`: registerTool takes zod
// schemas and renders them to JSON Schema itself, while our tools' input and output schemas ARE JSON
// Schema, generated from the spec. Serving them as generated keeps the spec the single source (no
// zod copy of a spec fact to drift); the arguments are then checked by the insights client's
// pre-flight checks, which are generated from the same spec.

import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  type LoggingLevel,
  McpError,
  ReadResourceRequestSchema,
  type ServerNotification,
  type ServerRequest,
  SetLevelRequestSchema,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import { redactValue } from "@simcel/auth";
import {
  CommandInputError,
  describeError,
  type Logger,
  type LogLevel,
  OPERATION_LIST,
  OPERATIONS,
  type Operation,
} from "@simcel/commands";
import { NotFoundError } from "@simcel/insights";
import { logData, mcpLevel, passes, withSessionLog } from "./log-bridge.js";
import type { Tenant } from "./tenant.js";

/** What a request handler gets from the SDK: the request's signal, session, auth info and notifier. */
export type HandlerExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** Options of {@link createSimcelMcpServer}. */
export interface SimcelMcpServerOptions {
  /** The tenant a request runs as: the environment's (stdio, single-tenant HTTP) or its bearer's (multi-tenant HTTP). */
  tenantFor(extra: HandlerExtra): Tenant;
  /** The server's version, announced to the host. */
  version: string;
  /** Where the server's own log lines go (stderr); default silent. */
  logger?: Logger | undefined;
  /** The least severe level sent to the host before it asks for one with `logging/setLevel`; default `info`. */
  defaultLogLevel?: LoggingLevel | undefined;
}

/** The URI of the plans resource (the `list_plans` data). */
export const PLANS_URI = "simcel://plans";
/** The URI template of one plan. */
export const PLAN_URI_TEMPLATE = "simcel://plans/{planId}";
const PLAN_URI = /^simcel:\/\/plans\/([^/?#]+)$/;

const maxScenarios = OPERATIONS.pnl.parameters.find((p) => p.name === "scenarioIds")?.facts.maxItems;

/** What the host's model reads once, at initialize: what the tools are for and the rules that hold for all. */
export const INSTRUCTIONS = [
  "Read-only access to SIMCEL supply-chain and P&L plans: list_plans first (every other tool needs a planId and takes scenario ids from it), then the P&L summary, the demand forecast, CO2 emissions, or compare_scenarios for each scenario's deltas against a base.",
  "Ratios and percentages are decimals between 0 and 1 (0.3 means 30 %).",
  `Pass at most ${maxScenarios} scenarios per call.`,
  "Check meta.generatedAt: it is when SIMCEL last simulated the plan; say how old the figures are, and treat them as missing when it is absent.",
  "A tool error says what to change (an argument, a scope, a credential) or when to retry.",
].join(" ");

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

/** JSON with every secret removed from its strings; its field names and syntax are never touched, so it stays the same valid JSON. */
const redactedJson = (value: unknown, redact: (text: string) => string) => JSON.stringify(redactValue(value, redact));

/** Whether a token with `scopes` (undefined: unknown) may use something that needs `scope`. */
const allowed = (scopes: readonly string[] | undefined, scope: string) =>
  scopes === undefined || scopes.includes(scope) || scopes.includes("admin");

/** What a configuration mistake tells the person to change, by where the credential comes from. */
const CONFIG_HINTS: Record<Tenant["source"], string> = {
  env: " (in the env of this server's entry in the MCP host's configuration; then restart the server). Grant the key the scopes insights:read and plans:read, never admin",
  bearer:
    " (send your SIMCEL API key as `Authorization: Bearer <key>` in the headers of this server's entry in the MCP host's configuration). Grant the key the scopes insights:read and plans:read, never admin",
};

/**
 * The SIMCEL MCP server for one session. Missing or wrong credentials do not stop it: it lists its tools,
 * and every call answers a tool error naming what to set. Tools, resources, instructions, logging,
 * progress and cancellation are the same on every transport.
 */
export function createSimcelMcpServer(options: SimcelMcpServerOptions): Server {
  const { tenantFor, version, logger = {} } = options;
  /** This session's threshold for log lines sent to the host. */
  let threshold: LoggingLevel = options.defaultLogLevel ?? "info";

  function wordingFor(where: string, tenant: Tenant) {
    return {
      where,
      inputHint: "; fix this argument and call again",
      configHint: CONFIG_HINTS[tenant.source],
      listPlans: "the list_plans tool",
      baseUrlSetting: "SIMCEL_BASE_URL",
      baseUrl: tenant.baseUrl,
    };
  }

  /**
   * Log lines of this call: to the host when they pass its threshold. Each notification sent is added to
   * `sent`, which the handler waits for before it answers: a host stops listening to a call once it has
   * the answer, so a line sent after it would be lost.
   */
  function sessionSink(extra: HandlerExtra, sent: Promise<void>[]) {
    return (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
      const mcp = mcpLevel(level);
      if (!passes(mcp, threshold)) return;
      sent.push(
        extra
          .sendNotification({
            method: "notifications/message",
            params: { level: mcp, logger: "simcel", data: logData(message, fields) },
          })
          .catch(() => {
            // the host went away: nothing to tell
          }),
      );
    };
  }
  /** The server's own lines (tool call outcomes): to stderr and to the session. */
  function say(
    extra: HandlerExtra,
    sent: Promise<void>[],
    level: LogLevel,
    message: string,
    fields?: Record<string, unknown>,
  ) {
    logger[level]?.(message, fields);
    sessionSink(extra, sent)(level, message, fields);
  }

  /** Runs `op` with `args`; the outcome's structured result, or a thrown error for the caller to describe. */
  async function run(
    op: Operation,
    args: Record<string, unknown>,
    tenant: Tenant,
    extra: HandlerExtra,
    sent: Promise<void>[],
  ) {
    const { client } = tenant;
    if (!client) throw tenant.setupError;
    const accepted = op.parameters.map((p) => p.name);
    for (const name of Object.keys(args))
      if (!accepted.includes(name))
        throw new CommandInputError(
          name,
          `${name} is not an argument of this tool; ${accepted.length ? `accepted: ${accepted.join(", ")}` : "it takes none"}`,
        );
    const progressToken = extra._meta?.progressToken;
    let done = 0;
    // awaited in order, so the host sees them in order and before the answer
    const progress = async (message: string, total?: number) => {
      if (progressToken === undefined) return;
      done++;
      await extra
        .sendNotification({
          method: "notifications/progress",
          params: { progressToken, progress: done, ...(total !== undefined && { total }), message },
        })
        .catch(() => {});
    };
    const outcome = await op.run(client, args, {
      signal: extra.signal,
      step: async (call, task) => {
        say(extra, sent, "debug", "api call", { tool: op.tool, call });
        const result = await task();
        await progress(`${call} answered`);
        return result;
      },
    });
    const structured = op.structured(outcome);
    await progress("done", done + 1);
    return structured;
  }

  const server = new Server(
    { name: "simcel-mcp", title: "SIMCEL", version },
    {
      capabilities: { tools: { listChanged: false }, resources: {}, logging: {} },
      instructions: INSTRUCTIONS,
    },
  );
  const tools = new Map(OPERATION_LIST.map((op) => [op.tool, op]));

  server.setRequestHandler(SetLevelRequestSchema, async (request) => {
    threshold = request.params.level;
    return {};
  });

  server.setRequestHandler(ListToolsRequestSchema, async (_request, extra) => {
    const scopes = await tenantFor(extra).scopes(extra.signal);
    return { tools: OPERATION_LIST.filter((op) => allowed(scopes, op.scope)).map(toolOf) };
  });

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const { name } = request.params;
    const op = tools.get(name);
    if (!op)
      throw new McpError(ErrorCode.InvalidParams, `Unknown tool ${name}; tools: ${[...tools.keys()].join(", ")}`);
    const tenant = tenantFor(extra);
    const sent: Promise<void>[] = [];
    const release = tenant.acquireCall();
    if (!release) {
      const text = `${name}: ${tenant.maxCallsInFlight} tool calls are already running with this credential, the most it runs at once; retry when one has finished`;
      say(extra, sent, "warn", "tool call", { tool: name, ok: false, kind: "limit", error: text });
      await Promise.all(sent);
      return { isError: true, content: [{ type: "text", text }] };
    }
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    try {
      const structured = await withSessionLog(sessionSink(extra, sent), () =>
        run(op, request.params.arguments ?? {}, tenant, extra, sent),
      );
      const text = redactedJson(structured, tenant.redact);
      say(extra, sent, "info", "tool call", { tool: name, ok: true, ms: ms() });
      await Promise.all(sent);
      return { content: [{ type: "text", text }], structuredContent: JSON.parse(text) };
    } catch (error) {
      const { kind, message } = describeError(error, wordingFor(name, tenant));
      const text = tenant.redact(message);
      say(extra, sent, "warn", "tool call", { tool: name, ok: false, ms: ms(), kind, error: text });
      await Promise.all(sent);
      return { isError: true, content: [{ type: "text", text }] };
    } finally {
      release();
    }
  });

  /** Whether this request's credential may read plans (the resources' scope); unknown counts as yes. */
  const readsPlans = async (extra: HandlerExtra) =>
    allowed(await tenantFor(extra).scopes(extra.signal), OPERATIONS.plans.scope);

  server.setRequestHandler(ListResourcesRequestSchema, async (_request, extra) => ({
    resources: (await readsPlans(extra))
      ? [
          {
            uri: PLANS_URI,
            name: "plans",
            title: "SIMCEL plans and scenarios",
            description: "What list_plans returns: the plans this credential may read, with their scenarios and flags.",
            mimeType: "application/json",
          },
        ]
      : [],
  }));

  server.setRequestHandler(ListResourceTemplatesRequestSchema, async (_request, extra) => ({
    resourceTemplates: (await readsPlans(extra))
      ? [
          {
            uriTemplate: PLAN_URI_TEMPLATE,
            name: "plan",
            title: "One SIMCEL plan",
            description:
              "One plan by its id (from list_plans or simcel://plans): its name, currency and scenarios with their flags (committed, primary, actual, forecast base; none = a what-if).",
            mimeType: "application/json",
          },
        ]
      : [],
  }));

  server.setRequestHandler(ReadResourceRequestSchema, async (request, extra) => {
    const { uri } = request.params;
    const planId = PLAN_URI.exec(uri)?.[1];
    // -32002 is MCP's "resource not found".
    if (uri !== PLANS_URI && planId === undefined)
      throw new McpError(-32002, `Resource not found: ${uri}; resources: ${PLANS_URI}, ${PLAN_URI_TEMPLATE}`);
    const tenant = tenantFor(extra);
    const sent: Promise<void>[] = [];
    // a read calls SIMCEL as a tool call does, so it takes one of the credential's slots too
    const release = tenant.acquireCall();
    if (!release)
      throw new McpError(
        ErrorCode.InternalError,
        `${uri}: ${tenant.maxCallsInFlight} calls are already running with this credential, the most it runs at once; retry when one has finished`,
      );
    try {
      const value = await withSessionLog(sessionSink(extra, sent), async () => {
        if (planId === undefined) return run(OPERATIONS.plans as Operation, {}, tenant, extra, sent);
        if (!tenant.client) throw tenant.setupError;
        return tenant.client.getPlan(decodeURIComponent(planId), { signal: extra.signal });
      });
      await Promise.all(sent);
      return { contents: [{ uri, mimeType: "application/json", text: redactedJson(value, tenant.redact) }] };
    } catch (error) {
      const message = tenant.redact(describeError(error, wordingFor(uri, tenant)).message);
      say(extra, sent, "warn", "resource read", { uri, ok: false, error: message });
      await Promise.all(sent);
      // -32002 is MCP's "resource not found": a plan the credential cannot see is one
      throw new McpError(error instanceof NotFoundError ? -32002 : ErrorCode.InternalError, message);
    } finally {
      release();
    }
  });

  return server;
}
