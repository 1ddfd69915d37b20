#!/usr/bin/env node
// The `simcel-mcp` executable: the SIMCEL MCP server on stdio. stdout carries JSON-RPC frames and
// nothing else; every other line (logs, warnings) goes to stderr, redacted.
import { readFileSync } from "node:fs";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { redactSecrets } from "@simcel/auth";
import { createLineLogger, safeText } from "@simcel/commands";
import { createSimcelMcpServer } from "./server.js";

const version: string = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version;

// A person trying the command by hand gets an answer instead of a silent server waiting on stdin.
const args = process.argv.slice(2);
if (args.includes("--version") || args.includes("-V")) {
  process.stdout.write(`${version}\n`);
  process.exit(0);
}
if (args.length > 0) {
  const help = `simcel-mcp ${version} — the SIMCEL MCP server (stdio): read-only tools over plans, P&L, demand, CO2

It is started by an MCP host, not by hand: register it with command "simcel-mcp" (or "npx -y @simcel/mcp")
and credentials in its env: SIMCEL_API_KEY, or SIMCEL_CLIENT_ID + SIMCEL_CLIENT_SECRET [+ SIMCEL_SCOPES],
or SIMCEL_TOKEN; SIMCEL_BASE_URL (default https://app.simcel.io/api); SIMCEL_LOG=debug|info|warn|error.
Grant the key the scopes insights:read and plans:read, never admin.
`;
  const asked = args.includes("--help") || args.includes("-h");
  (asked ? process.stdout : process.stderr).write(asked ? help : `simcel-mcp: takes no arguments\n\n${help}`);
  process.exit(asked ? 0 : 2);
}

const stderr = (line: string) => {
  process.stderr.write(line);
};
// A stray console.log anywhere (a dependency, say) would corrupt the protocol: send all console output to stderr,
// redacted, then shown through safeText — stderr reaches a person's terminal, and such a line may quote the API.
for (const method of ["log", "info", "debug", "warn", "error", "trace"] as const)
  console[method] = (...args: unknown[]) => stderr(`${safeText(redactSecrets(args.map(String).join(" ")))}\n`);

const { logger, warning } = createLineLogger({
  level: process.env.SIMCEL_LOG,
  write: stderr,
  name: "simcel-mcp",
  redact: redactSecrets,
});
if (warning) stderr(`${redactSecrets(warning)}\n`);

// Nothing a request does may end the server: log it and go on.
process.on("unhandledRejection", (reason) => logger.error?.("unhandled rejection", { reason }));
process.on("uncaughtException", (error) => logger.error?.("uncaught exception", { error }));

const { server, close } = createSimcelMcpServer({ env: process.env, version, logger });

let closing = false;
async function shutdown(why: string) {
  if (closing) return;
  closing = true;
  logger.info?.("shutting down", { why });
  await close().catch((error: unknown) => logger.error?.("close failed", { error }));
  process.exit(0);
}
// The host ends the session by closing stdin (or by a signal).
process.stdin.on("end", () => void shutdown("stdin closed"));
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

await server.connect(new StdioServerTransport());
logger.info?.("ready", { version, pid: process.pid });
