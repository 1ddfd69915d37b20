// The workspace as release tooling sees it: the published packages (every packages/*/package.json that is not
// private, so a package added later is covered without a list to update), the repository URL (one home: the
// root package.json), and pnpm pinned by `packageManager`.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { repoRoot } from "./prism.mjs";

export const rootManifest = JSON.parse(readFileSync(resolve(repoRoot, "package.json"), "utf8"));

/** Every workspace package, published or not: `{ name, dir, relDir, manifest }`, sorted by directory. */
export function workspacePackages() {
  const base = resolve(repoRoot, "packages");
  return readdirSync(base, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const dir = join(base, entry.name);
      try {
        const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
        return [{ name: manifest.name, dir, relDir: `packages/${entry.name}`, manifest }];
      } catch {
        return [];
      }
    })
    .sort((a, b) => a.relDir.localeCompare(b.relDir));
}

/** The packages that go to the registry: those whose package.json is not `private`. */
export function publishedPackages() {
  return workspacePackages().filter((pkg) => pkg.manifest.private !== true);
}

/** `https://github.com/owner/name`, from the root package.json's `repository` (the one place it is written). */
export function repositoryUrl() {
  const repository = rootManifest.repository;
  const url = typeof repository === "string" ? repository : repository?.url;
  if (!url) throw new Error("package.json at the repository root has no `repository`");
  return url.replace(/^git\+/, "").replace(/\.git$/, "");
}

/**
 * Runs the pinned pnpm (`packageManager` of the root package.json) through npx, which needs no global install
 * and reuses npx's cache. Returns spawnSync's result with text output.
 * @param {string[]} args
 * @param {import("node:child_process").SpawnSyncOptions} [options]
 */
export function pnpm(args, options = {}) {
  return spawnSync("npx", ["-y", rootManifest.packageManager, ...args], {
    encoding: "utf8",
    ...options,
    env: { ...process.env, ...quietEnv, ...options.env },
  });
}

/** Environment that keeps the tools we run from phoning home or nagging (telemetry, update notices). */
export const quietEnv = {
  TURBO_TELEMETRY_DISABLED: "1",
  DO_NOT_TRACK: "1",
  REDOCLY_TELEMETRY: "off",
  NO_UPDATE_NOTIFIER: "1",
  npm_config_update_notifier: "false",
};
