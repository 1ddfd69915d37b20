// Tools the project runs but does not depend on, because they want Node >= 22 while the workspace is held to
// Node 20 (scripts/check-engines.mjs): the official MCP conformance suite and the MCP Inspector. Their versions,
// and those of everything they pull in, are pinned by scripts/node22-tools/package-lock.json (one home: CI installs
// exactly what was reviewed, whatever the registry published since). They are installed once, on first use, with
// `npm ci` under node_modules/.cache/node22-tools/<lockfile hash> (≈ 10 s, npm registry only), and run with the Node
// 22 binary of the matrix (scripts/node-matrix.mjs).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { installOnce } from "./install-once.mjs";
import { nodeBinary } from "./node-matrix.mjs";
import { repoRoot } from "./prism.mjs";

const source = resolve(repoRoot, "scripts/node22-tools");

/** The folder the tools are installed in, made with `npm ci` if it is not there yet (once: see install-once.mjs). */
function installed() {
  const lock = readFileSync(resolve(source, "package-lock.json"));
  const hash = createHash("sha256").update(lock).digest("hex").slice(0, 16);
  return installOnce(resolve(repoRoot, "node_modules/.cache/node22-tools", hash), "node_modules", (dir) => {
    for (const file of ["package.json", "package-lock.json"]) copyFileSync(resolve(source, file), resolve(dir, file));
    const install = spawnSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, npm_config_update_notifier: "false" },
    });
    if (install.status !== 0)
      throw new Error(`npm ci of scripts/node22-tools failed:\n${install.stdout}${install.stderr}`);
  });
}

/**
 * A tool of scripts/node22-tools, installed if needed: `node` (the Node 22 binary) and `script` (the JS file of its
 * `bin`, by name or the only one), to run as `spawn(node, [script, ...args])`.
 * @param {string} name the package, e.g. `@modelcontextprotocol/conformance`
 * @param {string} [bin] which of its executables, when it has several
 * @returns {{ node: string, script: string, version: string }}
 */
export function node22Tool(name, bin) {
  const wanted = JSON.parse(readFileSync(resolve(source, "package.json"), "utf8")).dependencies?.[name];
  if (!wanted) throw new Error(`scripts/node22-tools/package.json does not list ${name}`);
  const manifestPath = resolve(installed(), "node_modules", name, "package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  const bins = typeof manifest.bin === "string" ? { [name]: manifest.bin } : (manifest.bin ?? {});
  const entry = bin ? bins[bin] : Object.values(bins)[0];
  if (!entry) throw new Error(`${name}@${manifest.version} has no executable ${bin ?? ""}`.trim());
  return { node: nodeBinary(22), script: resolve(dirname(manifestPath), entry), version: manifest.version };
}
