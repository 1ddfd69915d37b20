// Resource links in tool results: list_plans and compare_scenarios name the plans they speak of as
// simcel://plans/{planId}, so a host can show them, or read one plan without another tool call.
import type { ResourceLink } from "@modelcontextprotocol/sdk/types.js";

/** The URI of one plan resource. */
export const planUri = (planId: string) => `simcel://plans/${encodeURIComponent(planId)}`;

const link = (planId: string, name: string | undefined): ResourceLink => ({
  type: "resource_link",
  uri: planUri(planId),
  name: planId,
  ...(name !== undefined && { title: name }),
  description: "The plan's name, currency and scenarios with their flags.",
  mimeType: "application/json",
});

/** The links a tool's structured result carries: one per plan it names; none for the other tools. */
export function resourceLinksFor(tool: string, structured: unknown): ResourceLink[] {
  if (tool === "list_plans") {
    const plans = (structured as { plans?: Array<{ id?: unknown; name?: unknown }> }).plans ?? [];
    return plans
      .filter((p) => typeof p.id === "string")
      .map((p) => link(p.id as string, typeof p.name === "string" ? p.name : undefined));
  }
  if (tool === "compare_scenarios") {
    const planId = (structured as { meta?: { planId?: unknown } }).meta?.planId;
    return typeof planId === "string" ? [link(planId, undefined)] : [];
  }
  return [];
}
