// Starts and stops a throwaway redis-server for tests and benchmarks: a free loopback port, no
// persistence, killed with the process that started it. `.ci/run` installs redis-server when it is missing.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./prism.mjs";

/** Whether `redis-server` can be run here. */
export function hasRedisServer() {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

/**
 * Starts `redis-server` on loopback (a free port unless `port` is given) and resolves once it accepts
 * connections. `cluster: true` starts it as a one-node Redis Cluster (its slots still to be assigned).
 * @param {{ port?: number, timeoutMs?: number, cluster?: boolean }} [options]
 * @returns {Promise<{ url: string, port: number, pid: number, stop: () => Promise<void> }>}
 */
export async function startRedis(options = {}) {
  if (!hasRedisServer())
    throw new Error("redis-server is not installed: run `apt-get install -y redis-server` (.ci/run does it)");
  const port = options.port ?? (await freePort());
  // its own working directory: a cluster node writes nodes.conf there, and nothing lands in the repo
  const dir = mkdtempSync(join(tmpdir(), "simcel-redis-"));
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir];
  if (options.cluster) args.push("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf");
  const child = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise((done) => child.once("exit", (code, signal) => done({ code, signal })));
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const stop = async () => {
    process.removeListener("exit", killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  let output = "";
  try {
    await new Promise((ready, fail) => {
      const timeoutMs = options.timeoutMs ?? 15_000;
      const timer = setTimeout(
        () => fail(new Error(`redis-server did not start within ${timeoutMs} ms:\n${output}`)),
        timeoutMs,
      );
      const onData = (chunk) => {
        output += chunk;
        if (output.includes("Ready to accept connections")) {
          clearTimeout(timer);
          ready();
        }
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        fail(
          new Error(
            `redis-server exited before it was ready (code ${code}, signal ${signal}):\n${output.slice(-2000)}`,
          ),
        );
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  child.stdout.resume();
  child.stderr.resume();
  return { url: `redis://127.0.0.1:${port}`, port, pid: child.pid, stop };
}
