#!/usr/bin/env node
import { matrixMajors, nodeBinary } from "./node-matrix.mjs";
// Installs, ahead of the tests that use them, the tools fetched on first use: the Node 22 tools (the MCP
// conformance suite and Inspector, scripts/node22-tools.mjs) and the Node binaries of the matrix
// (scripts/node-matrix.mjs). On a new machine the Inspector's install took 85–90 s inside one test; `pnpm test`
// starts this at once, so the install overlaps the quick checks and the build. Each install is the one its user
// would make (install-once.mjs: a process that asks meanwhile installs apart and renames into place), so a
// failure here only means the tests install it themselves, and say so if they cannot.
import { node22Tool } from "./node22-tools.mjs";

const tools = [["@modelcontextprotocol/inspector", "mcp-inspector"], ["@modelcontextprotocol/conformance"]];
const jobs = [
  ...tools.map(
    ([name, bin]) =>
      () =>
        node22Tool(name, bin),
  ),
  ...matrixMajors().map((m) => () => nodeBinary(m)),
];
let failed = 0;
for (const job of jobs) {
  try {
    job();
  } catch (error) {
    failed++;
    console.error(`prefetch: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
}
process.exitCode = failed ? 1 : 0;
