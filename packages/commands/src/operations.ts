// The one command table of the `simcel` CLI and the SIMCEL MCP server. Each entry is one operation:
// its CLI command and MCP tool names, a summary for people, a description for a model, its
// parameters (their names, types, enums, limits and descriptions come from the spec through
// src/generated/schemas.ts) and how to run it on an InsightsClient. The CLI derives its flags, help
// and argument checks from it, the MCP server its tools' input and output schemas: adding an
// operation is one entry here (plus its view in the CLI).
import {
  operations as apiOperations,
  type CallOptions,
  chooseBaseScenario,
  compareScenarios,
  type DemandForecast,
  type DemandForecastParams,
  type InsightsClient,
  type Plan,
  type PlansResponse,
  type PnlSummary,
  type PnlSummaryParams,
  type ScenarioComparison,
  type Sustainability,
  type SustainabilityParams,
} from "@simcel/insights";
import { argumentDescription, INTERVAL_WORDS, inferredRulesLine } from "./descriptions.js";
import { componentSchemas, operationSchemas } from "./generated/schemas.js";
import { CommandInputError } from "./input-error.js";
import { defaultFirst, type JsonSchema, orList, type ParameterFacts, parameterFacts } from "./schema.js";

/** An operation of the spec the table builds on. */
export type SpecOperationId = keyof typeof operationSchemas;

/** The InsightsClient methods a command may call; CLI spinners and logs label each call by it. */
export type ClientCall = "listPlans" | "getPlan" | "getPnlSummary" | "getDemandForecast" | "getSustainability";

/** What the caller lends a running command. */
export interface RunContext {
  /** Cancels the command's API calls (an MCP request's signal, say). */
  signal?: AbortSignal;
  /** Wraps each API call, e.g. in a spinner or a log line. Default: runs it. */
  step?: <T>(call: ClientCall, task: () => Promise<T>) => Promise<T>;
}

/** One parameter of an operation, as the CLI and the MCP server both see it. */
export interface Parameter {
  /** The API name (`planId`), which is also the MCP tool argument's name. */
  readonly name: string;
  readonly required: boolean;
  /** Its JSON Schema: the spec's, for an API parameter. */
  readonly schema: JsonSchema;
  readonly facts: ParameterFacts;
  /** The CLI flag, without dashes (`plan`). */
  readonly flag: string;
  /** Placeholder of the value in CLI help: `ID`, or the enum with its default first (`FY|M`). */
  readonly value: string;
  /** The value in the CLI usage line: the enum's values, else the placeholder. */
  readonly usageValue: string;
  /** One line of CLI help. */
  readonly help: string;
}

/** One operation: a `simcel` command and an MCP tool. */
export interface Operation<Outcome = unknown> {
  /** The CLI command, `simcel <command>`. */
  readonly command: string;
  /** The MCP tool name. */
  readonly tool: string;
  /** The MCP tool's title, for people picking tools in a host. */
  readonly title: string;
  /** The spec operation whose parameters (and response, for the data tools) this one takes. */
  readonly operationId: SpecOperationId;
  /** The scope its API calls need. */
  readonly scope: string;
  /** `coming-soon` for an endpoint SIMCEL has announced but not shipped. */
  readonly availability?: string;
  /** One line for people (CLI help). */
  readonly summary: string;
  /** For a model choosing and calling the tool: what the fields mean, units, limits, formats. */
  readonly description: string;
  /** In help order. */
  readonly parameters: readonly Parameter[];
  /** The MCP tool input schema: the parameters' JSON Schemas in one object schema. */
  readonly inputSchema: JsonSchema;
  /** The MCP tool output schema: the spec's 200 response (the comparison's own shape for compare). */
  readonly outputSchema: JsonSchema;
  /** Runs the operation with API-shaped parameters (arrays for list parameters). */
  run(client: InsightsClient, params: Record<string, unknown>, context?: RunContext): Promise<Outcome>;
  /** The structured result a tool returns (valid against `outputSchema`). */
  structured(outcome: Outcome): Record<string, unknown>;
}

/** How people see an API parameter on the command line; in help order. */
const LOOKS: Record<string, { flag: string; value?: string; help: (f: ParameterFacts) => string }> = {
  planId: { flag: "plan", value: "ID", help: () => "plan id, as listed by `simcel plans`" },
  baseScenarioId: {
    flag: "base",
    value: "SCENARIO",
    help: () => "base scenario id (default: the plan's committed, else primary, else first scenario)",
  },
  scenarioIds: {
    flag: "scenarios",
    value: "A,B,C",
    help: (f) => `up to ${f.maxItems} scenario ids, comma-separated (default: the plan's)`,
  },
  interval: {
    flag: "interval",
    help: (f) =>
      `${orList(defaultFirst(f).map((v) => INTERVAL_WORDS[v] ?? v))}${f.default ? ` (default ${f.default})` : ""}`,
  },
  groupBy: {
    flag: "group-by",
    value: "DIM",
    help: (f) => `${orList(defaultFirst(f))}${f.default ? ` (default ${f.default})` : ""}`,
  },
  dateFrom: { flag: "from", value: "DATE", help: () => "first day, YYYY-MM-DD" },
  dateTo: { flag: "to", value: "DATE", help: () => "last day, YYYY-MM-DD" },
  currency: { flag: "currency", value: "XXX", help: () => "ISO 4217 currency (default: the plan's)" },
};

/** The parameters of `operationId` (less `omit`, plus `extra`), in help order. */
function parametersOf(
  operationId: SpecOperationId,
  { omit = [], extra = {} }: { omit?: string[]; extra?: Record<string, JsonSchema> } = {},
): Parameter[] {
  const spec = operationSchemas[operationId].parameters;
  const schemas: Record<string, JsonSchema> = { ...spec.properties, ...extra };
  const names = Object.keys(schemas).filter((n) => !omit.includes(n));
  for (const name of names)
    if (!LOOKS[name]) throw new Error(`[@simcel/commands] ${operationId}: parameter ${name} has no CLI flag in LOOKS`);
  return Object.keys(LOOKS)
    .filter((name) => names.includes(name))
    .map((name) => {
      const look = LOOKS[name]!;
      const schema = schemas[name]!;
      const facts = parameterFacts(schema);
      const choices = defaultFirst(facts).join("|");
      return {
        name,
        required: (spec.required as readonly string[]).includes(name),
        schema,
        facts,
        flag: look.flag,
        value: look.value ?? choices,
        usageValue: choices || (look.value ?? name),
        help: look.help(facts),
      };
    });
}

/**
 * A parameter's schema as an agent's host sees it: described for a model (descriptions.ts), and without the rules
 * the spec only infers (`x-simcel-inferred`) — an inferred rule must never stop a call the API would take, as the
 * client only warns about them; the tool's description names them in one line. Enums and defaults stay: they are
 * the values the API takes, and a model picks from the schema.
 */
function servedSchema(name: string, schema: JsonSchema): JsonSchema {
  const inferred = (schema["x-simcel-inferred"] ?? []) as string[];
  const { "x-simcel-inferred": _, ...served } = schema as Record<string, unknown>;
  for (const key of inferred) {
    const [head, sub] = key.split(".") as [string, string | undefined];
    const rule = sub ?? head;
    if (rule === "default" || rule === "enum" || rule === "required") continue;
    if (sub) {
      const { [rule]: _dropped, ...items } = served[head] as Record<string, unknown>;
      served[head] = items;
    } else delete served[rule];
  }
  // the MCP server asks for a longer list in batches the API takes (packages/mcp/src/scenario-batches.ts)
  if (name === "scenarioIds") delete served.maxItems;
  served.description = argumentDescription(name, parameterFacts(schema));
  return served as JsonSchema;
}

/** The MCP input schema of `parameters`. */
function inputSchemaOf(parameters: readonly Parameter[]): JsonSchema {
  return {
    type: "object",
    properties: Object.fromEntries(parameters.map((p) => [p.name, servedSchema(p.name, p.schema)])),
    required: parameters.filter((p) => p.required).map((p) => p.name),
    additionalProperties: false,
  };
}

/** The common shape of an entry before its parameters and schemas are derived. */
interface Entry<Outcome> {
  command: string;
  tool: string;
  title: string;
  operationId: SpecOperationId;
  summary: string;
  description: string;
  parameters?: { omit?: string[]; extra?: Record<string, JsonSchema> };
  outputSchema?: JsonSchema;
  run: Operation<Outcome>["run"];
  structured?: (outcome: Outcome) => Record<string, unknown>;
}

function defineOperation<Outcome>(entry: Entry<Outcome>): Operation<Outcome> {
  const parameters = parametersOf(entry.operationId, entry.parameters);
  const api = apiOperations[entry.operationId] as { scope: string; availability?: string };
  return {
    command: entry.command,
    tool: entry.tool,
    title: entry.title,
    operationId: entry.operationId,
    scope: api.scope,
    ...(api.availability ? { availability: api.availability } : {}),
    summary: entry.summary,
    description: [entry.description, inferredRulesLine(parameters), availabilityNote(api.availability)]
      .filter(Boolean)
      .join(" "),
    parameters,
    inputSchema: inputSchemaOf(parameters),
    outputSchema: entry.outputSchema ?? (operationSchemas[entry.operationId].response as JsonSchema),
    run: entry.run,
    structured: entry.structured ?? ((outcome) => outcome as Record<string, unknown>),
  };
}

const callOptions = (context: RunContext): CallOptions => (context.signal ? { signal: context.signal } : {});
const stepOf = (context: RunContext) => context.step ?? (<T>(_: ClientCall, task: () => Promise<T>) => task());

// Facts the descriptions quote, read from the spec so they never drift from it.
const pnlParams = operationSchemas.getPnlSummary.parameters.properties;
const demandParams = operationSchemas.getDemandForecast.parameters.properties;
const co2Params = operationSchemas.getSustainability.parameters.properties;
const maxScenarios = pnlParams.scenarioIds.maxItems;
const periodFormats = componentSchemas.Period.description;
const freshness =
  "`meta.generatedAt` is when SIMCEL last simulated the plan (data freshness): say how old the figures are, and treat them as missing when it is absent (a scenario without computed output).";
/** The parameters every data operation shares, said for a model. */
const common = (f: ParameterFacts) =>
  `Pass \`scenarioIds\` as an array of ids from list_plans (omit it for all the plan's scenarios); SIMCEL answers at most ${maxScenarios} per request, so a longer list takes one request per ${maxScenarios}. \`dateFrom\`/\`dateTo\` are calendar dates YYYY-MM-DD, dateFrom not after dateTo; omit both for the whole plan horizon. \`interval\`: ${orList(f.enum ?? [])} (default ${f.default}).`;
/** What the spec says of the operation itself, then what a model should know beyond it. */
const forModel = (id: SpecOperationId, ...notes: string[]) => [operationSchemas[id].description, ...notes].join(" ");
/** What a model must tell its user of an operation's availability; last in its description. */
const availabilityNote = (availability: string | undefined) =>
  availability === "coming-soon" ? "When you use its figures, say that SIMCEL has not released this endpoint yet." : "";

/** One scenario id: the items of `scenarioIds`, with the rules the spec infers of them. */
const scenarioId: JsonSchema = {
  ...(pnlParams.scenarioIds.items as JsonSchema),
  "x-simcel-inferred": ((pnlParams.scenarioIds as JsonSchema)["x-simcel-inferred"] as string[] | undefined)
    ?.filter((key) => key.startsWith("items."))
    .map((key) => key.slice("items.".length)),
};

/** The JSON Schema of `compare_scenarios`' result: the comparison `compareScenarios` returns, with the summary's meta. */
const comparisonSchema: JsonSchema = {
  type: "object",
  required: ["meta", "baseScenarioId", "baseScenarioName", "interval", "currency", "rows"],
  properties: {
    meta: componentSchemas.Meta,
    baseScenarioId: { type: "string", description: "The base scenario every row is compared with." },
    baseScenarioName: { type: "string" },
    interval: componentSchemas.Meta.properties.interval,
    currency: { ...componentSchemas.Meta.properties.currency, description: "Currency of every amount." },
    rows: {
      type: "array",
      description: "One row per compared scenario (and month, for a monthly summary); the base has none.",
      items: {
        type: "object",
        required: ["scenarioId", "scenarioName", "period", "kpis"],
        properties: {
          scenarioId: { type: "string" },
          scenarioName: { type: "string" },
          period: { type: ["string", "null"], description: "The month for a monthly summary; null for a fiscal year." },
          kpis: {
            type: "array",
            items: {
              type: "object",
              required: ["kpi", "percent", "base", "value", "delta", "deltaRatio"],
              properties: {
                kpi: { type: "string", enum: Object.keys(componentSchemas.PnlFigures.properties) },
                percent: {
                  type: "boolean",
                  description: "A *Percent KPI: a decimal 0–1; its delta is in points and deltaRatio is null.",
                },
                base: { type: "number", description: "The base scenario's value." },
                value: { type: "number", description: "This scenario's value." },
                delta: { type: "number", description: "value − base (for a percent KPI, points as a decimal)." },
                deltaRatio: {
                  type: ["number", "null"],
                  description: "delta / |base| as a decimal (0.1 = +10 %); null for a percent KPI or a zero base.",
                },
              },
            },
          },
        },
      },
    },
  },
};

/** What `compare` produces: the comparison and the summary it was computed from. */
export interface CompareOutcome {
  comparison: ScenarioComparison;
  summary: PnlSummary;
}

/** The operations, in help order. */
export const OPERATIONS = {
  plans: defineOperation<PlansResponse>({
    command: "plans",
    tool: "list_plans",
    title: "List SIMCEL plans and scenarios",
    operationId: "listPlans",
    summary: "plans with their scenarios and flags",
    description: `List the SIMCEL plans this credential may read: each plan's id, name, currency and scenarios. Every other tool needs a planId from here, and scenarioIds are the ids of a plan's scenarios. Scenario flags: ${componentSchemas.ScenarioFlag.description} \`actual\` holds actuals (history), \`committed\` is the plan of record.`,
    run: (client, _params, context = {}) => stepOf(context)("listPlans", () => client.listPlans(callOptions(context))),
  }),
  pnl: defineOperation<PnlSummary>({
    command: "pnl",
    tool: "get_pnl_summary",
    title: "P&L summary of a plan's scenarios",
    operationId: "getPnlSummary",
    summary: "P&L summary of a plan's scenarios",
    description: forModel(
      "getPnlSummary",
      "Amounts are in meta.currency; cogsPercent, ebitPercent and dpmPercent are decimals between 0 and 1 (0.3 means 30 %). A monthly series entry's `period` is YYYY-MM.",
      common(parameterFacts(pnlParams.interval)),
      freshness,
    ),
    run: (client, params, context = {}) =>
      stepOf(context)("getPnlSummary", () =>
        client.getPnlSummary(params as unknown as PnlSummaryParams, callOptions(context)),
      ),
  }),
  demand: defineOperation<DemandForecast>({
    command: "demand",
    tool: "get_demand_forecast",
    title: "Demand forecast of a plan's scenarios",
    operationId: "getDemandForecast",
    summary: "demand forecast: volume, value, fill rate, accuracy",
    description: forModel(
      "getDemandForecast",
      "demandVolume is in units and demandValue in meta.currency; both ratios are decimals (0.95 means 95 %). forecastAccuracy is null on the other scenarios: never compare it across what-if scenarios.",
      `Periods: ${periodFormats} \`groupBy\` (${orList(parameterFacts(demandParams.groupBy).enum ?? [])}) splits each period; its rows then carry a groupKey.`,
      common(parameterFacts(demandParams.interval)),
      freshness,
    ),
    run: (client, params, context = {}) =>
      stepOf(context)("getDemandForecast", () =>
        client.getDemandForecast(params as unknown as DemandForecastParams, callOptions(context)),
      ),
  }),
  co2: defineOperation<Sustainability>({
    command: "co2",
    tool: "get_sustainability",
    title: "CO2 emissions of a plan's scenarios (coming soon)",
    operationId: "getSustainability",
    summary: "CO2 emissions in tCO2e (endpoint not yet in production)",
    description: forModel(
      "getSustainability",
      "Each scenario has a summary (inboundCO2, storageCO2, outboundCO2, totalCO2) and a breakdown by `groupBy` " +
        `(${orList(parameterFacts(co2Params.groupBy).enum ?? [])}, default ${parameterFacts(co2Params.groupBy).default}), in tCO2e.`,
      common(parameterFacts(co2Params.interval)),
      freshness,
    ),
    run: (client, params, context = {}) =>
      stepOf(context)("getSustainability", () =>
        client.getSustainability(params as unknown as SustainabilityParams, callOptions(context)),
      ),
  }),
  compare: defineOperation<CompareOutcome>({
    command: "compare",
    tool: "compare_scenarios",
    title: "Compare a plan's scenarios with a base",
    operationId: "getPnlSummary",
    summary: "fiscal-year P&L of scenarios against a base: value, delta, delta %",
    description: `Compares the fiscal-year P&L of a plan's scenarios with a base scenario, KPI by KPI: base value, value, delta = value − base, and deltaRatio = delta / |base| as a decimal (0.1 = +10 %; null when the base is 0). The *Percent KPIs are decimals between 0 and 1: their delta is in points (0.005 = 0.5 percentage points) and deltaRatio is null. Base: \`baseScenarioId\`, else the plan's scenario flagged committed, else the one flagged primary, else its first. \`scenarioIds\` limits the comparison; omit it to compare all the plan's scenarios. SIMCEL answers at most ${maxScenarios} scenarios per request, the base among them: more are compared in batches of ${maxScenarios - 1} besides the base, one request each. Dates YYYY-MM-DD as for get_pnl_summary. ${freshness}`,
    parameters: {
      omit: ["interval"],
      extra: {
        baseScenarioId: {
          ...scenarioId,
          description: "The scenario to compare against (default: the plan's committed, else primary, else first).",
        },
      },
    },
    outputSchema: comparisonSchema,
    async run(client, params, context = {}) {
      const step = stepOf(context);
      const { baseScenarioId, ...query } = params;
      if (baseScenarioId !== undefined && typeof baseScenarioId !== "string")
        throw new CommandInputError(
          "baseScenarioId",
          `baseScenarioId must be a scenario id (got ${JSON.stringify(baseScenarioId)})`,
        );
      let base = baseScenarioId;
      if (base === undefined) {
        // The P&L response carries no flags: the plan says which scenario is the committed one.
        const plan: Plan = await step("getPlan", () => client.getPlan(query.planId as string, callOptions(context)));
        base = chooseBaseScenario(plan)?.id;
        if (!base) throw new CommandInputError("planId", `plan ${plan.id} has no scenarios to compare`);
      }
      // The base must be in the summary to compare against it.
      const ids = query.scenarioIds;
      if (Array.isArray(ids)) {
        const withBase = [base, ...ids.filter((s) => s !== base)];
        query.scenarioIds = withBase;
        if (withBase.length > maxScenarios)
          throw new CommandInputError(
            "scenarioIds",
            `scenarioIds and the base ${base} make ${withBase.length} scenarios, the API takes at most ${maxScenarios}: name at most ${maxScenarios - 1} besides the base`,
          );
      }
      const summary = await step("getPnlSummary", () =>
        client.getPnlSummary({ ...query, interval: "FY" } as PnlSummaryParams, callOptions(context)),
      );
      return { comparison: compareScenarios(summary, { baseScenarioId: base }), summary };
    },
    structured: ({ comparison, summary }) => ({ meta: summary.meta, ...comparison }),
  }),
} as const;

/** Every operation, in help order. */
export const OPERATION_LIST: readonly Operation[] = Object.values(OPERATIONS) as readonly Operation[];
