#!/usr/bin/env node
// Checks that each published package's `exports` map matches what the build emits: publint (package.json
// against the files) and, for packages that ship types, attw --pack (types resolve under node10, node16 CJS/ESM
// and bundler). Every non-private workspace package is checked. Run after the build.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { repoRoot } from "./prism.mjs";
import { publishedPackages } from "./workspace.mjs";

let failed = 0;
for (const { dir, name, manifest } of publishedPackages()) {
  const tools = [["publint", ["--strict"]]];
  if (manifest.types || JSON.stringify(manifest.exports ?? {}).includes('"types"'))
    tools.push(["attw", ["--pack", ".", "--format", "table-flipped"]]);
  for (const [tool, args] of tools) {
    const result = spawnSync(resolve(repoRoot, "node_modules/.bin", tool), args, { cwd: dir, encoding: "utf8" });
    const out = `${result.stdout}${result.stderr}`.trim();
    const ok = result.status === 0;
    if (!ok) failed++;
    console.log(`${ok ? "✓" : "✖"} ${name} ${tool}${ok ? "" : `\n${out}`}`);
  }
}
process.exit(failed > 0 ? 1 : 0);
