#!/usr/bin/env node
// Checks that each published package's `exports` map matches what the build emits: publint (package.json
// against the files) and attw --pack (types resolve under node10, node16 CJS/ESM and bundler).
// The executables (the CLI, the MCP server) ship a bin and no types: publint only.
// Run after the build.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { repoRoot } from "./prism.mjs";

const libraries = ["auth", "insights"];
const executables = ["cli", "mcp"];
const publint = ["publint", ["--strict"]];
const attw = ["attw", ["--pack", ".", "--format", "table-flipped"]];
let failed = 0;
for (const pkg of [...libraries, ...executables]) {
  const dir = resolve(repoRoot, "packages", pkg);
  for (const [tool, args] of libraries.includes(pkg) ? [publint, attw] : [publint]) {
    const result = spawnSync(resolve(repoRoot, "node_modules/.bin", tool), args, { cwd: dir, encoding: "utf8" });
    const out = `${result.stdout}${result.stderr}`.trim();
    const ok = result.status === 0;
    if (!ok) failed++;
    console.log(`${ok ? "✓" : "✖"} @simcel/${pkg} ${tool}${ok ? "" : `\n${out}`}`);
  }
}
process.exit(failed > 0 ? 1 : 0);
