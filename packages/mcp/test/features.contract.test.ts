// The MCP features beyond tools, on BOTH transports of the built `simcel-mcp` (one server-building function
// serves both): server instructions, the resource template simcel://plans/{planId}, the logging capability
// fed by the SDK's logger (redacted), progress notifications of compare_scenarios, and cancellation that
// aborts the SIMCEL request in flight. The SIMCEL side is a sandbox (@simcel/sandbox) on loopback, which can hold
// an answer and counts the requests a client walked away from.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../../packages/sandbox/src/index.js";
import { until } from "../../../scripts/test/rig.js";
import { findLeaks, leakNeedles } from "../../../scripts/test/secret-forms.js";
import { connect, textOf } from "./helpers.js";
import { connectHttp, type HttpProcess, startHttpProcess } from "./http-helpers.js";

const KEY = "sk_test_FAKE_features_0000000000";
let simcel: Sandbox;
/** The sandbox's first plan. */
let planId: string;
let http: HttpProcess;
const seen: string[] = [];

interface Transport {
  client: Client;
  stderr(): string;
  close(): Promise<void>;
}
const transports: Record<string, () => Promise<Transport>> = {
  stdio: async () => {
    const c = await connect({ SIMCEL_API_KEY: KEY, SIMCEL_BASE_URL: simcel.url, SIMCEL_LOG: "debug" });
    return { client: c.client, stderr: c.stderr, close: c.close };
  },
  "Streamable HTTP (multi-tenant, the key as bearer)": async () => {
    const c = await connectHttp(http.url, { bearer: KEY });
    return { client: c.client, stderr: () => http.stderr(), close: c.close };
  },
};

beforeAll(async () => {
  simcel = await startSandbox({ record: true });
  simcel.createApiKey({ key: KEY });
  planId = simcel.plans[0]?.id as string;
  http = await startHttpProcess({ SIMCEL_BASE_URL: simcel.url, SIMCEL_LOG: "debug" });
});
afterAll(async () => {
  await http?.stop();
  await simcel?.close();
  const needles = leakNeedles({ KEY, ...Object.fromEntries(simcel.issuedTokens.map((t, i) => [`token ${i}`, t])) });
  for (const text of [...seen, ...http.stderr().split("\n")]) expect(findLeaks(text, needles)).toEqual([]);
});

for (const [name, open] of Object.entries(transports)) {
  describe(`over ${name}`, () => {
    let t: Transport;
    beforeAll(async () => {
      t = await open();
    });
    afterAll(async () => {
      seen.push(...t.stderr().split("\n"));
      await t.close();
    });

    it("instructions say what the tools are for, that ratios are decimals, at most 3 scenarios, check generatedAt", () => {
      const instructions = t.client.getInstructions() ?? "";
      expect(instructions).toMatch(/^Read-only access to SIMCEL .* list_plans first/);
      expect(instructions).toContain("decimals between 0 and 1");
      expect(instructions).toContain("at most 3 scenarios");
      expect(instructions).toContain("meta.generatedAt");
      expect(t.client.getServerCapabilities()).toMatchObject({ tools: {}, resources: {}, logging: {} });
    });

    it("the resource template simcel://plans/{planId} reads one plan with its scenarios and flags", async () => {
      const { resourceTemplates } = await t.client.listResourceTemplates();
      expect(resourceTemplates.map((r) => r.uriTemplate)).toEqual(["simcel://plans/{planId}"]);
      const read = await t.client.readResource({ uri: `simcel://plans/${planId}` });
      const plan = JSON.parse((read.contents[0] as { text: string }).text);
      expect(plan).toMatchObject({ id: planId, scenarios: expect.any(Array) });
      expect(plan.scenarios.find((s: { flags: string[] }) => s.flags.includes("committed"))).toBeDefined();
      await expect(t.client.readResource({ uri: "simcel://plans/plan_nope" })).rejects.toThrow(
        /simcel:\/\/plans\/plan_nope: not found/,
      );
    });

    it("logging: the SDK's log lines reach the host at the level it set, redacted; logging/setLevel raises the bar", async () => {
      const lines: Array<{ level: string; data: unknown }> = [];
      t.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
        lines.push({ level: n.params.level, data: n.params.data });
      });
      await t.client.setLoggingLevel("debug");
      await t.client.callTool({ name: "get_pnl_summary", arguments: { planId } });
      const messages = lines.map((l) => (l.data as { message: string }).message);
      seen.push(JSON.stringify(lines));
      // "api call" is the server's; the insights client logs its request through the same bridge
      expect(messages).toContain("api call");
      expect(messages).toContain("tool call");
      expect(lines.some((l) => l.level === "debug" && (l.data as { message: string }).message !== "api call")).toBe(
        true,
      );
      seen.push(...lines.map((l) => JSON.stringify(l)));
      lines.length = 0;
      await t.client.setLoggingLevel("error");
      await t.client.callTool({ name: "list_plans", arguments: {} });
      expect(lines).toEqual([]);
      await t.client.setLoggingLevel("warning");
      await t.client.callTool({ name: "get_pnl_summary", arguments: { planId, interval: "Q" } });
      expect(lines.map((l) => [l.level, (l.data as { message: string }).message])).toEqual([["warning", "tool call"]]);
      await t.client.setLoggingLevel("info");
    });

    it("compare_scenarios sends progress notifications when the host sends a progress token, all before its answer", async () => {
      // Read as the frames arrive: SDK 1.x clients dispatch notifications a microtask later than responses, so
      // progress that arrives in the same read as the answer is dropped by the client itself
      // (modelcontextprotocol/typescript-sdk#2580) — what the server sends, and in which order, is what counts here.
      const transport = t.client.transport as NonNullable<Client["transport"]>;
      const frames: Array<{ method?: string; id?: unknown; params?: Record<string, unknown> }> = [];
      const deliver = transport.onmessage;
      transport.onmessage = (message, extra) => {
        frames.push(message as (typeof frames)[number]);
        deliver?.call(transport, message, extra);
      };
      const onerror = t.client.onerror;
      t.client.onerror = () => {};
      try {
        const result = await t.client.callTool({ name: "compare_scenarios", arguments: { planId } }, undefined, {
          onprogress: () => {},
        });
        expect(result.isError, textOf(result as { content?: unknown })).toBeFalsy();
        const progress = frames.filter((f) => f.method === "notifications/progress").map((f) => f.params ?? {});
        expect(progress.map((p) => p.message)).toEqual(["getPlan answered", "getPnlSummary answered", "done"]);
        expect(progress.map((p) => p.progress)).toEqual([1, 2, 3]);
        expect(progress.at(-1)?.total).toBe(3);
        expect(new Set(progress.map((p) => p.progressToken)).size).toBe(1);
        const answer = frames.findIndex((f) => f.id !== undefined && f.method === undefined);
        const lastProgress = frames.map((f) => f.method).lastIndexOf("notifications/progress");
        expect(lastProgress).toBeLessThan(answer);
        // without a progress token, none
        frames.length = 0;
        await t.client.callTool({ name: "compare_scenarios", arguments: { planId } });
        expect(frames.filter((f) => f.method === "notifications/progress")).toEqual([]);
      } finally {
        transport.onmessage = deliver;
        if (onerror) t.client.onerror = onerror;
      }
    });

    it("notifications/cancelled aborts the SIMCEL request in flight", async () => {
      const release = simcel.hold("getPnlSummary");
      try {
        const aborts = simcel.counts.clientAborts;
        const controller = new AbortController();
        const call = t.client.callTool({ name: "get_pnl_summary", arguments: { planId } }, undefined, {
          signal: controller.signal,
        });
        await until(() => simcel.counts.inFlight === 1);
        controller.abort("the user changed their mind");
        await expect(call).rejects.toThrow();
        // the server heard notifications/cancelled and aborted its request to SIMCEL
        await until(() => simcel.counts.inFlight === 0 && simcel.counts.clientAborts === aborts + 1);
      } finally {
        release();
      }
      expect((await t.client.callTool({ name: "list_plans", arguments: {} })).isError).toBeFalsy();
    });
  });
}
