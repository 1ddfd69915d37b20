// What the agent-framework contract tests call: every tool of simcel-mcp, with arguments that hold on the sandbox's
// default seed, and how to find a plan id in list_plans' answer whatever form a framework hands it back in.

/** The tools simcel-mcp serves, every one of which a framework must list and call. */
export const TOOL_NAMES = [
  "list_plans",
  "get_pnl_summary",
  "get_demand_forecast",
  "get_sustainability",
  "compare_scenarios",
] as const;

/** Arguments for each data tool on the sandbox's plan `planId`. */
export const callsFor = (planId: string): Record<Exclude<(typeof TOOL_NAMES)[number], "list_plans">, object> => ({
  get_pnl_summary: { planId, interval: "FY" },
  get_demand_forecast: { planId, interval: "M" },
  get_sustainability: { planId, interval: "FY" },
  compare_scenarios: { planId },
});

/** The first plan id in a list_plans answer, as JSON text or any object holding it. */
export function firstPlanId(answer: unknown): string {
  const text = typeof answer === "string" ? answer : JSON.stringify(answer);
  const id = /"id":"(plan_[^"]+)"/.exec(text.replace(/\\"/g, '"'))?.[1];
  if (!id) throw new Error(`no plan id in list_plans' answer: ${text.slice(0, 300)}`);
  return id;
}
