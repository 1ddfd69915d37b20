// `simcel-mcp --sandbox`: with no SIMCEL credential in the environment, the built server answers from a sandbox it
// starts itself, on stdio and over Streamable HTTP, and says so on stderr.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Connection, callTool, connect, runProcess, serverPath, textOf } from "./helpers.js";
import { connectHttp, type HttpProcess, startHttpProcess } from "./http-helpers.js";

const NOTE = /note: --sandbox: a local SIMCEL sandbox with invented data/;

/** The sandbox's plans as list_plans answers them. */
function plansOf(result: object) {
  const { isError, structuredContent } = result as { isError?: boolean; structuredContent?: unknown };
  expect(isError, textOf(result)).toBeFalsy();
  return (structuredContent as { plans: Array<{ id: string; scenarios: unknown[] }> }).plans;
}

describe("simcel-mcp --sandbox on stdio", () => {
  let on: Connection;
  beforeAll(async () => {
    // a wrong real key is ignored: the sandbox's own key is used
    on = await connect({ SIMCEL_API_KEY: "sk_live_FAKE_ignored_by_sandbox" }, ["--sandbox"]);
  });
  afterAll(() => on?.close());

  it("answers list_plans with no usable credential set, and notes the sandbox on stderr", async () => {
    const plans = plansOf(await callTool(on, "list_plans"));
    expect(plans.length).toBeGreaterThan(0);
    expect(plans[0]!.scenarios.length).toBeGreaterThan(0);
    expect(on.stderr()).toMatch(NOTE);
    expect(on.stderr()).not.toContain("FAKE_ignored");
  });
});

describe("simcel-mcp --sandbox --http", () => {
  let server: HttpProcess;
  beforeAll(async () => {
    server = await startHttpProcess({}, ["--sandbox"]);
  });
  afterAll(() => server?.stop());

  it("answers list_plans with no credential in the environment nor on the request", async () => {
    const http = await connectHttp(server.url);
    try {
      const plans = plansOf(await http.client.callTool({ name: "list_plans", arguments: {} }));
      expect(plans.length).toBeGreaterThan(0);
    } finally {
      await http.close();
    }
    expect(server.stderr()).toMatch(NOTE);
  });
});

describe("SIMCEL_SANDBOX, the flag as a variable (what a bundle's settings can set)", () => {
  it("SIMCEL_SANDBOX=true serves the sandbox as --sandbox does", async () => {
    const on = await connect({ SIMCEL_SANDBOX: "true" });
    try {
      expect(plansOf(await callTool(on, "list_plans")).length).toBeGreaterThan(0);
      expect(on.stderr()).toMatch(NOTE);
    } finally {
      await on.close();
    }
  });

  it("a value neither on nor off is a usage error naming the variable", async () => {
    const run = await runProcess(process.execPath, [serverPath], {
      PATH: process.env.PATH ?? "",
      SIMCEL_SANDBOX: "maybe",
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('SIMCEL_SANDBOX must be 1 (use the sandbox) or 0, got "maybe"');
  });
});
