// Issue 16, part 3, for the MCP server: its results go to an agent, so the API's data stays exactly the API's
// (structured content and the text an agent reads); its stderr goes to a person's terminal (the host's log
// pane, a shell), so every log line quoting the API shows control and bidi characters escaped. The built
// `simcel-mcp` over stdio, against the loopback hostile API of scripts/test/untrusted-text.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  dangerousIn,
  HOSTILE_BODIES,
  HOSTILE_MESSAGE,
  type HostileApi,
  PLAN_ID,
  startHostileApi,
} from "../../../scripts/test/untrusted-text.js";
import { type Connection, callTool, connect, textOf } from "./helpers.js";

let api: HostileApi;
let server: Connection;
beforeAll(async () => {
  api = await startHostileApi();
  server = await connect({ ...api.env, SIMCEL_LOG: "debug" });
});
afterAll(async () => {
  await server?.close();
  await api?.close();
});

const call = (name: string, args: Record<string, unknown>) => callTool(server, name, args);

describe("simcel-mcp and API text", () => {
  it("gives the agent the API's strings exactly, and logs them escaped on stderr", async () => {
    const plans = await call("list_plans", {});
    expect(plans.isError).toBeFalsy();
    expect(plans.structuredContent).toEqual(HOSTILE_BODIES.listPlans);
    expect(JSON.parse(textOf(plans))).toEqual(HOSTILE_BODIES.listPlans);

    api.failNext("getPnlSummary", { kind: "status", status: 404, message: HOSTILE_MESSAGE });
    const failed = await call("get_pnl_summary", { planId: PLAN_ID });
    expect(failed.isError).toBe(true);
    // the agent reads the server's message as it was sent, as it reads the data
    expect(textOf(failed)).toContain(HOSTILE_MESSAGE);

    const stderr = server.stderr();
    expect(dangerousIn(stderr, ["\n"]), "a dangerous code point on stderr").toEqual([]);
    // the SDK's warning quotes the flag the API sent (C0 JSON-escaped, then shown escaped; C1 and bidi escaped once)
    expect(stderr).toMatch(
      /simcel-mcp warn listPlans: the response differs from the spec at \/plans\/0\/scenarios\/0\/flags\/0/,
    );
    expect(stderr).toContain("archived\\\\u001b[2J");
    expect(stderr).toContain("\\u202e");
    // the failed call's log line: its fields are JSON, with C1 and bidi characters as \u escapes
    const line = stderr.split("\n").find((l) => l.includes("warn tool call") && l.includes("get_pnl_summary"));
    expect(line).toBeDefined();
    const fields = JSON.parse(line!.slice(line!.indexOf(" {") + 1));
    expect(fields.error).toContain(HOSTILE_MESSAGE);
    expect(line).toContain("Plan not found: \\u001b[2J");
  });
});
