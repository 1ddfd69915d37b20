#!/usr/bin/env node
// The `simcel-mcp` executable: the SIMCEL MCP server on stdio (the default), or with --http on MCP
// Streamable HTTP. On stdio, stdout carries JSON-RPC frames and nothing else; every other line (logs,
// warnings) goes to stderr, redacted. Over HTTP, stderr says where it listens, in one line.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { redactSecrets } from "@simcel/auth";
import { classifyError, createLineLogger, EXIT_CODES, type Logger, safeText } from "@simcel/commands";
import { SimcelMcpConfigError, type SimcelMcpHttpServer, startSimcelMcpHttpServer } from "./http.js";
import { createBridgedLogger } from "./log-bridge.js";
import { MAX_RESULT_BYTES_ENV, parseMaxResultBytes } from "./result-size.js";
import { type McpSandbox, SANDBOX_NOTE, startMcpSandbox, wantsSandbox } from "./sandbox-mode.js";
import { createSimcelMcpServer } from "./server.js";
import { startTelemetry, TelemetryConfigError } from "./telemetry.js";
import { createEnvTenant } from "./tenant.js";
import { openTokenStore } from "./token-store.js";

const version: string = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version;

const help = `simcel-mcp ${version} — the SIMCEL MCP server: read-only tools over plans, P&L, demand, CO2

  simcel-mcp                       stdio, started by an MCP host (the default)
  simcel-mcp --http [options]      MCP Streamable HTTP at http://HOST:PORT/mcp
  simcel-mcp --sandbox [--http]    either, answering from a local SIMCEL sandbox with invented data (no account)

Options:
  --max-result-bytes N        size cap of a tool answer, in bytes (default 100000; or ${MAX_RESULT_BYTES_ENV}):
                              a larger answer comes back cut, marked truncated, saying how to ask for less

HTTP options:
  --host HOST                 interface to listen on (default 127.0.0.1)
  --port PORT                 port (default 8808; 0 takes a free one)
  --allowed-hosts H1,H2       Host names clients may use (required off loopback; loopback names always pass on loopback)
  --allowed-origins O1,O2     browser origins allowed to call (loopback origins always pass on loopback)
  --max-calls-per-key N       tool calls one credential may run at once (default 8)
  --max-sessions-per-key N    sessions one credential may hold open (default 100)
  --session-idle-timeout S    close a session idle for S seconds (default 1800)
  --public-url URL            with OAuth on: the origin hosts reach (https://mcp.example.com); required off loopback
  --stateless                 no sessions: any replica behind a balancer answers any request

Credentials: SIMCEL_API_KEY, or SIMCEL_CLIENT_ID + SIMCEL_CLIENT_SECRET [+ SIMCEL_SCOPES], or SIMCEL_TOKEN;
SIMCEL_BASE_URL (default https://app.simcel.io/api); SIMCEL_LOG=debug|info|warn|error; SIMCEL_TOKEN_STORE
(redis://… or a directory) shares tokens between processes.
Over HTTP, with no credential in the environment each client sends its own SIMCEL API key as
Authorization: Bearer (multi-tenant); with one, the server uses it for every client (single-tenant), and off
loopback clients must send SIMCEL_MCP_BEARER. Grant keys the scopes insights:read and plans:read, never admin.
With --sandbox (or SIMCEL_SANDBOX=1) no credential is needed: the SIMCEL_* settings of an account are ignored, and every answer is
invented (seed 1).

SIMCEL_MCP_SECRET (32+ random characters) turns on OAuth in multi-tenant mode: hosts that only speak the MCP
authorization spec sign in on this server's page with a SIMCEL credential (kept sealed in SIMCEL_TOKEN_STORE).
`;

/** A start-up failure, with the exit code of its class (the CLI's: 2 usage, 4 authentication, 75 temporary, …). */
function usage(message: string, exitCode: number = EXIT_CODES.usage): never {
  process.stderr.write(`simcel-mcp: ${message}\n\n${help}`);
  process.exit(exitCode);
}

let parsed: ReturnType<typeof parseCommandLine>;
function parseCommandLine() {
  return parseArgs({
    args: process.argv.slice(2),
    strict: true,
    allowPositionals: false,
    options: {
      http: { type: "boolean" },
      sandbox: { type: "boolean" },
      host: { type: "string" },
      port: { type: "string" },
      "allowed-hosts": { type: "string" },
      "allowed-origins": { type: "string" },
      "max-calls-per-key": { type: "string" },
      "max-sessions-per-key": { type: "string" },
      "session-idle-timeout": { type: "string" },
      "public-url": { type: "string" },
      stateless: { type: "boolean" },
      "max-result-bytes": { type: "string" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "V" },
    },
  }).values;
}
try {
  parsed = parseCommandLine();
} catch (error) {
  usage((error as Error).message.replace(/^Unknown option/, "unknown option"));
}
if (parsed.version) {
  process.stdout.write(`${version}\n`);
  process.exit(0);
}
if (parsed.help) {
  process.stdout.write(help);
  process.exit(0);
}
const httpOnly = [
  "host",
  "port",
  "allowed-hosts",
  "allowed-origins",
  "max-calls-per-key",
  "max-sessions-per-key",
  "session-idle-timeout",
  "public-url",
  "stateless",
] as const;
if (!parsed.http) for (const name of httpOnly) if (parsed[name] !== undefined) usage(`--${name} needs --http`);

/** A whole number flag, or a usage error naming it. */
function integer(name: Exclude<(typeof httpOnly)[number], "stateless">, min: number): number | undefined {
  const value = parsed[name];
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min)
    usage(`--${name} must be a whole number, ${min} or more (got "${value}")`);
  return Number(value);
}
const list = (value: string | undefined) =>
  value
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** The answer size cap: the flag, else the environment, else the default. */
const capSetting = parsed["max-result-bytes"] ?? process.env[MAX_RESULT_BYTES_ENV];
const capSource = parsed["max-result-bytes"] === undefined ? MAX_RESULT_BYTES_ENV : "--max-result-bytes";
const maxResultBytes = capSetting === undefined ? undefined : parseMaxResultBytes(capSetting, capSource);
if (typeof maxResultBytes === "string") usage(maxResultBytes);

const stderr = (line: string) => {
  process.stderr.write(line);
};
// A stray console.log anywhere (a dependency, say) would corrupt the stdio protocol: send all console output to
// stderr, redacted, then shown through safeText — stderr reaches a person's terminal, and such a line may quote the API.
for (const method of ["log", "info", "debug", "warn", "error", "trace"] as const)
  console[method] = (...args: unknown[]) => stderr(`${safeText(redactSecrets(args.map(String).join(" ")))}\n`);

const { logger, warning } = createLineLogger({
  level: process.env.SIMCEL_LOG,
  debug: process.env.DEBUG,
  write: stderr,
  name: "simcel-mcp",
  redact: redactSecrets,
});
if (warning) stderr(`${redactSecrets(warning)}\n`);

// Nothing a request does may end the server: log it and go on.
process.on("unhandledRejection", (reason) => logger.error?.("unhandled rejection", { reason }));
process.on("uncaughtException", (error) => logger.error?.("uncaught exception", { error }));

let closing = false;
async function shutdown(why: string) {
  if (closing) return;
  closing = true;
  logger.info?.("shutting down", { why });
  // whatever hangs, the process is gone within 5 s of the signal, as an orchestrator expects
  setTimeout(() => process.exit(0), 4500).unref();
  await closeServer?.().catch((error: unknown) => logger.error?.("close failed", { error }));
  await store?.close().catch(() => {});
  await telemetry?.shutdown().catch((error: unknown) => logger.warn?.("trace export failed", { error }));
  await sandbox?.close().catch(() => {});
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

let closeServer: (() => Promise<void>) | undefined;
const telemetry = await startTelemetry(process.env, { version, logger }).catch((error: unknown) =>
  error instanceof TelemetryConfigError ? usage(error.message) : Promise.reject(error),
);
if (telemetry) logger.info?.("tracing", { endpoint: telemetry.endpoint });
let sandbox: McpSandbox | undefined;
let sandboxed = false;
try {
  sandboxed = wantsSandbox(parsed.sandbox === true, process.env);
} catch (error) {
  usage((error as Error).message);
}
if (sandboxed) {
  sandbox = await startMcpSandbox(process.env);
  stderr(`${SANDBOX_NOTE}\n`);
}
/** The environment the server is built from: the process's, or the sandbox's. */
const env = sandbox?.env ?? process.env;
let store: Awaited<ReturnType<typeof openTokenStore>>;
try {
  store = await openTokenStore(env.SIMCEL_TOKEN_STORE);
  if (store) logger.info?.("token store", { store: store.description });
} catch (error) {
  usage(`SIMCEL_TOKEN_STORE: ${redactSecrets((error as Error).message)}`);
}

if (parsed.http) {
  const port = integer("port", 0);
  const maxCallsPerKey = integer("max-calls-per-key", 1);
  const idleSeconds = integer("session-idle-timeout", 1);
  let http: SimcelMcpHttpServer;
  try {
    http = await startSimcelMcpHttpServer({
      env,
      version,
      logger: logger as Logger,
      host: parsed.host,
      port,
      allowedHosts: list(parsed["allowed-hosts"]),
      allowedOrigins: list(parsed["allowed-origins"]),
      maxCallsPerKey,
      maxSessionsPerKey: integer("max-sessions-per-key", 1),
      sessionIdleMs: idleSeconds === undefined ? undefined : idleSeconds * 1000,
      store: store?.store,
      publicUrl: parsed["public-url"],
      stateless: parsed.stateless,
      maxResultBytes,
    });
  } catch (error) {
    if (error instanceof SimcelMcpConfigError)
      usage(
        redactSecrets(error.message.replace(/^\[@simcel\/mcp\] /, "")),
        // a bad setting is usage; a missing or broken credential, authentication
        error.cause === undefined ? EXIT_CODES.usage : classifyError(error.cause).exitCode,
      );
    const code = (error as { code?: string }).code;
    // a port in use may be free in a moment (a previous server still closing): temporary, as a supervisor retries
    if (code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL")
      usage(
        `cannot listen on ${parsed.host ?? "127.0.0.1"}:${port ?? 8808} (${code}); pick another --host or --port`,
        code === "EADDRINUSE" ? EXIT_CODES.temporary : EXIT_CODES.usage,
      );
    throw error;
  }
  stderr(`simcel-mcp: listening on ${http.url}\n`);
  if (http.publicUrl) stderr(`simcel-mcp: OAuth on; hosts connect to ${http.publicUrl}\n`);
  logger.info?.("ready", { version, pid: process.pid, mode: http.mode });
  closeServer = () => http.close();
} else {
  const tenant = createEnvTenant(env, { logger: createBridgedLogger(logger), store: store?.store });
  if (tenant.setupError)
    logger.warn?.("no usable credential: every tool call will say what to set", {
      error: redactSecrets(String((tenant.setupError as Error).message)),
    });
  const server = createSimcelMcpServer({ version, logger, maxResultBytes, tenantFor: () => tenant });
  // The host ends the session by closing stdin (or by a signal).
  process.stdin.on("end", () => void shutdown("stdin closed"));
  await server.connect(new StdioServerTransport());
  logger.info?.("ready", { version, pid: process.pid });
  closeServer = async () => {
    await server.close();
    await tenant.close();
  };
}
