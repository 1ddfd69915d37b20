// Prompts, completions and resource links, through the SDK's own client against the built server on stdio with
// --sandbox: real plans and scenarios of the sandbox's seed, no credential of anyone's.
import { startSandbox } from "@simcel/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Connection, callTool, connect } from "./helpers.js";
import { connectHttp, startHttpProcess } from "./http-helpers.js";

let on: Connection;
let plans: Array<{ id: string; name: string; scenarios: Array<{ id: string; name: string }> }>;
beforeAll(async () => {
  on = await connect({}, ["--sandbox"]);
  plans = ((await callTool(on, "list_plans")).structuredContent as { plans: typeof plans }).plans;
});
afterAll(() => on?.close());

const complete = (
  ref: { type: "ref/prompt"; name: string } | { type: "ref/resource"; uri: string },
  name: string,
  value: string,
  context?: Record<string, string>,
) => on.client.complete({ ref, argument: { name, value }, ...(context && { context: { arguments: context } }) });

describe("prompts", () => {
  it("lists the prompts with their arguments, required ones marked", async () => {
    const { prompts } = await on.client.listPrompts();
    const byName = Object.fromEntries(prompts.map((p) => [p.name, p]));
    expect(Object.keys(byName)).toEqual(["explain_ebit_bridge", "variance_vs_committed", "co2_hotspots"]);
    expect(byName.explain_ebit_bridge?.arguments).toEqual([
      expect.objectContaining({ name: "planId", required: true }),
      expect.objectContaining({ name: "scenarioId", required: true }),
    ]);
    expect(byName.co2_hotspots?.arguments?.[1]).toMatchObject({ name: "scenarioId", required: false });
    for (const p of prompts) expect(p.description?.length).toBeGreaterThan(40);
  });

  it("turns the arguments into one message naming the tools to call, the ids quoted", async () => {
    const plan = plans[0]!;
    const scenario = plan.scenarios.at(-1)!;
    const got = await on.client.getPrompt({
      name: "explain_ebit_bridge",
      arguments: { planId: plan.id, scenarioId: scenario.id },
    });
    expect(got.messages).toHaveLength(1);
    const { role, content } = got.messages[0]!;
    expect(role).toBe("user");
    const text = (content as { text: string }).text;
    expect(text).toContain(`compare_scenarios with planId ${JSON.stringify(plan.id)}`);
    expect(text).toContain(`scenarioIds [${JSON.stringify(scenario.id)}]`);
    const co2 = await on.client.getPrompt({ name: "co2_hotspots", arguments: { planId: plan.id } });
    expect((co2.messages[0]!.content as { text: string }).text).toMatch(
      /get_sustainability .*groupBy "dc".*"transport_mode"/,
    );
  });

  it("refuses a missing required argument, an unknown argument and an unknown prompt, saying what to fix", async () => {
    await expect(on.client.getPrompt({ name: "explain_ebit_bridge", arguments: { planId: "p" } })).rejects.toThrow(
      /needs scenarioId/,
    );
    await expect(
      on.client.getPrompt({ name: "variance_vs_committed", arguments: { planId: "p", colour: "x" } }),
    ).rejects.toThrow(/colour is not an argument .* accepted: planId/);
    await expect(on.client.getPrompt({ name: "nope" })).rejects.toThrow(
      /Unknown prompt nope; prompts: explain_ebit_bridge/,
    );
  });
});

describe("completion/complete", () => {
  it("completes planId of the plan resource template from the credential's plans, by id prefix or name", async () => {
    const all = await complete({ type: "ref/resource", uri: "simcel://plans/{planId}" }, "planId", "");
    expect(all.completion.values).toEqual(plans.map((p) => p.id));
    const plan = plans[1] ?? plans[0]!;
    const byId = await complete(
      { type: "ref/resource", uri: "simcel://plans/{planId}" },
      "planId",
      plan.id.slice(0, -1),
    );
    expect(byId.completion.values).toContain(plan.id);
    expect(byId.completion.values.length).toBeLessThan(plans.length + 1);
    const word = plan.name.split(/\s+/).at(-1)!.toUpperCase();
    const byName = await complete({ type: "ref/prompt", name: "variance_vs_committed" }, "planId", word);
    expect(byName.completion.values).toContain(plan.id);
    const none = await complete({ type: "ref/prompt", name: "variance_vs_committed" }, "planId", "zzz-no-such-plan");
    expect(none.completion).toMatchObject({ values: [], total: 0, hasMore: false });
  });

  it("completes a prompt's scenarioId from the plan already chosen", async () => {
    const plan = plans[0]!;
    const got = await complete({ type: "ref/prompt", name: "explain_ebit_bridge" }, "scenarioId", "", {
      planId: plan.id,
    });
    expect(got.completion.values).toEqual(plan.scenarios.map((s) => s.id));
  });

  it("offers nothing for an argument it does not know, and refuses an unknown prompt", async () => {
    const got = await complete({ type: "ref/resource", uri: "simcel://plans" }, "planId", "");
    expect(got.completion.values).toEqual([]);
    await expect(complete({ type: "ref/prompt", name: "nope" }, "planId", "")).rejects.toThrow(/Unknown prompt nope/);
  });
});

describe("resource links in tool results", () => {
  it("list_plans links each plan to simcel://plans/{planId}, and the link reads", async () => {
    const result = await callTool(on, "list_plans");
    const links = result.content.filter((c) => c.type === "resource_link") as unknown as Array<{
      uri: string;
      title?: string;
    }>;
    expect(links.map((l) => l.uri)).toEqual(plans.map((p) => `simcel://plans/${encodeURIComponent(p.id)}`));
    expect(links[0]!.title).toBe(plans[0]!.name);
    const read = await on.client.readResource({ uri: links[0]!.uri });
    expect(JSON.parse((read.contents[0] as { text: string }).text)).toMatchObject({ id: plans[0]!.id });
  });

  it("compare_scenarios links the plan it compared; the other data tools carry none", async () => {
    const plan = plans[0]!;
    const compared = await callTool(on, "compare_scenarios", { planId: plan.id });
    expect(compared.isError, compared.content[0]?.text).toBeFalsy();
    expect(compared.content.filter((c) => c.type === "resource_link")).toEqual([
      expect.objectContaining({ uri: `simcel://plans/${encodeURIComponent(plan.id)}` }),
    ]);
    const pnl = await callTool(on, "get_pnl_summary", { planId: plan.id, interval: "FY" });
    expect(pnl.content.map((c) => c.type)).toEqual(["text"]);
  });
});

describe("completion/complete over HTTP, multi-tenant: each request's own key", () => {
  it("completes from the plans of the bearer's key, and offers nothing to a key that may not list plans", async () => {
    const sandbox = await startSandbox({ seed: 1 });
    const http = await startHttpProcess({ SIMCEL_BASE_URL: sandbox.url });
    const ref = { type: "ref/resource", uri: "simcel://plans/{planId}" } as const;
    try {
      const reader = await connectHttp(http.url, { bearer: sandbox.createApiKey() });
      const insightsOnly = await connectHttp(http.url, { bearer: sandbox.createApiKey({ scopes: ["insights:read"] }) });
      try {
        const own = await reader.client.complete({ ref, argument: { name: "planId", value: "" } });
        expect(own.completion.values).toEqual(plans.map((p) => p.id));
        const none = await insightsOnly.client.complete({ ref, argument: { name: "planId", value: "" } });
        expect(none.completion.values).toEqual([]);
      } finally {
        await reader.close();
        await insightsOnly.close();
      }
    } finally {
      await http.stop();
      await sandbox.close();
    }
  });
});
