// pnpm hooks of the workspace. beforePacking shapes the package.json that `pnpm pack` / `pnpm publish` (and so
// `changeset publish`) put in a tarball: a stranger's install must not see our development setup. pnpm itself
// already turns `workspace:` and `catalog:` ranges into versions.
const { readFileSync } = require("node:fs");
const { relative, resolve } = require("node:path");

/** The repository URL lives once, in the root package.json. */
function repositoryUrl() {
  const root = JSON.parse(readFileSync(resolve(__dirname, "package.json"), "utf8"));
  const url = typeof root.repository === "string" ? root.repository : root.repository?.url;
  if (!url) throw new Error("[.pnpmfile.cjs] the root package.json has no `repository`");
  return url.replace(/^git\+/, "").replace(/\.git$/, "");
}

/** Names of the workspace's private packages: a published manifest must never depend on one. */
function privatePackages() {
  const { readdirSync } = require("node:fs");
  const base = resolve(__dirname, "packages");
  const names = new Set();
  for (const entry of readdirSync(base)) {
    try {
      const pkg = JSON.parse(readFileSync(resolve(base, entry, "package.json"), "utf8"));
      if (pkg.private === true) names.add(pkg.name);
    } catch {}
  }
  return names;
}

function beforePacking(pkg, dir) {
  // devDependencies name unpublished workspace packages and tools; scripts point into the monorepo (../..).
  delete pkg.devDependencies;
  delete pkg.scripts;
  const url = repositoryUrl();
  const directory = relative(__dirname, dir ?? process.cwd())
    .split("\\")
    .join("/");
  pkg.repository = { type: "git", url: `git+${url}.git`, ...(directory ? { directory } : {}) };
  pkg.homepage = `${url}/tree/main/${directory}#readme`;
  pkg.bugs = { url: `${url}/issues` };
  const internal = privatePackages();
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
    for (const name of Object.keys(pkg[field] ?? {})) {
      if (internal.has(name))
        throw new Error(`[.pnpmfile.cjs] ${pkg.name} ${field} names ${name}, which is private and never published`);
    }
  }
  return pkg;
}

module.exports = { hooks: { beforePacking } };
