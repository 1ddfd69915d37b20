// The workspace lockfile's resolution, handed to a consumer project that has no lockfile of its own.
//
// Why: a consumer (a fresh project outside the workspace that installs the packed tarballs) has no lockfile, so
// pnpm resolves every range to the newest version its metadata knows. pnpm 12 fetches full metadata for every
// lockfile package while it verifies the workspace lockfile, so that "newest" can be a version the workspace never
// installed (cross-spawn 7.1.2 while the lockfile pins 7.0.6) and an offline install then fails on a new machine:
// the store holds only what the lockfile named. The pins make an offline consumer install resolve exactly the
// workspace's graph, whatever a store or a metadata cache happens to hold.
//
// How: a `readPackage` hook (the consumer's .pnpmfile.cjs) rewrites each package's dependency ranges to the exact
// versions the workspace lockfile resolved for that same package at that same version (its snapshot), and our own
// packages' ranges to what their workspace importer resolved. Exact per parent, so a name the lockfile holds at
// several versions (chalk 2/4/5) stays right where plain `overrides` could only pin one.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseAllDocuments } from "yaml";
import { repoRoot } from "../prism.mjs";

/** `name@1.2.3(peer@4.5.6)` → `1.2.3`; an alias `other@1.2.3` → `npm:other@1.2.3`; `link:`/`file:` → undefined. */
function exactVersion(resolved) {
  const version = String(resolved).replace(/\(.*$/, "");
  if (/^(link|file|workspace):/.test(version)) return undefined;
  const at = version.lastIndexOf("@");
  return at > 0 ? `npm:${version}` : version;
}

/** `@scope/name@1.2.3(peer@4)` → [`@scope/name`, `1.2.3`]. */
function splitKey(key) {
  const bare = key.replace(/\(.*$/, "");
  const at = bare.lastIndexOf("@");
  return [bare.slice(0, at), bare.slice(at + 1)];
}

/**
 * The pins of the workspace lockfile: `{ packages: { "name@version": { dep: version } }, importers: { name: { dep:
 * version } } }`, where `importers` are the workspace packages by their package name.
 * @param {string} [root] the workspace root: its pnpm-lock.yaml and packages/*\/package.json are read
 */
export function lockfilePins(root = repoRoot) {
  const lockfilePath = resolve(root, "pnpm-lock.yaml");
  // pnpm 12 writes two YAML documents: the package manager's own lock first, then the project's.
  const lock = parseAllDocuments(readFileSync(lockfilePath, "utf8"))
    .map((doc) => doc.toJS())
    .find(
      (doc) => doc?.importers && doc.snapshots && Object.keys(doc.importers).some((k) => k.startsWith("packages/")),
    );
  if (!lock) throw new Error(`${lockfilePath}: no document with the workspace's importers`);

  const packages = {};
  for (const [key, snapshot] of Object.entries(lock.snapshots)) {
    const deps = { ...snapshot?.dependencies, ...snapshot?.optionalDependencies };
    const pinned = Object.fromEntries(
      Object.entries(deps).flatMap(([name, resolved]) => {
        const version = exactVersion(resolved);
        return version ? [[name, version]] : [];
      }),
    );
    const [name, version] = splitKey(key);
    // A package at one version can have several snapshots (one per peer set): their plain dependencies agree.
    packages[`${name}@${version}`] = { ...packages[`${name}@${version}`], ...pinned };
  }

  const importers = {};
  for (const [dir, importer] of Object.entries(lock.importers)) {
    if (!dir.startsWith("packages/")) continue;
    const manifest = JSON.parse(readFileSync(resolve(root, dir, "package.json"), "utf8"));
    // a peer the package only develops against (@opentelemetry/api of @simcel/opentelemetry) is pinned to that
    // development version, so the peer pnpm installs for a consumer is one the store holds
    const peers = Object.keys(manifest.peerDependencies ?? {});
    const devPeers = Object.entries(importer.devDependencies ?? {}).filter(([name]) => peers.includes(name));
    const deps = { ...Object.fromEntries(devPeers), ...importer.dependencies, ...importer.optionalDependencies };
    importers[manifest.name] = Object.fromEntries(
      Object.entries(deps).flatMap(([name, { version }]) => {
        const exact = exactVersion(version);
        return exact ? [[name, exact]] : [];
      }),
    );
  }
  return { packages, importers };
}

/**
 * The source of a consumer's `.pnpmfile.cjs` that applies `pins` (see {@link lockfilePins}). A dependency the
 * workspace never resolved for that parent keeps its range (the offline install then names it, if it is missing).
 * Peers are narrowed to the pinned version too, so pnpm's auto-installed peers are the workspace's — except the
 * names in `direct`: the consumer's own dependencies, which provide those peers at the version the test chose (the
 * peer-range consumer installs openapi-fetch 0.15.0 on purpose).
 * @param {ReturnType<typeof lockfilePins>} pins
 * @param {string[]} [direct]
 */
export function pinsPnpmfile(pins, direct = []) {
  return `// Generated by scripts/release/lockfile-pins.mjs: the workspace lockfile's versions, per parent package.
const pins = ${JSON.stringify(pins)};
const direct = new Set(${JSON.stringify(direct)});
function readPackage(pkg) {
  const own = pins.packages[pkg.name + "@" + pkg.version] ?? pins.importers[pkg.name];
  if (!own) return pkg;
  for (const field of ["dependencies", "optionalDependencies", "peerDependencies"]) {
    for (const dep of Object.keys(pkg[field] ?? {})) {
      if (field === "peerDependencies" && (direct.has(dep) || String(own[dep]).startsWith("npm:"))) continue;
      if (own[dep] && !/^(file|link|workspace):/.test(pkg[field][dep])) pkg[field][dep] = own[dep];
    }
  }
  return pkg;
}
module.exports = { hooks: { readPackage } };
`;
}
