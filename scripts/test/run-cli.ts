// The built `simcel` run as a real process, as a user's shell runs it: the one runner of the tests that spawn it.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The built executable (run `pnpm build` first). */
export const cliPath = fileURLToPath(new URL("../../packages/cli/dist/cli.js", import.meta.url));

/** A process that has not exited by then is kept alive by something: a hang or a leaked handle. */
export const EXIT_LIMIT_MS = 20_000;

/** How one run of `simcel` ended, and all it wrote. */
export interface CliRun {
  exit: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs the built CLI with `args` and only PATH, NO_COLOR=1 and `env` in its environment: never the developer's
 * SIMCEL_*. It is killed after EXIT_LIMIT_MS.
 */
export function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cliPath, ...args], {
      env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), EXIT_LIMIT_MS);
    child.on("error", reject);
    child.on("close", (exit, signal) => {
      clearTimeout(timer);
      resolve({ exit, signal, stdout, stderr, ms: performance.now() - started });
    });
  });
}
