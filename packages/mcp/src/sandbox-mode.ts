// `simcel-mcp --sandbox` (stdio or --http): the server answers from a SIMCEL sandbox started in this process
// (@simcel/sandbox, seed 1) with a key of its own, so a person can try every tool without an account. Loaded by
// import() only then: no other start pays for it. The person's own SIMCEL_* settings (credentials, base URL,
// token store) are left out, so nothing of a real account reaches the sandbox, and no sandbox token lands in
// a shared token store. SIMCEL_LOG and SIMCEL_MCP_BEARER (which guards the HTTP edge, not an account) are kept.

/** A started sandbox and the environment that points the server at it. */
export interface McpSandbox {
  /** The environment to build the server from: the sandbox's URL and key, SIMCEL_LOG and SIMCEL_MCP_BEARER, no other SIMCEL_*. */
  env: Record<string, string | undefined>;
  /** The sandbox's URL (loopback). */
  url: string;
  close(): Promise<void>;
}

/** The line printed on stderr when the sandbox is on, so no one mistakes its figures for their own. */
export const SANDBOX_NOTE = "note: --sandbox: a local SIMCEL sandbox with invented data (seed 1), not your account";

const ON = ["1", "true", "on", "yes"];
const OFF = ["", "0", "false", "off", "no"];

/**
 * Whether this start asked for the sandbox: `--sandbox`, or SIMCEL_SANDBOX on (as for `simcel`; a bundle's
 * settings can set a variable, not a flag). Throws a message naming the variable when it is neither on nor off.
 */
export function wantsSandbox(flag: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  const value = env.SIMCEL_SANDBOX?.trim().toLowerCase() ?? "";
  if (!ON.includes(value) && !OFF.includes(value))
    throw new Error(`SIMCEL_SANDBOX must be 1 (use the sandbox) or 0, got "${env.SIMCEL_SANDBOX}"`);
  return flag || ON.includes(value);
}

/** The SIMCEL_* settings that are about this server, not about an account. */
const KEPT = ["SIMCEL_LOG", "SIMCEL_MCP_BEARER"];

/** Starts the sandbox and returns the environment that points the server at it. */
export async function startMcpSandbox(env: Readonly<Record<string, string | undefined>>): Promise<McpSandbox> {
  const { startSandbox } = await import("@simcel/sandbox");
  const sandbox = await startSandbox({ seed: 1 });
  const kept = Object.entries(env).filter(([name]) => !name.startsWith("SIMCEL_") || KEPT.includes(name));
  return {
    env: {
      ...Object.fromEntries(kept),
      SIMCEL_BASE_URL: sandbox.url,
      SIMCEL_API_KEY: sandbox.createApiKey({ scopes: ["insights:read", "plans:read"] }),
    },
    url: sandbox.url,
    close: () => sandbox.close(),
  };
}
