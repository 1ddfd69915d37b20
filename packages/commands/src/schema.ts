// Reading the generated JSON Schemas: the few fields the table derives flags, help and model-facing
// text from. The schemas themselves stay as the generator wrote them.

/** A JSON Schema object, as generated from the spec (read-only, any keyword). */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** The keywords of one parameter's schema that people and models are told about. */
export interface ParameterFacts {
  type: "string" | "array";
  enum?: readonly string[];
  default?: string;
  maxItems?: number;
  format?: string;
  description?: string;
  items?: JsonSchema;
}

/** The facts of `schema`, a parameter's JSON Schema. */
export function parameterFacts(schema: JsonSchema): ParameterFacts {
  const facts: ParameterFacts = { type: schema.type === "array" ? "array" : "string" };
  if (Array.isArray(schema.enum)) facts.enum = schema.enum as string[];
  if (typeof schema.default === "string") facts.default = schema.default;
  if (typeof schema.maxItems === "number") facts.maxItems = schema.maxItems;
  if (typeof schema.format === "string") facts.format = schema.format;
  if (typeof schema.description === "string") facts.description = schema.description;
  if (schema.items && typeof schema.items === "object") facts.items = schema.items as JsonSchema;
  return facts;
}

/** The values of an enum with the default first: `FY|M` reads as "FY, or M". */
export function defaultFirst(facts: ParameterFacts): string[] {
  const values = [...(facts.enum ?? [])];
  return facts.default && values.includes(facts.default)
    ? [facts.default, ...values.filter((v) => v !== facts.default)]
    : values;
}

/** `a, b or c`. */
export function orList(words: readonly string[]): string {
  return words.length < 2 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} or ${words.at(-1)}`;
}
