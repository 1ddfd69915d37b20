// Tools the project runs but does not depend on, because they want Node >= 22 while the workspace is held to
// Node 20 (scripts/check-engines.mjs): the official MCP conformance suite and the MCP Inspector. Their versions,
// and those of everything they pull in, are pinned by scripts/node22-tools/package-lock.json (one home: CI installs
// exactly what was reviewed, whatever the registry published since). They are installed once, on first use, with
// `npm ci` under node_modules/.cache/node22-tools/<lockfile hash> (≈ 10 s, npm registry only), and run with the Node
// 22 binary of the matrix (scripts/node-matrix.mjs).
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { nodeBinary } from "./node-matrix.mjs";
import { repoRoot } from "./prism.mjs";

const source = resolve(repoRoot, "scripts/node22-tools");

/**
 * The folder the tools are installed in, made with `npm ci` if it is not there yet. Test files in several workers
 * may ask at once: each installs into a folder of its own and renames it into place; the first rename wins.
 */
function installed() {
  const lock = readFileSync(resolve(source, "package-lock.json"));
  const hash = createHash("sha256").update(lock).digest("hex").slice(0, 16);
  const prefix = resolve(repoRoot, "node_modules/.cache/node22-tools", hash);
  if (existsSync(resolve(prefix, "node_modules"))) return prefix;
  const work = `${prefix}.${process.pid}-${randomBytes(4).toString("hex")}`;
  mkdirSync(work, { recursive: true });
  try {
    for (const file of ["package.json", "package-lock.json"]) copyFileSync(resolve(source, file), resolve(work, file));
    const install = spawnSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], {
      cwd: work,
      encoding: "utf8",
      env: { ...process.env, npm_config_update_notifier: "false" },
    });
    if (install.status !== 0)
      throw new Error(`npm ci of scripts/node22-tools failed:\n${install.stdout}${install.stderr}`);
    try {
      renameSync(work, prefix);
    } catch (error) {
      if (!existsSync(resolve(prefix, "node_modules"))) throw error; // not another worker's install: a real failure
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return prefix;
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
