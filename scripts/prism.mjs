// Starts and stops Prism on spec/openapi.yaml: as a mock, or as a validating proxy in front of a real
// server. The one home of this logic: the vitest globalSetup, `pnpm mock`, the CLI's guided tour and
// `pnpm contract:proxy` all use it.
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, onFreePort, startServerProcess } from "./server-process.mjs";

export { freePort };

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const specPath = resolve(repoRoot, "spec/openapi.yaml");

/** The prism binary: `node_modules/.bin/prism` of the repo (its shim execs node, so the PID is Prism's). */
function prismBin() {
  const bin = resolve(repoRoot, "node_modules/.bin/prism");
  if (!existsSync(bin)) throw new Error(`Prism is not installed (${bin} is missing): run \`pnpm install\` first`);
  return bin;
}

/**
 * Starts Prism on a loopback port and resolves once it listens: `prism mock` of the spec, or with
 * `upstream`, `prism proxy`, which forwards every request to `upstream` and validates both ways against
 * the spec (violations in its log and in each answer's `sl-violations` header). `spec` replaces
 * spec/openapi.yaml (a path). A proxy never gets `--errors` unless asked: it must pass the real answers on.
 * @param {{ port?: number, host?: string, errors?: boolean, upstream?: string, spec?: string, timeoutMs?: number, log?: (line: string) => void }} [options]
 * @returns {Promise<{ url: string, pid: number, startMs: number, output: () => string, stop: () => Promise<void> }>}
 */
export async function startPrism(options = {}) {
  const host = options.host ?? "127.0.0.1";
  return onFreePort(options.port, (port) => startPrismOn(host, port, options), host);
}

/** @param {string} host @param {number} port @param {Parameters<typeof startPrism>[0]} options */
async function startPrismOn(host, port, options) {
  const proxy = options.upstream !== undefined;
  const errors = options.errors ?? !proxy;
  const args = [
    proxy ? "proxy" : "mock",
    "-h",
    host,
    "-p",
    String(port),
    ...(errors ? ["--errors"] : []),
    options.spec ?? specPath,
    ...(proxy ? [options.upstream] : []),
  ];
  const server = await startServerProcess({
    name: "Prism",
    command: prismBin(),
    args,
    cwd: repoRoot,
    readyText: "Prism is listening on",
    // ≈ 2 s on a quiet machine; a new machine's first start (cold disk) beside a build took over 30 s
    timeoutMs: options.timeoutMs ?? 90_000,
    ...(options.log && { log: options.log }),
  });
  return { url: `http://${host}:${port}`, ...server };
}
