// Every text a model reads about a tool's arguments, in one place. The spec's parameter descriptions are
// written for people reading an HTTP reference (comma-separated lists, routes, "Inferred:" notes); a model
// calling a tool sees JSON arguments and other tools, so each argument is described here against the schema it
// is served with, and the rules the spec only infers are gathered into one line of the tool's description.
import type { JsonSchema, ParameterFacts } from "./schema.js";
import { defaultFirst, orList } from "./schema.js";

/** The words of an interval code. */
export const INTERVAL_WORDS: Readonly<Record<string, string>> = {
  D: "day",
  W: "ISO week",
  M: "month",
  FY: "fiscal year",
};

const GROUP_WORDS: Readonly<Record<string, string>> = {
  dc: "distribution centre",
  transport_mode: "transport mode",
};

const quoted = (values: readonly string[]) => values.map((v) => `"${v}"`);

/** `"M" (month) or "FY" (fiscal year)`, default first. */
const choices = (facts: ParameterFacts, words: Readonly<Record<string, string>> = {}) =>
  orList(defaultFirst(facts).map((v) => (words[v] ? `"${v}" (${words[v]})` : `"${v}"`)));

/** Argument descriptions by name, for a model: what to pass, where it comes from, what omitting it means. */
const ARGUMENTS: Readonly<Record<string, (facts: ParameterFacts) => string>> = {
  planId: () => "The plan's id, from the list_plans tool (for example `plan_9xKz2`).",
  scenarioIds: (f) =>
    `An array of scenario ids of this plan, from the list_plans tool (for example ["scen_a", "scen_b"]). Omit it for all the plan's scenarios. SIMCEL answers at most ${f.maxItems} per request: more are asked for in batches of ${f.maxItems} and merged, one request per batch.`,
  baseScenarioId: () =>
    "The scenario to compare against, an id from the list_plans tool. Omitted: the plan's scenario flagged committed, else primary, else its first.",
  currency: () => "An ISO 4217 code of three capital letters (for example `EUR`). Omitted: the plan's currency.",
  interval: (f) =>
    `Length of each period: ${choices(f, INTERVAL_WORDS)}.${f.default ? ` Omitted: "${f.default}".` : ""}`,
  groupBy: (f) =>
    f.default
      ? `Dimension of the breakdown: ${choices(f, GROUP_WORDS)}. Omitted: "${f.default}".`
      : `Splits each period by ${orList(quoted(f.enum ?? []))}; each row then carries a groupKey. Omitted: no split.`,
  dateFrom: () => "First day included, YYYY-MM-DD. Omit both dateFrom and dateTo for the whole plan horizon.",
  dateTo: () => "Last day included, YYYY-MM-DD; not before dateFrom.",
};

/** The description a model reads for the argument `name` whose schema has `facts`. */
export function argumentDescription(name: string, facts: ParameterFacts): string {
  const describe = ARGUMENTS[name];
  if (!describe) throw new Error(`[@simcel/commands] no model-facing description for the argument ${name}`);
  return describe(facts);
}

/** How a rule the spec only infers reads in the tool's one line about them. */
function ruleText(name: string, key: string, schema: JsonSchema): string | undefined {
  const [head, sub] = key.split(".") as [string, string | undefined];
  const holder = (sub ? schema[head] : schema) as Record<string, unknown> | undefined;
  const rule = sub ?? head;
  const value = holder?.[rule];
  const who = sub ? `each of ${name}` : name;
  switch (rule) {
    case "pattern":
      return `${who} matches ${String(value)}`;
    case "maxLength":
      return `${who} has at most ${String(value)} characters`;
    case "uniqueItems":
      return `${name} holds no id twice`;
    case "default":
      return `${name} defaults to "${String(value)}"`;
    case "enum":
      return `${name} takes ${orList(quoted((value as string[]) ?? []))}`;
    default:
      return `${who} ${rule} ${JSON.stringify(value)}`;
  }
}

/**
 * The one line of a tool's description about the rules its arguments' spec only infers (`x-simcel-inferred`):
 * SIMCEL does not document them, so the tool does not enforce them beyond its schema, and the API has the last
 * word. Empty when none is inferred.
 */
export function inferredRulesLine(parameters: readonly { name: string; schema: JsonSchema }[]): string {
  const rules: string[] = [];
  for (const { name, schema } of parameters) {
    const inferred = (schema["x-simcel-inferred"] ?? []) as string[];
    for (const key of inferred) {
      if (key === "required") continue;
      const text = ruleText(name, key, schema);
      if (text && !rules.includes(text)) rules.push(text);
    }
  }
  return rules.length === 0
    ? ""
    : `Rules SIMCEL does not document, inferred and left for the API to check: ${rules.join("; ")}.`;
}

/** Descriptions of the MCP server's own arguments (not the API's): how to ask for a smaller answer. */
export const MODEL_TEXT = {
  fields:
    "Only these KPI fields in each row, P&L and summary (period, groupKey and the scenario stay). Omitted: every field. Fewer fields make a smaller answer.",
  format:
    'The text form: "json" (the answer as JSON) or "table" (a comment line with meta and scenario names, one header row, then one row per line: fewer tokens). Omitted: "json". Either way, the text rounds ratios to 4 decimals; structuredContent holds the exact values.',
} as const;
