#!/usr/bin/env node
// Lists installed packages whose `engines.node` excludes the running Node (pnpm does not enforce it),
// and fails if any is found: such a package may crash at run time (see shared toolchain notes).
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import semver from "semver";
import { repoRoot } from "./prism.mjs";

const store = resolve(repoRoot, "node_modules/.pnpm");
// Test-only packages whose `engines` asks for more than they need: each is exercised on every Node of the matrix by
// the test named here, so a crash on Node 20 would fail that test. Never a package any published one depends on.
const provenByTest = {
  "@ai-sdk/mcp": "packages/mcp/test/ai-sdk.contract.test.ts",
  "@ai-sdk/provider-utils": "packages/mcp/test/ai-sdk.contract.test.ts (through @ai-sdk/mcp)",
  "@ai-sdk/provider": "packages/mcp/test/ai-sdk.contract.test.ts (through @ai-sdk/mcp)",
};
const bad = [];
let checked = 0;
for (const entry of readdirSync(store)) {
  const modules = join(store, entry, "node_modules");
  let names;
  try {
    names = readdirSync(modules).flatMap((n) =>
      n.startsWith("@") ? readdirSync(join(modules, n)).map((m) => `${n}/${m}`) : [n],
    );
  } catch {
    continue;
  }
  for (const name of names) {
    let pkg;
    try {
      pkg = JSON.parse(readFileSync(join(modules, name, "package.json"), "utf8"));
    } catch {
      continue;
    }
    // Only the package this store entry is for, not its linked dependencies.
    if (!entry.startsWith(`${name.replace("/", "+")}@`)) continue;
    if (pkg.name in provenByTest) continue;
    checked++;
    const range = pkg.engines?.node;
    if (range && semver.validRange(range) && !semver.satisfies(process.version, range, { includePrerelease: true })) {
      bad.push(`${pkg.name}@${pkg.version} wants node ${range}`);
    }
  }
}
if (bad.length > 0) {
  console.error(`engines: ${bad.length} of ${checked} installed packages do not support Node ${process.version}:`);
  for (const line of bad) console.error(`  ${line}`);
  console.error("Pin an older release in pnpm-workspace.yaml `overrides`.");
  process.exit(1);
}
console.log(`engines: all ${checked} installed packages support Node ${process.version}`);
