// `simcel --sandbox` / SIMCEL_SANDBOX=1: any command runs against a sandbox started in-process (seed 1), with a
// key of its own — never the user's credentials, never the user's token cache — and stopped when it ends.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startSandbox } from "../../sandbox/src/index.js";
import { run } from "../src/run.js";
import { sink } from "./sink.js";

const home = mkdtempSync(join(tmpdir(), "simcel-cli-sandbox-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function simcel(argv: string[], env: Record<string, string> = {}) {
  const stdout = sink();
  const stderr = sink();
  const code = await run(argv, {
    // a user with credentials of their own (that must not be used) and a token cache folder (that must stay empty)
    env: {
      SIMCEL_API_KEY: "sk_test_FAKE_the_users_own_key",
      SIMCEL_BASE_URL: "http://127.0.0.1:9",
      XDG_CACHE_HOME: home,
      ...env,
    },
    stdout,
    stderr,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe("simcel --sandbox", () => {
  it("simcel pnl --plan nope --sandbox exits 3 saying the plan was not found", async () => {
    const r = await simcel(["pnl", "--plan", "nope", "--sandbox"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^simcel pnl: not found: 404 Not Found: Plan nope not found or you do not have access/m);
  });

  it("runs any command on the sandbox's data (seed 1), not the user's account, and says so on stderr only", async () => {
    const oracle = await startSandbox({ seed: 1 });
    const plans = oracle.plans;
    await oracle.close();
    const r = await simcel(["plans", "--json", "--sandbox"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ plans });
    expect(r.stderr).toBe("note: --sandbox: a local SIMCEL sandbox with invented data (seed 1), not your account\n");
    const pnl = await simcel(["pnl", "--plan", plans[0]!.id, "--interval", "M", "--json"], { SIMCEL_SANDBOX: "1" });
    expect(pnl.code, pnl.stderr).toBe(0);
    expect(JSON.parse(pnl.stdout).scenarios[0].series).toHaveLength(24);
    const doctor = await simcel(["doctor", "--sandbox"]);
    expect(doctor.code, doctor.stdout).toBe(0);
    expect(doctor.stdout).toContain("Result: all good (exit 0)");
    // the user's token cache was not touched
    expect(readdirSync(home)).toEqual([]);
  });

  it("stops the sandbox when the command ends: no server or socket is left", async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === "TCPServerWrap").length;
    expect((await simcel(["token", "--sandbox"])).code).toBe(0);
    expect(process.getActiveResourcesInfo().filter((r) => r === "TCPServerWrap").length).toBe(before);
  });

  it("refuses --base-url with --sandbox, and a SIMCEL_SANDBOX it cannot read (exit 2)", async () => {
    const both = await simcel(["plans", "--sandbox", "--base-url", "https://app.simcel.io/api"]);
    expect([both.code, both.stderr]).toEqual([
      2,
      "simcel plans: --sandbox and --base-url do not go together: the sandbox is the API\n",
    ]);
    const odd = await simcel(["plans"], { SIMCEL_SANDBOX: "maybe" });
    expect([odd.code, odd.stderr]).toEqual([
      2,
      'simcel: SIMCEL_SANDBOX must be 1 (use the sandbox) or 0, got "maybe"\n',
    ]);
  });
});
