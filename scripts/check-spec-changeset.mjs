#!/usr/bin/env node
// A change to a published package's generated types (packages/*/src/generated, i.e. a spec change) must ship
// with a changeset naming that package, or it would never reach users. Fails, naming each such package.
//
//   node scripts/check-spec-changeset.mjs                 since each package's last release tag (`name@x.y.z`);
//                                                        a package never released compares with the empty tree
//   node scripts/check-spec-changeset.mjs --since REF     since the merge base with REF (a pull request's base)
//
// A changeset counts when it was added or changed in the same range (.changeset/*.md, names in its front matter).
// --root DIR checks another checkout (the tests use a temporary repository).
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

const { values } = parseArgs({ options: { since: { type: "string" }, root: { type: "string" } } });
const root = resolve(values.root ?? resolve(import.meta.dirname, ".."));
const git = (...args) => execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();

/** Published packages that have generated files: `{ name, relDir }`. */
function packagesWithGeneratedFiles() {
  const base = join(root, "packages");
  return readdirSync(base).flatMap((entry) => {
    const file = join(base, entry, "package.json");
    if (!existsSync(file)) return [];
    const manifest = JSON.parse(readFileSync(file, "utf8"));
    if (manifest.private === true || !existsSync(join(base, entry, "src/generated"))) return [];
    return [{ name: manifest.name, relDir: `packages/${entry}` }];
  });
}

/** Files changed between `base` and the working tree (committed, staged, unstaged), plus untracked ones. */
function changedSince(base) {
  const diff = git("diff", "--name-only", base, "--", ".").split("\n");
  const untracked = git("ls-files", "--others", "--exclude-standard").split("\n");
  return new Set([...diff, ...untracked].filter(Boolean));
}

/** Package names a changeset file bumps (its front matter: `"@scope/name": minor`). */
function changesetNames(relPath) {
  const text = readFileSync(join(root, relPath), "utf8");
  const front = text.match(/^---\r?\n([\s\S]*?)\r?\n---/)?.[1] ?? "";
  return [...front.matchAll(/^\s*["']?([^"':\s]+)["']?\s*:\s*(major|minor|patch)\s*$/gm)].map((m) => m[1]);
}

/** The newest release tag of `name` (`name@1.2.3`), or undefined. */
function lastReleaseTag(name) {
  const tags = git("tag", "--list", `${name}@*`, "--sort=-v:refname").split("\n").filter(Boolean);
  return tags[0];
}

const missing = [];
let checked = 0;
for (const pkg of packagesWithGeneratedFiles()) {
  const base = values.since ? git("merge-base", values.since, "HEAD") : (lastReleaseTag(pkg.name) ?? EMPTY_TREE);
  const changed = changedSince(base);
  const generated = [...changed].filter((f) => f.startsWith(`${pkg.relDir}/src/generated/`));
  if (generated.length === 0) continue;
  checked++;
  const changesets = [...changed].filter(
    (f) => /^\.changeset\/[^/]+\.md$/.test(f) && f !== ".changeset/README.md" && existsSync(join(root, f)),
  );
  const covered = changesets.some((f) => changesetNames(f).includes(pkg.name));
  const since = base === EMPTY_TREE ? "and was never released" : `since ${values.since ?? base}`;
  if (!covered) missing.push(`${pkg.name}: ${generated.join(", ")} changed ${since}; no changeset names it`);
}

if (missing.length > 0) {
  console.error("[spec-changeset] generated types changed without a changeset:");
  for (const line of missing) console.error(`  ${line}`);
  console.error("Run `pnpm changeset`, pick these packages and describe the API change, and commit the file.");
  process.exit(1);
}
console.log(
  `[spec-changeset] ok: ${checked} package(s) with changed generated types, each named by a changeset in the same range`,
);
