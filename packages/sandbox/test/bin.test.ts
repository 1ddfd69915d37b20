// simcel-sandbox as a process (run from its source through the repo's TypeScript hooks; the release tests run
// the packed bin): it prints a URL and a key that work with the SDK, serves until SIGTERM, then exits 0.
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createApiKeyCredential, createAuthMiddleware } from "../../auth/src/index.js";
import { createInsightsClient } from "../../insights/src/index.js";

const bin = fileURLToPath(new URL("../src/bin.ts", import.meta.url));
const hooks = fileURLToPath(new URL("../../../scripts/ts-register.mjs", import.meta.url));
const run = (args: string[]) => spawnSync(process.execPath, ["--import", hooks, bin, ...args], { encoding: "utf8" });

describe("simcel-sandbox", () => {
  it("prints its URL and a ready key, answers the SDK with them, and stops on SIGTERM with exit 0", async () => {
    const child = spawn(process.execPath, ["--import", hooks, bin, "--port", "0", "--seed", "5"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
    });
    const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
    const deadline = Date.now() + 20_000;
    while (!out.includes("Stop with Ctrl-C") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const url = /SIMCEL_BASE_URL=(\S+)/.exec(out)?.[1] as string;
    const apiKey = /SIMCEL_API_KEY=(\S+)/.exec(out)?.[1] as string;
    expect(out).toContain(`SIMCEL sandbox (seed 5) listening on ${url}`);
    expect(apiKey).toMatch(/^sk_test_FAKE_/);
    const auth = createAuthMiddleware({ credential: createApiKeyCredential({ apiKey, baseUrl: url }) });
    const insights = createInsightsClient({ middleware: [auth] });
    const { plans } = await insights.listPlans();
    // the plans it printed are the plans it serves
    for (const plan of plans) expect(out).toContain(`${plan.id}  ${plan.name} (${plan.currency}`);
    await auth.close();
    await insights.close();
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 30_000);

  it("--help says how to use it (exit 0); a bad flag or value says what is wrong (exit 2)", () => {
    const help = run(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage: simcel-sandbox [--port N] [--seed N]");
    const port = run(["--port", "x"]);
    expect([port.status, port.stderr]).toEqual([
      2,
      'simcel-sandbox: --port must be a whole number, got "x"; see simcel-sandbox --help\n',
    ]);
    const flag = run(["--sed", "1"]);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toMatch(/^simcel-sandbox: Unknown option '--sed'/);
  }, 30_000);
});
