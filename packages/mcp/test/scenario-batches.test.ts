// More scenarios than SIMCEL answers in one request: the server asks in batches and merges the answers, so an
// agent gets every scenario it named, in its order, with the figures one request per scenario would give — and
// progress per batch. Against the sandbox, whose plans have six or seven scenarios.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../../packages/sandbox/src/index.js";
import { textOf } from "./helpers.js";
import { connectInMemory, type InMemoryConnection } from "./in-memory.js";

const KEY = "sk_test_FAKE_batches_000000000000";
let sandbox: Sandbox;
let on: InMemoryConnection;
/** The sandbox's first plan (six scenarios, all simulated), and its scenario ids, last first. */
let planId: string;
let ids: string[];

beforeAll(async () => {
  sandbox = await startSandbox({ record: true });
  sandbox.createApiKey({ key: KEY });
  const plan = sandbox.plans[0]!;
  planId = plan.id;
  ids = plan.scenarios.map((s) => s.id).reverse();
  on = await connectInMemory({ SIMCEL_API_KEY: KEY, SIMCEL_BASE_URL: sandbox.url });
});
afterAll(async () => {
  await on?.close();
  await sandbox?.close();
});

type Scenario = { scenarioId: string; pnl: Record<string, number> };
const call = async (
  name: string,
  args: Record<string, unknown>,
  onprogress?: (p: { message?: string | undefined }) => void,
) => {
  const result = await on.client.callTool({ name, arguments: args }, undefined, onprogress ? { onprogress } : {});
  expect(result.isError, textOf(result as { content?: unknown })).toBeFalsy();
  return result.structuredContent as Record<string, unknown>;
};
const apiRequests = () => sandbox.requests.filter((r) => r.path.startsWith("/insights/v1/pnl-summary")).length;

describe("more scenarios than one request takes", () => {
  it("get_pnl_summary with 6 scenario ids: 2 requests, 6 scenarios in the order asked, each as asked alone", async () => {
    const before = apiRequests();
    const all = await call("get_pnl_summary", { planId, scenarioIds: ids });
    expect(ids).toHaveLength(6);
    expect(apiRequests() - before).toBe(2);
    const scenarios = all.scenarios as Scenario[];
    expect(scenarios.map((s) => s.scenarioId)).toEqual(ids);
    const alone = await call("get_pnl_summary", { planId, scenarioIds: [ids[4]] });
    expect(scenarios[4]).toEqual((alone.scenarios as Scenario[])[0]);
    expect(all.meta).toEqual(alone.meta);
  });

  it("compare_scenarios with 5 besides the base: 3 requests, a row for each, the same as compared in one request", async () => {
    const [base, ...others] = ids as [string, ...string[]];
    const before = apiRequests();
    const all = await call("compare_scenarios", { planId, baseScenarioId: base, scenarioIds: others });
    expect(apiRequests() - before).toBe(3);
    const rows = all.rows as Array<{ scenarioId: string }>;
    expect(rows.map((r) => r.scenarioId)).toEqual(others);
    const two = await call("compare_scenarios", { planId, baseScenarioId: base, scenarioIds: others.slice(2, 4) });
    expect(rows.slice(2, 4)).toEqual(two.rows);
    expect(all.baseScenarioId).toBe(base);
  });

  it("without a base, the first batch settles it (the plan's committed scenario) and the others reuse it", async () => {
    const all = await call("compare_scenarios", { planId, scenarioIds: ids });
    const committed = sandbox.plans.find((p) => p.id === planId)!.scenarios.find((s) => s.flags.includes("committed"))!;
    expect(all.baseScenarioId).toBe(committed.id);
    expect((all.rows as Array<{ scenarioId: string }>).map((r) => r.scenarioId)).toEqual(
      ids.filter((id) => id !== committed.id),
    );
  });

  it("progress says which batch answered, before the answer", async () => {
    const messages: string[] = [];
    await call("get_demand_forecast", { planId, interval: "FY", scenarioIds: ids.slice(0, 5) }, (p) =>
      messages.push(p.message ?? ""),
    );
    expect(messages).toEqual([
      "getDemandForecast answered (scenarios, batch 1 of 2)",
      "getDemandForecast answered (scenarios, batch 2 of 2)",
      "done",
    ]);
  });
});
