// simcel-sandbox's flags and start-up failures as simcel and simcel-mcp have them: `-V`/`--version`, exit 2 for a
// flag to fix, 75 (EX_TEMPFAIL) for a port in use.
import { spawnSync } from "node:child_process";
import { createServer, type Server } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// the built bin (run `pnpm build` first): a plain Node start per case, where the TypeScript hooks cost seconds
const bin = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });

let busy: Server;
let busyPort: number;
beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(() => new Promise((resolve) => busy.close(resolve)));

describe("simcel-sandbox flags and exit codes", () => {
  it("-V and --version print the version (exit 0); -v is not a flag (exit 2)", () => {
    for (const flag of ["-V", "--version"]) {
      const r = run([flag]);
      expect([r.status, r.stdout]).toEqual([0, expect.stringMatching(/^\d+\.\d+\.\d+\n$/)]);
    }
    expect(run(["-v"]).status).toBe(2);
  });

  it("a port in use: exit 75, naming the port, no stack", () => {
    const r = run(["--port", String(busyPort)]);
    expect(r.status, r.stderr).toBe(75);
    expect(r.stderr).toMatch(new RegExp(`^simcel-sandbox: port ${busyPort} on 127.0.0.1 is in use`));
  });
});
