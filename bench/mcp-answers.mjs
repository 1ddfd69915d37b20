#!/usr/bin/env node
// How large simcel-mcp's tool answers are, for a model's context: each tool on the sandbox's default seed (first
// plan), its text in bytes and estimated tokens (bytes / 4) without a cap, under the default cap, and as
// format "table" under the cap. The built `simcel-mcp` on stdio, driven by the SDK's client. Prints numbers;
// judges nothing. Run after `pnpm build`.
import { resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const root = resolve(import.meta.dirname, "..");
const { startSandbox } = await import(resolve(root, "packages/sandbox/dist/index.js"));
const server = resolve(root, "packages/mcp/dist/bin.js");
const KEY = "sk_test_FAKE_bench_answers_0000000";

const sandbox = await startSandbox({});
sandbox.createApiKey({ key: KEY });
const planId = sandbox.plans[0].id;

/** A connected client of the built server with `args`. */
async function connect(args) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [server, ...args],
    env: { PATH: process.env.PATH ?? "", SIMCEL_API_KEY: KEY, SIMCEL_BASE_URL: sandbox.url },
    stderr: "ignore",
  });
  const client = new Client({ name: "bench", version: "0" });
  await client.connect(transport);
  return client;
}

const CALLS = [
  ["list_plans", {}],
  ["get_pnl_summary", { planId }],
  ["get_pnl_summary", { planId, interval: "M" }],
  ["get_demand_forecast", { planId }],
  ["get_demand_forecast", { planId, groupBy: "sku" }],
  ["get_demand_forecast", { planId, interval: "D", groupBy: "sku" }],
  ["get_sustainability", { planId }],
  ["get_sustainability", { planId, interval: "M", groupBy: "transport_mode" }],
  ["compare_scenarios", { planId }],
];
const TABLE_TOOLS = new Set(["get_pnl_summary", "get_demand_forecast", "get_sustainability"]);

/** Bytes of the answer's text, and whether it was cut. */
async function size(client, name, args) {
  const result = await client.callTool({ name, arguments: args });
  if (result.isError) throw new Error(`${name}: ${result.content[0]?.text}`);
  return { bytes: Buffer.byteLength(result.content[0].text), cut: "truncated" in (result.structuredContent ?? {}) };
}
const shown = (s) =>
  s
    ? `${s.bytes.toLocaleString("en")} B ≈ ${Math.round(s.bytes / 4).toLocaleString("en")} tok${s.cut ? " (cut)" : ""}`
    : "—";

const uncapped = await connect(["--max-result-bytes", String(1e9)]);
const capped = await connect([]);
const rows = [];
try {
  for (const [name, args] of CALLS) {
    const whole = await size(uncapped, name, args);
    const cap = await size(capped, name, args);
    const table = TABLE_TOOLS.has(name) ? await size(capped, name, { ...args, format: "table" }) : undefined;
    const { planId: _, ...rest } = args;
    rows.push([`${name} ${JSON.stringify(rest)}`, shown(whole), shown(cap), shown(table)]);
  }
} finally {
  await uncapped.close();
  await capped.close();
  await sandbox.close();
}
const head = ["tool and arguments (seed 1, first plan)", "no cap", "default cap (100 kB)", 'format "table", cap'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
for (const row of [head, ...rows]) console.log(row.map((c, i) => c.padEnd(widths[i])).join("  "));
