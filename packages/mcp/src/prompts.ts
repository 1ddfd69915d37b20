// Prompts: the questions SIMCEL users ask most, as templates a person picks in the host (a slash command, a menu).
// Each one turns its arguments into one user message that tells the model which tools to call with which
// arguments and what to say. The arguments are quoted as JSON strings in that text, so an id cannot pass for an
// instruction; the tools check them against the API as for any call.
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  ErrorCode,
  GetPromptRequestSchema,
  type GetPromptResult,
  ListPromptsRequestSchema,
  McpError,
  type Prompt,
} from "@modelcontextprotocol/sdk/types.js";
import { ITEM_ICONS } from "./icons.js";

/** A prompt argument that completion/complete can fill in. */
export type CompletableArgument = "planId" | "scenarioId";

interface PromptArgument {
  name: CompletableArgument;
  description: string;
  required: boolean;
}

/** One prompt: what the host lists, and the text it becomes. */
interface PromptDefinition {
  name: string;
  title: string;
  description: string;
  arguments: readonly PromptArgument[];
  text(args: Record<string, string>): string;
}

const planArgument: PromptArgument = {
  name: "planId",
  description: "The plan's id, from list_plans (the host can complete it).",
  required: true,
};
const q = JSON.stringify;

/** The prompts this server offers, by name. */
export const PROMPTS: readonly PromptDefinition[] = [
  {
    name: "explain_ebit_bridge",
    title: "Explain the EBIT bridge of a scenario",
    description:
      "Why a scenario's EBIT differs from the plan's base scenario (committed, else primary): the steps net sales, COGS, storage & handling, transport and other costs, largest first.",
    arguments: [
      planArgument,
      { name: "scenarioId", description: "The scenario to explain, an id from list_plans.", required: true },
    ],
    text: ({ planId, scenarioId }) =>
      [
        `Explain the EBIT bridge of scenario ${q(scenarioId)} in SIMCEL plan ${q(planId)}.`,
        `Call compare_scenarios with planId ${q(planId)} and scenarioIds [${q(scenarioId)}]; the base is the plan's committed scenario (else its primary one).`,
        "From the row of that scenario, walk from the base EBIT to the scenario's EBIT: the change in net sales (netFIESales), then COGS, storage & handling and transport (each cost that rises lowers EBIT), then other costs (grossProfit − supplyChainCost − ebit).",
        "Rank the steps by size, give each in the plan's currency and as a share of the base EBIT, and say which one or two explain most of the difference.",
        "Say how old the figures are (meta.generatedAt).",
      ].join(" "),
  },
  {
    name: "variance_vs_committed",
    title: "Variance of every scenario against the committed plan",
    description:
      "Each scenario of a plan against its committed scenario: the KPIs that moved most (net sales, gross profit, supply-chain cost, EBIT, EBIT %).",
    arguments: [planArgument],
    text: ({ planId }) =>
      [
        `Compare every scenario of SIMCEL plan ${q(planId)} with its committed scenario.`,
        `Call list_plans to find the plan's scenarios and the one flagged committed, then compare_scenarios with planId ${q(planId)} (at most 2 scenarios besides the base per call; call it again for the others).`,
        "For each scenario give the deltas of netFIESales, grossProfit, supplyChainCost, ebit and ebitPercent (in points), and the deltaRatio as a percentage where it is not null.",
        "End with the scenario that does best and worst on EBIT against the committed plan, and how old the figures are (meta.generatedAt).",
      ].join(" "),
  },
  {
    name: "co2_hotspots",
    title: "Where a plan's CO2 comes from",
    description:
      "The distribution centres, regions and transport modes that emit most CO2 in a plan, and the component (inbound, storage, outbound) behind them.",
    arguments: [
      planArgument,
      {
        name: "scenarioId",
        description: "One scenario to look at, an id from list_plans; omitted: all the plan's scenarios.",
        required: false,
      },
    ],
    text: ({ planId, scenarioId }) =>
      [
        `Find the CO2 hotspots of SIMCEL plan ${q(planId)}${scenarioId ? `, scenario ${q(scenarioId)}` : ""}.`,
        `Call get_sustainability with planId ${q(planId)}${scenarioId ? `, scenarioIds [${q(scenarioId)}]` : ""} and interval "FY", once with groupBy "dc", once with "region" and once with "transport_mode".`,
        "Name the three largest emitters of each breakdown with their tCO2e and share of the total, and say whether inbound, storage or outbound dominates in the summary.",
        "Suggest where a change would cut most CO2, and say how old the figures are (meta.generatedAt).",
      ].join(" "),
  },
];

const byName = new Map(PROMPTS.map((p) => [p.name, p]));

/** The prompt called `name`, or undefined. */
export const promptNamed = (name: string) => byName.get(name);

const listed = (p: PromptDefinition): Prompt => ({
  name: p.name,
  title: p.title,
  description: p.description,
  arguments: p.arguments.map(({ name, description, required }) => ({ name, description, required })),
  icons: ITEM_ICONS,
});

/** The message of prompt `name` with `args`; a protocol error naming what to fix when it cannot be built. */
export function getPrompt(name: string, args: Record<string, string> = {}): GetPromptResult {
  const prompt = byName.get(name);
  if (!prompt)
    throw new McpError(ErrorCode.InvalidParams, `Unknown prompt ${name}; prompts: ${[...byName.keys()].join(", ")}`);
  const accepted = prompt.arguments.map((a) => a.name as string);
  for (const key of Object.keys(args))
    if (!accepted.includes(key))
      throw new McpError(
        ErrorCode.InvalidParams,
        `${key} is not an argument of the prompt ${name}; accepted: ${accepted.join(", ")}`,
      );
  for (const a of prompt.arguments)
    if (a.required && !args[a.name]?.trim())
      throw new McpError(ErrorCode.InvalidParams, `The prompt ${name} needs ${a.name}: ${a.description}`);
  return {
    description: prompt.description,
    messages: [{ role: "user", content: { type: "text", text: prompt.text(args) } }],
  };
}

/** Adds the prompts capability and its handlers to `server` (before it connects). */
export function registerPrompts(server: Server): void {
  server.registerCapabilities({ prompts: { listChanged: false } });
  server.setRequestHandler(ListPromptsRequestSchema, async () => ({ prompts: PROMPTS.map(listed) }));
  server.setRequestHandler(GetPromptRequestSchema, async (request) =>
    getPrompt(request.params.name, request.params.arguments),
  );
}
