// The answer size cap of the built `simcel-mcp`, set by --max-result-bytes or SIMCEL_MCP_MAX_RESULT_BYTES (the flag
// wins), against a sandbox on loopback; a cap that is not a number of bytes stops the server with a usage error.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../../packages/sandbox/src/index.js";
import { runProcess, serverPath, textOf } from "./helpers.js";

const KEY = "sk_test_FAKE_result_cap_000000000";
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({});
  sandbox.createApiKey({ key: KEY });
});
afterAll(async () => {
  await sandbox?.close();
});

/** The size of get_pnl_summary by month on the sandbox's first plan, and whether it was cut, with `args` and `env`. */
async function pnlSize(args: string[], env: Record<string, string> = {}) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [serverPath, ...args],
    env: { PATH: process.env.PATH ?? "", SIMCEL_API_KEY: KEY, SIMCEL_BASE_URL: sandbox.url, ...env },
    stderr: "ignore",
  });
  const client = new Client({ name: "simcel-mcp-test", version: "0.0.0" });
  await client.connect(transport);
  try {
    const result = await client.callTool({
      name: "get_pnl_summary",
      arguments: { planId: sandbox.plans[0]?.id, interval: "M" },
    });
    const structured = (result.structuredContent ?? {}) as Record<string, unknown>;
    return { bytes: Buffer.byteLength(textOf(result as { content?: unknown })), truncated: "truncated" in structured };
  } finally {
    await client.close();
  }
}

describe("simcel-mcp --max-result-bytes", () => {
  it("the default cap leaves a monthly P&L whole; the flag or the environment cuts it to their cap, the flag first", async () => {
    const whole = await pnlSize([]);
    expect(whole.truncated).toBe(false);
    expect(whole.bytes).toBeGreaterThan(20_000);
    const flag = await pnlSize(["--max-result-bytes", "20000"], { SIMCEL_MCP_MAX_RESULT_BYTES: "1000000" });
    expect(flag).toMatchObject({ truncated: true });
    expect(flag.bytes).toBeLessThanOrEqual(20_000);
    const env = await pnlSize([], { SIMCEL_MCP_MAX_RESULT_BYTES: "12000" });
    expect(env).toMatchObject({ truncated: true });
    expect(env.bytes).toBeLessThanOrEqual(12_000);
  });

  it("a cap that is not a whole number of bytes, or too small for an answer, is a usage error naming its source", async () => {
    const env = { PATH: process.env.PATH ?? "" };
    const flag = await runProcess(process.execPath, [serverPath, "--max-result-bytes", "100kB"], env);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(
      /^simcel-mcp: --max-result-bytes must be a whole number of bytes, 8000 or more \(got "100kB"\)/,
    );
    const small = await runProcess(process.execPath, [serverPath], { ...env, SIMCEL_MCP_MAX_RESULT_BYTES: "10" });
    expect(small.code).toBe(2);
    expect(small.stderr).toMatch(/^simcel-mcp: SIMCEL_MCP_MAX_RESULT_BYTES must be a whole number of bytes/);
  });
});
