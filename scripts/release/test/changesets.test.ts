// A dry run of the release's version step on a temporary copy of the repository: `changeset version` bumps the
// packages a changeset names, writes their changelogs, and bumps internal dependents (@simcel/cli when
// @simcel/insights changes; `updateInternalDependencies: patch`), leaving the others alone.
import { execFileSync, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import semver from "semver";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { repoRoot } from "../../prism.mjs";
import { publishedPackages } from "../../workspace.mjs";

let copy: string;
beforeEach(() => {
  copy = mkdtempSync(join(tmpdir(), "simcel-changesets-"));
  // the repository's files as git sees them (tracked and new), without node_modules or build output
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
    cwd: repoRoot,
    encoding: "utf8",
  })
    .split("\0")
    .filter((f) => f && existsSync(join(repoRoot, f)));
  for (const file of files) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(repoRoot, file), join(copy, file));
  }
  // changesets resolves its changelog generator from the copy
  symlinkSync(join(repoRoot, "node_modules"), join(copy, "node_modules"));
  for (const f of readdirSync(join(copy, ".changeset")))
    if (f.endsWith(".md") && f !== "README.md") rmSync(join(copy, ".changeset", f));
});
afterEach(() => rmSync(copy, { recursive: true, force: true }));

// biome-ignore lint/suspicious/noExplicitAny: package.json as read
const manifest = (relDir: string): any => JSON.parse(readFileSync(join(copy, relDir, "package.json"), "utf8"));
const changelog = (relDir: string) => {
  const file = join(copy, relDir, "CHANGELOG.md");
  return existsSync(file) ? readFileSync(file, "utf8") : undefined;
};
function version(changesets: Record<string, string>) {
  for (const [file, text] of Object.entries(changesets)) writeFileSync(join(copy, ".changeset", file), text);
  const run = spawnSync(resolve(repoRoot, "node_modules/.bin/changeset"), ["version"], {
    cwd: copy,
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
  });
  expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
}

const dir = (name: string) => publishedPackages().find((p) => p.name === name)?.relDir as string;

describe("changeset version (dry run on a copy)", () => {
  it("a minor change of @simcel/insights bumps it, writes its changelog, and patches @simcel/cli", () => {
    const before = Object.fromEntries(publishedPackages().map((p) => [p.name, p.manifest.version as string]));
    version({
      "insights-change.md": '---\n"@simcel/insights": minor\n---\n\nA new insights method.\n',
    });
    const insights = manifest(dir("@simcel/insights"));
    const [major, minor] = (before["@simcel/insights"] as string).split(".").map(Number);
    expect(insights.version).toBe(`${major}.${(minor as number) + 1}.0`);
    expect(changelog(dir("@simcel/insights"))).toMatch(
      /## \d+\.\d+\.0\n\n### Minor Changes\n\n- A new insights method\./,
    );

    const cli = manifest(dir("@simcel/cli"));
    expect(cli.version).toBe(semver.inc(before["@simcel/cli"] as string, "patch"));
    expect(changelog(dir("@simcel/cli"))).toContain(`@simcel/insights@${insights.version}`);

    // untouched: @simcel/auth (no changeset, not a dependent), and no changeset left behind
    expect(manifest(dir("@simcel/auth")).version).toBe(before["@simcel/auth"]);
    expect(changelog(dir("@simcel/auth"))).toBeUndefined();
    expect(readdirSync(join(copy, ".changeset")).filter((f) => f.endsWith(".md") && f !== "README.md")).toEqual([]);
  });

  it("the pending changesets of the repository apply cleanly", () => {
    const pending = readdirSync(resolve(repoRoot, ".changeset")).filter((f) => f.endsWith(".md") && f !== "README.md");
    version(Object.fromEntries(pending.map((f) => [f, readFileSync(resolve(repoRoot, ".changeset", f), "utf8")])));
    for (const pkg of publishedPackages()) {
      const named = pending.some((f) =>
        readFileSync(resolve(repoRoot, ".changeset", f), "utf8").includes(`"${pkg.name}":`),
      );
      if (named) expect(changelog(pkg.relDir), pkg.name).toBeDefined();
    }
  });
});
