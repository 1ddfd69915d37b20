// A server the tests start as a child process (Prism, redis-server): the one home of starting it, waiting for
// its ready line, draining its output, and stopping it — also when the test process dies first.
import { spawn } from "node:child_process";
import { createServer } from "node:net";

/** A free TCP port on `host`, chosen by the kernel. */
export function freePort(host = "127.0.0.1") {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Runs `start(port)` on `port`, or on a free port of `host`: a free port is picked, closed, then handed to the
 * server, so another process can take it in between (seen with four test files starting servers at once). A server
 * that then fails with "address already in use" is started again on another free port, three times at most.
 * @template T
 * @param {number | undefined} port
 * @param {(port: number) => Promise<T>} start
 * @param {string} [host]
 * @returns {Promise<T>}
 */
export async function onFreePort(port, start, host = "127.0.0.1") {
  if (port !== undefined) return start(port);
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await freePort(host));
    } catch (error) {
      if (attempt >= 3 || !/EADDRINUSE|address already in use/i.test(String(error?.message))) throw error;
    }
  }
}

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
