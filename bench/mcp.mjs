#!/usr/bin/env node
// The MCP server as a host runs it: spawn `simcel-mcp` on stdio, connect the SDK's client, list the
// tools — the start time — then make a round of tool calls against the Prism mock and read the
// server's resident memory (Linux /proc). Prints numbers; judges nothing. Run after `pnpm build`.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { startPrism } from "../scripts/prism.mjs";

const server = fileURLToPath(new URL("../packages/mcp/dist/bin.js", import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 10);
const kib = (pid, field) =>
  Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);

const prism = await startPrism();
const starts = [];
const rss = [];
const peak = [];
try {
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [server],
      env: { PATH: process.env.PATH ?? "", SIMCEL_BASE_URL: prism.url, SIMCEL_API_KEY: "sk_test_FAKE_bench" },
      stderr: "ignore",
    });
    const client = new Client({ name: "bench", version: "0" });
    await client.connect(transport);
    await client.listTools();
    starts.push(performance.now() - started);
    for (const [name, args] of [
      ["list_plans", {}],
      ["get_pnl_summary", { planId: "plan_9xKz2" }],
      ["get_demand_forecast", { planId: "plan_9xKz2", interval: "M" }],
      ["get_sustainability", { planId: "plan_9xKz2" }],
      ["compare_scenarios", { planId: "plan_9xKz2" }],
    ]) {
      const result = await client.callTool({ name, arguments: args });
      if (result.isError) throw new Error(`${name}: ${result.content[0]?.text}`);
    }
    rss.push(kib(transport.pid, "VmRSS") / 1024);
    peak.push(kib(transport.pid, "VmHWM") / 1024);
    await client.close();
  }
} finally {
  await prism.stop();
}
const median = (xs) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)];
const range = (xs, digits) =>
  `median ${median(xs).toFixed(digits)}, min ${Math.min(...xs).toFixed(digits)}, max ${Math.max(...xs).toFixed(digits)}`;
console.log(`simcel-mcp start (spawn → tools listed): ${range(starts, 0)} ms over ${runs} runs`);
console.log(
  `simcel-mcp RSS after 5 tool calls: ${range(rss, 1)} MiB (peak ${range(peak, 1)} MiB), node ${process.version}`,
);
