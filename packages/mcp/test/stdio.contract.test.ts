// The server spawned by hand, its stdio read raw: stdout must carry JSON-RPC frames and nothing else
// (logs on, bad input, a line that is not JSON, a malformed request), and nothing ends the process
// but the host closing stdin.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { credentialEnv, liveSecrets } from "../../../scripts/test/contract-env.js";
import { FAKE_KEY, runProcess, serverPath } from "./helpers.js";

describe("simcel-mcp on raw stdio", () => {
  it("stdout holds only JSON-RPC frames; logs go to stderr; bad input never ends the process", async () => {
    const child = spawn(process.execPath, [serverPath], {
      env: { PATH: process.env.PATH ?? "", ...credentialEnv(FAKE_KEY), SIMCEL_LOG: "debug" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const lines: string[] = [];
    const answers = new Map<number, Record<string, unknown>>();
    const waiting = new Map<number, () => void>();
    createInterface({ input: child.stdout }).on("line", (line) => {
      lines.push(line);
      try {
        const frame = JSON.parse(line);
        if (typeof frame.id === "number") {
          answers.set(frame.id, frame);
          waiting.get(frame.id)?.();
        }
      } catch {
        // kept in `lines`: the assertion below reports it
      }
    });
    const send = (text: string) => child.stdin.write(`${text}\n`);
    const request = (id: number, method: string, params: unknown = {}) => {
      const answered = new Promise<void>((done) => waiting.set(id, done));
      send(JSON.stringify({ jsonrpc: "2.0", id, method, params }));
      return answered;
    };

    await request(1, "initialize", {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "raw-test", version: "0" },
    });
    send(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }));
    await request(2, "tools/list");
    await request(3, "tools/call", { name: "list_plans", arguments: {} });
    await request(4, "tools/call", { name: "get_pnl_summary", arguments: { planId: "plan 9xKz2", interval: "Q" } });
    send("this is not JSON");
    send(
      JSON.stringify({ jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "list_plans", arguments: "x" } }),
    );
    await request(6, "tools/call", { name: "no_such_tool", arguments: {} });
    await request(7, "resources/read", { uri: "simcel://plans" });
    await request(8, "tools/list");
    child.stdin.end();
    const code = await new Promise((exited) => child.once("exit", exited));

    expect(code).toBe(0);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const frame = JSON.parse(line);
      expect(frame.jsonrpc, line).toBe("2.0");
    }
    expect(answers.get(1)?.result).toMatchObject({ serverInfo: { name: "simcel-mcp" } });
    expect(answers.get(3)?.result).toMatchObject({ structuredContent: { plans: expect.any(Array) } });
    expect(answers.get(3)?.result).not.toHaveProperty("isError");
    expect(answers.get(4)?.result).toMatchObject({ isError: true });
    // A request the SDK cannot parse is answered with a JSON-RPC error (the SDK picks the code).
    expect(answers.get(5)?.error).toMatchObject({
      code: expect.any(Number),
      message: expect.stringMatching(/arguments/),
    });
    expect(answers.get(6)?.error).toMatchObject({ code: -32602 });
    expect(answers.get(7)?.result).toMatchObject({ contents: [{ uri: "simcel://plans" }] });
    expect(answers.get(8)?.result).toMatchObject({ tools: expect.any(Array) });
    expect((answers.get(8)?.result as { tools: unknown[] } | undefined)?.tools).toHaveLength(5);
    // The logs went to stderr, and hold no secret.
    expect(stderr).toMatch(/simcel-mcp info tool call \{"tool":"list_plans","ok":true/);
    expect(stderr).toMatch(/simcel-mcp warn tool call \{"tool":"get_pnl_summary","ok":false/);
    expect(stderr).not.toContain("FAKE");
    for (const secret of liveSecrets()) expect(stderr.includes(secret), "a live secret was logged").toBe(false);
  });

  it("an unknown SIMCEL_LOG level is said once on stderr, and logging stays off", async () => {
    const { stdout, stderr } = await runProcess(process.execPath, [serverPath], {
      PATH: process.env.PATH ?? "",
      SIMCEL_LOG: "verbose",
    });
    expect(stdout).toBe("");
    expect(stderr).toBe(
      'simcel-mcp: SIMCEL_LOG must be one of debug, info, warn, error or off (got "verbose"); logging is off\n',
    );
  });
});
