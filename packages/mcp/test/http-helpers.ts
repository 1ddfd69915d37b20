// Test-side helpers for simcel-mcp over Streamable HTTP: the built server as a real process (`--http --port
// 0`, its URL read from the one line it prints), and the MCP SDK's own client over
// StreamableHTTPClientTransport with the bearer in `requestInit.headers.Authorization`, as hosts configure it.
import { type ChildProcess, spawn } from "node:child_process";
import { request } from "node:http";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { serverPath } from "./helpers.js";

/** A running `simcel-mcp --http`. */
export interface HttpProcess {
  url: string;
  child: ChildProcess;
  stderr(): string;
  /** Resolves with the exit code and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/** Starts the built server with `--http --port 0` (and `args`) and only `env` (plus PATH); resolves once it listens. */
export async function startHttpProcess(env: Record<string, string>, args: string[] = []): Promise<HttpProcess> {
  const child = spawn(process.execPath, [serverPath, "--http", "--port", "0", ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once("exit", (code, signal) => done({ code, signal })),
  );
  const url = await new Promise<string>((listening, failed) => {
    const timer = setTimeout(
      () => failed(new Error(`simcel-mcp --http did not listen within 10 s:\n${stderr}`)),
      10_000,
    );
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      const match = /^simcel-mcp: listening on (http:\/\/\S+)$/m.exec(stderr);
      if (match) {
        clearTimeout(timer);
        listening(match[1] as string);
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      failed(new Error(`simcel-mcp --http exited (code ${code}) before listening:\n${stderr}`));
    });
  });
  child.stdout.resume();
  return {
    url,
    child,
    stderr: () => stderr,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Options of {@link connectHttp}. */
export interface HttpConnectOptions {
  /** Sent as `Authorization: Bearer <bearer>`. */
  bearer?: string;
  /** More headers on every request. */
  headers?: Record<string, string>;
}

/** An SDK client connected to `url` over Streamable HTTP. */
export async function connectHttp(url: string, options: HttpConnectOptions = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.bearer !== undefined) headers.Authorization = `Bearer ${options.bearer}`;
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  const client = new Client({ name: "simcel-mcp-http-test", version: "0.0.0" });
  await client.connect(transport);
  return { client, transport, close: () => client.close() };
}

/** A raw MCP POST (an initialize by default), as a browser or a curl would send it. */
export async function rawPost(url: string, headers: Record<string, string> = {}, body?: unknown) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
    body: JSON.stringify(
      body ?? {
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "0" } },
      },
    ),
  });
  const text = await response.text();
  return { status: response.status, headers: Object.fromEntries(response.headers), text };
}

/** An initialize POST through node:http, which (unlike fetch) sends the Host header given: a rebinding attempt, a proxy. */
export function postWithHeaders(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const body = JSON.stringify({
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "0" } },
  });
  return new Promise((done, failed) => {
    const req = request(
      url,
      {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
      },
      (res) => {
        let text = "";
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () => done({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", failed);
    req.end(body);
  });
}
