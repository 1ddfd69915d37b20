// How a time-series tool's answer is asked for and written: the KPI fields wanted (`fields`), and the text form
// (`format`: the JSON, or a compact table with one header row). structuredContent always keeps the exact numbers;
// the text rounds ratios for reading and says so. The answer-shaping arguments are the server's own: they never
// reach the API, which has no such parameters.
import { CommandInputError, componentSchemas, type JsonSchema, MODEL_TEXT, type Operation } from "@simcel/commands";

/** The text forms of an answer. */
export const FORMATS = ["json", "table"] as const;
export type AnswerFormat = (typeof FORMATS)[number];

const keysOf = (schema: { properties: object }) => Object.keys(schema.properties);
/** The KPI fields of each time-series tool's rows, from the spec's response components. */
export const KPI_FIELDS: Readonly<Record<string, readonly string[]>> = {
  get_pnl_summary: keysOf(componentSchemas.PnlFigures),
  get_demand_forecast: keysOf(componentSchemas.DemandPoint).filter((k) => k !== "period" && k !== "groupKey"),
  get_sustainability: keysOf(componentSchemas.Co2Figures),
};

/** Keys whose values are ratios (decimals 0–1): rounded in the text form. */
const RATIO = /Percent$|^fillRate$|^forecastAccuracy$|^deltaRatio$/;
/** Decimals a ratio keeps in the text form (0.1234 = 12.34 %). */
export const RATIO_DECIMALS = 4;
const round = (value: number) => Math.round(value * 10 ** RATIO_DECIMALS) / 10 ** RATIO_DECIMALS;

/** The arguments the server itself takes for `op`, beside the API's: none for a tool without KPI fields. */
export function answerArguments(op: Operation): Record<string, JsonSchema> {
  const kpis = KPI_FIELDS[op.tool];
  if (!kpis) return {};
  return {
    fields: {
      type: "array",
      items: { type: "string", enum: [...kpis] },
      minItems: 1,
      uniqueItems: true,
      description: MODEL_TEXT.fields,
    },
    format: { type: "string", enum: [...FORMATS], default: "json", description: MODEL_TEXT.format },
  };
}

/** The tool's input schema as served: the table's, plus the answer-shaping arguments. */
export function servedInputSchema(op: Operation): JsonSchema {
  const extra = answerArguments(op);
  const input = op.inputSchema as { properties: Record<string, JsonSchema> };
  return { ...op.inputSchema, properties: { ...input.properties, ...extra } };
}

/** What a `truncated` mark holds; present only on an answer cut to fit the size cap. */
export const TRUNCATED_SCHEMA: JsonSchema = {
  type: "object",
  description: "Present only when the answer was cut to fit the size cap: what it holds, and how to ask for less.",
  required: ["shown", "advice", "fullBytes", "narrower"],
  properties: {
    shown: { type: "string" },
    advice: { type: "string" },
    fullBytes: { type: "integer" },
    narrower: {
      type: "array",
      items: {
        type: "object",
        required: ["arguments", "bytes", "estimated", "fits"],
        properties: {
          arguments: { type: "object", description: "Arguments to set; the others stay as they were." },
          omit: { type: "array", items: { type: "string" }, description: "Arguments to leave out." },
          bytes: { type: "integer" },
          estimated: { type: "boolean" },
          fits: { type: "boolean" },
        },
      },
    },
  },
};

/** `schema` with `names` out of every `required` list (KPI fields the caller may leave out). */
function optional(schema: unknown, names: ReadonlySet<string>): unknown {
  if (Array.isArray(schema)) return schema.map((s) => optional(s, names));
  if (!schema || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema))
    out[key] =
      key === "required" && Array.isArray(value)
        ? value.filter((n) => !names.has(n))
        : key === "enum" || key === "const"
          ? value
          : optional(value, names);
  return out;
}

/** The tool's output schema as served: KPI fields optional where `fields` may leave them out, and the truncation mark. */
export function servedOutputSchema(op: Operation): JsonSchema {
  const kpis = KPI_FIELDS[op.tool];
  const schema = (kpis ? optional(op.outputSchema, new Set(kpis)) : op.outputSchema) as {
    properties: Record<string, unknown>;
  };
  return { ...schema, properties: { ...schema.properties, truncated: TRUNCATED_SCHEMA } };
}

/** A call's arguments split into the API's and the server's own (`fields`, `format`), the latter checked. */
export function splitArguments(op: Operation, args: Record<string, unknown>) {
  const { fields, format, ...api } = args;
  const kpis = KPI_FIELDS[op.tool];
  if (!kpis) return { api: args, fields: undefined, format: "json" as AnswerFormat };
  if (format !== undefined && !FORMATS.includes(format as AnswerFormat))
    throw new CommandInputError("format", `format must be "json" or "table" (got ${JSON.stringify(format)})`);
  if (
    fields !== undefined &&
    (!Array.isArray(fields) || fields.length === 0 || fields.some((f) => !kpis.includes(f as string)))
  )
    throw new CommandInputError(
      "fields",
      `fields must be a non-empty array of ${kpis.map((k) => `"${k}"`).join(", ")} (got ${JSON.stringify(fields)})`,
    );
  return { api, fields: fields as string[] | undefined, format: (format ?? "json") as AnswerFormat };
}

/** A row with only `keep` of the KPI fields (every other key stays). */
const pickRow = (row: Record<string, unknown>, kpis: readonly string[], keep: ReadonlySet<string>) =>
  Object.fromEntries(Object.entries(row).filter(([key]) => !kpis.includes(key) || keep.has(key)));

/** The answer of `tool` with only the KPI `fields` in each row, summary and P&L. */
export function pickFields(tool: string, answer: Record<string, unknown>, fields: readonly string[] | undefined) {
  const kpis = KPI_FIELDS[tool];
  if (!kpis || !fields) return answer;
  const keep = new Set(fields);
  const pick = (row: unknown) => pickRow(row as Record<string, unknown>, kpis, keep);
  const scenarios = (answer.scenarios as Array<Record<string, unknown>> | undefined)?.map((s) => {
    const out: Record<string, unknown> = { ...s };
    if (Array.isArray(s.series)) out.series = s.series.map(pick);
    if (Array.isArray(s.breakdown)) out.breakdown = s.breakdown.map(pick);
    if (s.pnl) out.pnl = pick(s.pnl);
    if (s.summary) out.summary = pick(s.summary);
    return out;
  });
  return scenarios ? { ...answer, scenarios } : answer;
}

/** Whether `key` of `holder` holds a ratio: a ratio field, or the delta of a percent KPI (points, as a decimal). */
const isRatio = (key: string, holder: unknown) =>
  RATIO.test(key) || (key === "delta" && (holder as { percent?: unknown } | null)?.percent === true);

/** JSON for reading: ratios rounded to {@link RATIO_DECIMALS} decimals; everything else as is. */
export const readableJson = (value: unknown) =>
  JSON.stringify(value, function (this: unknown, key, v) {
    return typeof v === "number" && isRatio(key, this) ? round(v) : v;
  });

/** One CSV cell (RFC 4180 quoting). */
const cell = (value: unknown) => {
  if (value === undefined || value === null) return "";
  const text = typeof value === "number" ? String(value) : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** The rows of a scenario answer: one per series entry, P&L, summary or breakdown row. */
function rowsOf(answer: Record<string, unknown>): Array<Record<string, unknown>> {
  const rows: Array<Record<string, unknown>> = [];
  for (const s of (answer.scenarios as Array<Record<string, unknown>> | undefined) ?? []) {
    const head = { scenarioId: s.scenarioId };
    for (const r of (s.series as Array<Record<string, unknown>> | undefined) ?? []) rows.push({ ...head, ...r });
    if (s.pnl) rows.push({ ...head, ...(s.pnl as object) });
    if (s.summary) rows.push({ ...head, groupKey: "(total)", ...(s.summary as object) });
    for (const r of (s.breakdown as Array<Record<string, unknown>> | undefined) ?? []) rows.push({ ...head, ...r });
  }
  return rows;
}

/** The answer as a table: a comment line with meta and scenario names, one header row, then one row per line. */
export function renderTable(answer: Record<string, unknown>): string {
  const rows = rowsOf(answer);
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  const names = ((answer.scenarios as Array<Record<string, unknown>> | undefined) ?? [])
    .map((s) => `${s.scenarioId} = ${s.scenarioName}`)
    .join("; ");
  const lines = [
    `# meta ${JSON.stringify(answer.meta)}; scenarios: ${names}; ratios rounded to ${RATIO_DECIMALS} decimals (structuredContent has the exact values)`,
    columns.join(","),
    ...rows.map((row) =>
      columns
        .map((c) => {
          const v = row[c];
          return cell(typeof v === "number" && RATIO.test(c) ? round(v) : v);
        })
        .join(","),
    ),
  ];
  const truncated = answer.truncated as { advice: string } | undefined;
  if (truncated) lines.push(`# truncated: ${truncated.advice}`);
  return lines.join("\n");
}

/** The text form of an answer. */
export const renderText = (answer: Record<string, unknown>, format: AnswerFormat) =>
  format === "table" ? renderTable(answer) : readableJson(answer);
