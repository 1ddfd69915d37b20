// simcel-mcp's start-up failures exit with the classes of the simcel CLI (one table, @simcel/commands): 2 a flag or
// setting to fix, 4 a credential that cannot work, 75 a port in use (a supervisor may retry), 0 for --version.
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProcess, serverPath } from "./helpers.js";

const run = (args: string[], env: Record<string, string> = {}) =>
  runProcess(process.execPath, [serverPath, ...args], { PATH: process.env.PATH ?? "", ...env });

let busy: Server;
let busyPort: number;
beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(() => new Promise((resolve) => busy.close(resolve)));

describe("simcel-mcp start-up exit codes", () => {
  it("-V and --version print the version, exit 0", async () => {
    for (const flag of ["-V", "--version"]) {
      const r = await run([flag]);
      expect([r.code, r.stdout]).toEqual([0, expect.stringMatching(/^\d+\.\d+\.\d+/)]);
    }
  });

  it("an unknown flag: exit 2", async () => {
    expect((await run(["--bogus"])).code).toBe(2);
  });

  it("two kinds of credential: exit 4 (authentication), naming them", async () => {
    const r = await run(["--http", "--port", "0"], { SIMCEL_API_KEY: "sk_test_FAKE_a", SIMCEL_TOKEN: "FAKEtoken" });
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/SIMCEL_API_KEY and SIMCEL_TOKEN are set/);
    expect(r.stderr).not.toContain("FAKE");
  });

  it("a port in use: exit 75 (temporary), naming the port", async () => {
    const r = await run(["--http", "--port", String(busyPort)]);
    expect(r.code, r.stderr).toBe(75);
    expect(r.stderr).toContain(`cannot listen on 127.0.0.1:${busyPort} (EADDRINUSE)`);
  });
});
