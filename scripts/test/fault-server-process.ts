// The fault server in a process of its own, for load: in one process the server and the client under test share
// one event loop, and on a loaded 2-core machine their queues add up to seconds — longer than a 1-second token
// lives. The child runs fault-server-main.ts (TypeScript, through scripts/ts-register.mjs); faults cross the
// IPC channel as data, so only faults without functions (not `echo`) can be injected this way.
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Fault, FaultMode, FaultServerOptions, FaultServerStats, RouteSelector } from "./fault-server.js";

export interface FaultServerProcess {
  url: string;
  secrets: { apiKey: string; clientId: string; clientSecret: string };
  pid: number | undefined;
  inject(selector: RouteSelector, fault: Exclude<Fault, { kind: "echo" }>, mode?: FaultMode): Promise<void>;
  stats(): Promise<FaultServerStats>;
  /** Closes the server and waits for the process to exit. */
  close(): Promise<void>;
}

type Reply = { id: number; result?: unknown; error?: string };

export async function startFaultServerProcess(options: FaultServerOptions = {}): Promise<FaultServerProcess> {
  const child: ChildProcess = fork(
    fileURLToPath(new URL("./fault-server-main.ts", import.meta.url)),
    [JSON.stringify(options)],
    {
      // not the parent's flags (vitest's): only the TypeScript hooks
      execArgv: ["--import", fileURLToPath(new URL("../ts-register.mjs", import.meta.url))],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let next = 0;
  const waiting = new Map<number, (reply: Reply) => void>();
  child.on("message", (message) => {
    const reply = message as Reply;
    waiting.get(reply.id)?.(reply);
    waiting.delete(reply.id);
  });
  const call = (op: string, ...args: unknown[]) =>
    new Promise<unknown>((resolve, reject) => {
      const id = ++next;
      waiting.set(id, (reply) => (reply.error ? reject(new Error(reply.error)) : resolve(reply.result)));
      child.send({ id, op, args });
    });
  const started = (await Promise.race([
    call("info"),
    exited.then(() => {
      throw new Error("the fault server process exited before it listened");
    }),
  ])) as { url: string; secrets: FaultServerProcess["secrets"] };
  return {
    ...started,
    pid: child.pid,
    inject: async (selector, fault, mode) => {
      await call("inject", selector, fault, mode);
    },
    stats: async () => (await call("stats")) as FaultServerStats,
    async close() {
      await call("close");
      child.disconnect();
      await exited;
    },
  };
}
