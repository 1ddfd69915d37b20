// Starts and stops a throwaway redis-server for tests and benchmarks: a free loopback port, no
// persistence, killed with the process that started it. `.ci/run` installs redis-server when it is missing.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onFreePort, startServerProcess } from "./server-process.mjs";

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
  return onFreePort(options.port, (port) => startRedisOn(port, options));
}

/** @param {number} port @param {Parameters<typeof startRedis>[0]} options */
async function startRedisOn(port, options = {}) {
  // its own working directory: a cluster node writes nodes.conf there, and nothing lands in the repo
  const dir = mkdtempSync(join(tmpdir(), "simcel-redis-"));
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir];
  if (options.cluster) args.push("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf");
  let server;
  try {
    server = await startServerProcess({
      name: "redis-server",
      command: "redis-server",
      args,
      readyText: "Ready to accept connections",
      timeoutMs: options.timeoutMs ?? 15_000,
      stopSignal: "SIGKILL",
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const stop = async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  return { url: `redis://127.0.0.1:${port}`, port, pid: server.pid, stop };
}
