// What a model reads about each tool, as a real MCP client lists it: descriptions that agree with the schemas they
// sit beside. A description copied from the HTTP reference contradicts a JSON argument ("comma-separated" on an
// array), points at a route the model cannot call instead of the tool that answers it, or repeats a note on every
// argument; and an enum that survives only in prose is one the model cannot pick from.
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { operationSchemas } from "@simcel/commands";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectInMemory, type InMemoryConnection } from "./in-memory.js";

let on: InMemoryConnection;
let tools: Tool[];
beforeAll(async () => {
  // no credential: the server still lists every tool
  on = await connectInMemory({});
  tools = (await on.client.listTools()).tools;
});
afterAll(async () => {
  await on?.close();
});

type Property = { type?: unknown; description?: string; enum?: string[]; default?: unknown; items?: Property };
const propertiesOf = (tool: Tool) => (tool.inputSchema.properties ?? {}) as Record<string, Property>;
/** Every description of a tool: its own and each argument's. */
const textsOf = (tool: Tool): Array<[string, string]> => [
  ["(tool)", tool.description ?? ""],
  ...Object.entries(propertiesOf(tool)).map(([name, p]): [string, string] => [name, p.description ?? ""]),
];
/** A route of the HTTP API, or a method and a path: what a model cannot call. */
const HTTP_ROUTE = /\b(GET|POST|PUT|PATCH|DELETE)\s+\/|\/(insights|auth|oauth)\/v\d|https?:\/\//;

describe("tool descriptions agree with their schemas", () => {
  it("lists tools with described arguments", () => {
    expect(tools.length).toBeGreaterThan(0);
    for (const tool of tools)
      for (const [name, text] of textsOf(tool)) expect(text.length, `${tool.name} ${name}`).toBeGreaterThan(10);
  });

  it("no description of an array argument calls it comma-separated; no string argument is called an array", () => {
    for (const tool of tools)
      for (const [name, p] of Object.entries(propertiesOf(tool))) {
        if (p.type === "array") expect(p.description, `${tool.name}.${name}`).not.toMatch(/comma[- ]?separated/i);
        else expect(p.description, `${tool.name}.${name}`).not.toMatch(/\b(an|as an) array\b/i);
      }
  });

  it("descriptions name tools, never HTTP routes; every tool they name exists", () => {
    const names = new Set(tools.map((t) => t.name));
    for (const tool of tools)
      for (const [name, text] of textsOf(tool)) {
        expect(text, `${tool.name} ${name}`).not.toMatch(HTTP_ROUTE);
        for (const named of text.match(/\b(list|get|compare)_[a-z_]+\b/g) ?? [])
          expect(names, `${tool.name} ${name} names ${named}`).toContain(named);
      }
  });

  it("notes on inferred rules are one line of the tool description, not on each argument", () => {
    for (const tool of tools) {
      for (const [name, p] of Object.entries(propertiesOf(tool)))
        expect(p.description, `${tool.name}.${name}`).not.toMatch(/inferred|guessed|not enforced/i);
      expect((tool.description?.match(/inferred/gi) ?? []).length, tool.name).toBeLessThanOrEqual(1);
    }
  });

  it("every enum the API takes is in the schema, and a default or value a description quotes is one of its values", () => {
    const bySpec: Record<string, keyof typeof operationSchemas> = {
      get_pnl_summary: "getPnlSummary",
      get_demand_forecast: "getDemandForecast",
      get_sustainability: "getSustainability",
      compare_scenarios: "getPnlSummary",
    };
    for (const tool of tools) {
      const spec = bySpec[tool.name] ? operationSchemas[bySpec[tool.name]!].parameters.properties : {};
      for (const [name, p] of Object.entries(propertiesOf(tool))) {
        const specEnum = (spec as Record<string, { enum?: string[] }>)[name]?.enum;
        if (specEnum) expect(p.enum, `${tool.name}.${name}`).toEqual(specEnum);
        if (!p.enum) continue;
        const omitted = /Omitted: "([^"]+)"/.exec(p.description ?? "")?.[1];
        if (omitted !== undefined) expect(p.default, `${tool.name}.${name} default`).toBe(omitted);
        for (const value of p.description?.match(/"([^"]+)"/g) ?? [])
          expect(p.enum, `${tool.name}.${name} quotes ${value}`).toContain(value.slice(1, -1));
      }
    }
  });
});
