// Tools the project runs but does not depend on, because they want Node >= 22 while the workspace is held to
// Node 20 (scripts/check-engines.mjs): the official MCP conformance suite and the MCP Inspector. Their versions
// are pinned in the `catalog:` of pnpm-workspace.yaml (one home for versions); each is installed once, on
// first use, under node_modules/.cache/node22-tools (≈ 5–10 s, npm registry only) and run with the Node 22
// binary of the matrix (scripts/node-matrix.mjs).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse } from "yaml";
import { nodeBinary } from "./node-matrix.mjs";
import { repoRoot } from "./prism.mjs";

/** The version the workspace catalog pins for `name`. */
export function catalogVersion(name) {
  const workspace = parse(readFileSync(resolve(repoRoot, "pnpm-workspace.yaml"), "utf8"));
  const version = workspace?.catalog?.[name];
  if (typeof version !== "string" && typeof version !== "number")
    throw new Error(`pnpm-workspace.yaml has no catalog entry for ${name}`);
  return String(version);
}

/**
 * A tool of the catalog, installed if needed: `node` (the Node 22 binary) and `script` (the JS file of its
 * `bin`, by name or the only one), to run as `spawn(node, [script, ...args])`.
 * @param {string} name the package, e.g. `@modelcontextprotocol/conformance`
 * @param {string} [bin] which of its executables, when it has several
 * @returns {{ node: string, script: string, version: string }}
 */
export function node22Tool(name, bin) {
  const version = catalogVersion(name);
  const prefix = resolve(repoRoot, "node_modules/.cache/node22-tools", `${name.replace("/", "+")}@${version}`);
  const manifestPath = resolve(prefix, "node_modules", name, "package.json");
  if (!existsSync(manifestPath)) {
    rmSync(prefix, { recursive: true, force: true });
    mkdirSync(prefix, { recursive: true });
    const install = spawnSync(
      "npm",
      ["install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", prefix, `${name}@${version}`],
      { encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false" } },
    );
    if (install.status !== 0 || !existsSync(manifestPath))
      throw new Error(`installing ${name}@${version} failed:\n${install.stdout}${install.stderr}`);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  const bins = typeof manifest.bin === "string" ? { [name]: manifest.bin } : (manifest.bin ?? {});
  const entry = bin ? bins[bin] : Object.values(bins)[0];
  if (!entry) throw new Error(`${name}@${version} has no executable ${bin ?? ""}`.trim());
  return { node: nodeBinary(22), script: resolve(dirname(manifestPath), entry), version };
}
