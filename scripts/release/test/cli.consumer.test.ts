// The CLI as a stranger installs it: only the @simcel/cli tarball (its @simcel/* dependencies from their tarballs,
// openapi-fetch from the store, offline), then `npx simcel` exactly as the README says.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Consumer, consumerApiKey, createConsumer, mockGet } from "../consumer.js";

const baseUrl = inject("simcelBaseUrl");
let consumer: Consumer;
beforeAll(() => {
  consumer = createConsumer("cli", inject("packed"), { packages: ["@simcel/cli"] });
  process.stderr.write(`[consumer cli] offline install of @simcel/cli alone: ${consumer.installMs} ms\n`);
});
afterAll(() => consumer?.remove());

/** `npx simcel …` with no SIMCEL_* variable of the test machine leaking in. */
function simcel(args: string[], env: Record<string, string> = {}) {
  const clean = Object.fromEntries(
    Object.keys(process.env)
      .filter((k) => k.startsWith("SIMCEL_"))
      .map((k) => [k, ""]),
  );
  // the token the CLI keeps between runs goes into the consumer's folder, not the test machine's home
  const cache = { XDG_CACHE_HOME: `${consumer.dir}/.cache` };
  const run = consumer.run("npx", ["simcel", ...args], { ...clean, ...cache, ...env });
  process.stderr.write(`[consumer cli] npx simcel ${args.join(" ")}: exit ${run.status} in ${run.ms} ms\n`);
  return run;
}

describe("CLI consumer (@simcel/cli tarball, offline install)", () => {
  it("npx simcel --help prints the usage and exits 0", () => {
    const run = simcel(["--help"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: simcel <command>/m);
    expect(run.stdout).toContain("plans");
  });

  it("npx simcel plans signs in with SIMCEL_API_KEY and lists the mock's plans", async () => {
    const env = { SIMCEL_API_KEY: consumerApiKey, SIMCEL_BASE_URL: baseUrl };
    const mock = await mockGet<{ plans: { id: string; name: string }[] }>(`${baseUrl}/insights/v1/plans`);

    const table = simcel(["plans"], env);
    expect(table.status, table.stderr).toBe(0);
    for (const plan of mock.plans) expect(table.stdout).toContain(plan.name);

    const json = simcel(["plans", "--json"], env);
    expect(json.status, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(mock);
    expect(`${table.stdout}${table.stderr}${json.stdout}${json.stderr}`).not.toContain(consumerApiKey);
  });

  it("npx simcel --sandbox runs on a sandbox of its own (its @simcel/sandbox dependency, loaded on demand)", () => {
    const plans = simcel(["plans", "--json", "--sandbox"]);
    expect(plans.status, plans.stderr).toBe(0);
    expect(JSON.parse(plans.stdout).plans.length).toBeGreaterThanOrEqual(3);
    const nope = simcel(["pnl", "--plan", "nope"], { SIMCEL_SANDBOX: "1" });
    // not found: exit 3
    expect(nope.status).toBe(3);
    expect(nope.stderr).toContain("Plan nope not found");
  });

  it("npx simcel plans without credentials is an authentication failure (exit 4) that names the variable", () => {
    const run = simcel(["plans"]);
    expect(run.status).toBe(4);
    expect(run.stderr).toContain("SIMCEL_API_KEY");
  });
});
