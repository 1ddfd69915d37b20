// The rig's sandbox in a process of its own, for load: in one process the sandbox and the client under test
// share one event loop, and on a loaded 2-core machine their queues add up to seconds — longer than a 1-second
// token lives. The child runs rig-process-main.ts (TypeScript, through scripts/ts-register.mjs); faults cross
// the IPC channel as data, so only faults without functions (not `echo`) can be set this way.
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { FailOptions, SandboxCounts, SandboxOptions } from "../../packages/sandbox/src/index.js";

export interface RigProcess {
  url: string;
  /** The first plan's id: a plan the data operations can read. */
  planId: string;
  pid: number | undefined;
  fail(options: Exclude<FailOptions, { kind: "echo" }>): Promise<void>;
  counts(): Promise<SandboxCounts>;
  /** Closes the sandbox and waits for the process to exit. */
  close(): Promise<void>;
}

type Reply = { id: number; result?: unknown; error?: string };

/** Starts the rig's sandbox (scripts/test/rig.ts) in a child process; `options` must be plain data. */
export async function startRigProcess(options: Omit<SandboxOptions, "now"> = {}): Promise<RigProcess> {
  const child: ChildProcess = fork(
    fileURLToPath(new URL("./rig-process-main.ts", import.meta.url)),
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
      throw new Error("the rig's sandbox process exited before it listened");
    }),
  ])) as { url: string; planId: string };
  return {
    ...started,
    pid: child.pid,
    fail: async (fault) => {
      await call("fail", fault);
    },
    counts: async () => (await call("counts")) as SandboxCounts,
    async close() {
      await call("close");
      child.disconnect();
      await exited;
    },
  };
}
