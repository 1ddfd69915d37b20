// A server the tests start as a child process (Prism, redis-server): the one home of starting it, waiting for
// its ready line, draining its output, and stopping it — also when the test process dies first.
import { spawn } from "node:child_process";

/**
 * Starts `command args` and resolves once its output holds `readyText`; rejects with its last output when it
 * exits first or takes longer than `timeoutMs`. `stop()` sends `stopSignal` (SIGTERM; SIGKILL after 3 s) and
 * waits for it to exit; it is killed with this process in any case.
 * @param {{ name: string, command: string, args: string[], cwd?: string, readyText: string, timeoutMs?: number,
 *   stopSignal?: NodeJS.Signals, log?: (line: string) => void }} options
 * @returns {Promise<{ pid: number, startMs: number, output: () => string, stop: () => Promise<void> }>}
 */
export async function startServerProcess(options) {
  const { name, readyText, timeoutMs = 30_000, stopSignal = "SIGTERM" } = options;
  const started = performance.now();
  const child = spawn(options.command, options.args, {
    stdio: ["ignore", "pipe", "pipe"],
    ...(options.cwd && { cwd: options.cwd }),
  });
  const exited = new Promise((done) => child.once("exit", (code, signal) => done({ code, signal })));
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  let output = "";
  const stop = async () => {
    process.removeListener("exit", killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(stopSignal);
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    }
  };

  try {
    await new Promise((ready, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`${name} was not ready within ${timeoutMs} ms:\n${output.slice(-2000)}`)),
        timeoutMs,
      );
      const onData = (chunk) => {
        const text = chunk.toString();
        output += text;
        for (const line of text.split("\n")) if (line.trim()) options.log?.(line);
        if (output.includes(readyText)) {
          clearTimeout(timer);
          ready();
        }
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        fail(new Error(`${name} exited before it was ready (code ${code}, signal ${signal}):\n${output.slice(-2000)}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  // keep draining its output so a chatty server never blocks on a full pipe (the data listener keeps it all)
  child.stdout.resume();
  child.stderr.resume();
  return { pid: child.pid, startMs: Math.round(performance.now() - started), output: () => output, stop };
}
