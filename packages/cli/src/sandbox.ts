// `simcel --sandbox` (or SIMCEL_SANDBOX=1): the command runs against a SIMCEL sandbox started in this process
// (@simcel/sandbox, seed 1) with a key of its own, and stops it when the command ends. Loaded by import() only
// then, so no other run pays for it. The user's own SIMCEL_* credentials are left out: nothing of a real account
// reaches the sandbox, and no sandbox token lands in the user's token cache.
import { UsageError } from "./errors.js";

/** A started sandbox and the environment that points the command at it. */
export interface CliSandbox {
  env: Record<string, string | undefined>;
  close(): Promise<void>;
}

const ON = ["1", "true", "on", "yes"];
const OFF = ["", "0", "false", "off", "no"];

/** Whether this run asked for the sandbox: `--sandbox`, or SIMCEL_SANDBOX on. */
export function wantsSandbox(flag: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  const value = env.SIMCEL_SANDBOX?.trim().toLowerCase() ?? "";
  if (!ON.includes(value) && !OFF.includes(value))
    throw new UsageError(`simcel: SIMCEL_SANDBOX must be 1 (use the sandbox) or 0, got "${env.SIMCEL_SANDBOX}"`);
  return flag || ON.includes(value);
}

/** Starts the sandbox; the returned environment holds its URL and key, the user's SIMCEL_LOG, nothing else of SIMCEL_*. */
export async function startCliSandbox(env: Readonly<Record<string, string | undefined>>): Promise<CliSandbox> {
  const { startSandbox } = await import("@simcel/sandbox");
  const sandbox = await startSandbox({ seed: 1 });
  const kept = Object.entries(env).filter(([name]) => !name.startsWith("SIMCEL_") || name === "SIMCEL_LOG");
  return {
    env: {
      ...Object.fromEntries(kept),
      SIMCEL_BASE_URL: sandbox.url,
      SIMCEL_API_KEY: sandbox.createApiKey({ scopes: ["insights:read", "plans:read"] }),
      SIMCEL_TOKEN_CACHE: "off",
    },
    close: () => sandbox.close(),
  };
}
