// Test-side helpers: the built server as a real stdio process driven by the SDK's own client, and a
// loopback proxy in front of the mock that counts requests and makes it answer what Prism never
// answers by itself (401, 403, 404, 429 with Retry-After).
import { spawn } from "node:child_process";
import { createServer, request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

/** The built executable (run `pnpm build` first). */
export const serverPath = fileURLToPath(new URL("../dist/bin.js", import.meta.url));

/** How a process ended, and what it wrote: each stream, and both as they came (`output`). */
export interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
  output: string;
}

/**
 * Runs `command args` with only `env` in its environment (never the developer's SIMCEL_*) and stdin closed, and
 * resolves once it has exited and its output is read.
 */
export function runProcess(command: string, args: string[], env: Record<string, string>): Promise<ProcessRun> {
  return new Promise((done) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    const run: ProcessRun = { code: null, stdout: "", stderr: "", output: "" };
    child.stdout.on("data", (chunk) => {
      run.stdout += chunk;
      run.output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      run.stderr += chunk;
      run.output += chunk;
    });
    child.once("close", (code) => done({ ...run, code }));
  });
}

/** Test secrets carry the marker FAKE; the suite checks no output holds one. */
export const FAKE_KEY = "sk_test_FAKE_mcp_do_not_use";

/** A connected SDK client and everything the server wrote to stderr. */
export interface Connection {
  client: Client;
  stderr(): string;
  pid: number | null;
  close(): Promise<void>;
}

/** Starts the server with only `env` (plus PATH: never the developer's SIMCEL_*) and `args`, connected over stdio. */
export async function connect(env: Record<string, string>, args: string[] = []): Promise<Connection> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [serverPath, ...args],
    env: { PATH: process.env.PATH ?? "", ...env },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const client = new Client({ name: "simcel-mcp-test", version: "0.0.0" });
  await client.connect(transport);
  return {
    client,
    stderr: () => stderr,
    pid: transport.pid,
    close: () => client.close(),
  };
}

/** A tools/call result, as the SDK's client returns it for these tools. */
export interface ToolResult {
  isError?: boolean;
  content: Array<{ type: string; text: string }>;
  structuredContent?: Record<string, unknown>;
}

/** Calls the tool `name` with `args` on the connected server. */
export const callTool = (on: Connection, name: string, args: Record<string, unknown> = {}) =>
  on.client.callTool({ name, arguments: args }) as Promise<ToolResult>;

/** The text of a tool result's first content block. */
export const textOf = (result: { content?: unknown }) =>
  ((result.content as Array<{ type: string; text?: string }> | undefined)?.[0]?.text ?? "") as string;

/** What the proxy saw. */
export interface LoopbackProxy {
  url: string;
  /** Token requests (`POST /auth/v1/token` or `/oauth/v1/token`). */
  tokenRequests: number;
  /** Insights API requests. */
  apiRequests: number;
  close(): Promise<void>;
}

/**
 * A loopback proxy to `target` (http or https, with its base path). A path prefix `/code-NNN` adds
 * Prism's `Prefer: code=NNN` to insights calls (never to the token exchange); a 429 gets
 * `Retry-After: retryAfterSeconds`.
 */
export async function startProxy(target: string, retryAfterSeconds = 7): Promise<LoopbackProxy> {
  const state = { tokenRequests: 0, apiRequests: 0 };
  const server = createServer((req, res) => {
    const match = /^\/code-(\d{3})(\/.*)$/.exec(req.url ?? "");
    const path = match ? match[2]! : (req.url ?? "/");
    const headers = { ...req.headers };
    if (/^\/(auth|oauth)\/v1\/token/.test(path)) state.tokenRequests++;
    if (path.startsWith("/insights/")) {
      state.apiRequests++;
      if (match) headers.prefer = `code=${match[1]}`;
    }
    // the target's own path (a live base URL such as https://app.simcel.io/api) comes first
    const url = new URL(`${new URL(target).pathname.replace(/\/$/, "")}${path}`, target);
    const request = url.protocol === "https:" ? httpsRequest : httpRequest;
    const upstream = request(url, { method: req.method, headers: { ...headers, host: url.host } }, (up) => {
      const out = { ...up.headers };
      if (up.statusCode === 429) out["retry-after"] = String(retryAfterSeconds);
      res.writeHead(up.statusCode ?? 502, out);
      up.pipe(res);
    });
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get tokenRequests() {
      return state.tokenRequests;
    },
    get apiRequests() {
      return state.apiRequests;
    },
    close: () =>
      new Promise<void>((closed) => {
        server.close(() => closed());
        server.closeAllConnections();
      }),
  };
}
