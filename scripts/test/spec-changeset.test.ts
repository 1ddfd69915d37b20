// scripts/check-spec-changeset.mjs on a temporary git repository: generated types that change without a changeset
// naming their package fail the check; a changeset naming it, or a change outside src/generated, passes.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { repoRoot } from "../prism.mjs";

const script = resolve(repoRoot, "scripts/check-spec-changeset.mjs");
let dir: string;

const git = (...args: string[]) =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: dir, encoding: "utf8" });
function write(path: string, text: string) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}
function check(...args: string[]) {
  const r = spawnSync(process.execPath, [script, "--root", dir, ...args], { encoding: "utf8" });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}
const changeset = (names: Record<string, string>) =>
  `---\n${Object.entries(names)
    .map(([n, b]) => `"${n}": ${b}`)
    .join("\n")}\n---\n\nA change.\n`;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "simcel-spec-changeset-"));
  git("init", "-q", "-b", "main");
  write("packages/insights/package.json", JSON.stringify({ name: "@simcel/insights", version: "0.1.0" }));
  write("packages/insights/src/generated/openapi.ts", "export type A = 1;\n");
  write("packages/auth/package.json", JSON.stringify({ name: "@simcel/auth", version: "0.1.0" }));
  write("packages/auth/src/generated/openapi.ts", "export type B = 1;\n");
  write("packages/core/package.json", JSON.stringify({ name: "@simcel/core", private: true }));
  write("packages/core/src/generated/x.ts", "export {};\n");
  write(".changeset/README.md", "# Changesets\n");
  git("add", "-A");
  git("commit", "-qm", "release");
  git("tag", "@simcel/insights@0.1.0");
  git("tag", "@simcel/auth@0.1.0");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("check-spec-changeset", () => {
  it("passes when nothing generated changed since the release", () => {
    expect(check()).toMatchObject({ status: 0 });
  });

  it("fails, naming the package, when generated types changed without a changeset", () => {
    write("packages/insights/src/generated/openapi.ts", "export type A = 2;\n");
    git("commit", "-qam", "spec change");
    const r = check();
    expect(r.status).toBe(1);
    expect(r.out).toContain("@simcel/insights: packages/insights/src/generated/openapi.ts changed since");
    expect(r.out).not.toContain("@simcel/auth:");
  });

  it("fails when the only changeset names another package", () => {
    write("packages/insights/src/generated/openapi.ts", "export type A = 2;\n");
    write(".changeset/other.md", changeset({ "@simcel/auth": "patch" }));
    git("add", "-A");
    git("commit", "-qm", "spec change");
    expect(check().status).toBe(1);
  });

  it("passes with a changeset naming the package, committed or not", () => {
    write("packages/insights/src/generated/openapi.ts", "export type A = 2;\n");
    git("commit", "-qam", "spec change");
    write(".changeset/spec.md", changeset({ "@simcel/insights": "minor" }));
    expect(check()).toMatchObject({ status: 0 });
  });

  it("ignores private packages and files outside src/generated", () => {
    write("packages/core/src/generated/x.ts", "export const x = 1;\n");
    write("packages/insights/src/client.ts", "export {};\n");
    git("add", "-A");
    git("commit", "-qm", "other changes");
    expect(check()).toMatchObject({ status: 0 });
  });

  it("--since REF: only changesets added after REF count (a pull request's own)", () => {
    write(".changeset/old.md", changeset({ "@simcel/insights": "patch" }));
    git("add", "-A");
    git("commit", "-qm", "an earlier change");
    git("branch", "base");
    write("packages/insights/src/generated/openapi.ts", "export type A = 3;\n");
    git("commit", "-qam", "spec change on a branch");
    expect(check("--since", "base").status).toBe(1);
    // without --since the pending changeset from before counts (the release will bump the package)
    expect(check().status).toBe(0);
    write(".changeset/mine.md", changeset({ "@simcel/insights": "minor" }));
    expect(check("--since", "base").status).toBe(0);
  });

  it("a package never released compares with the empty tree", () => {
    git("tag", "-d", "@simcel/auth@0.1.0");
    const r = check();
    expect(r.status).toBe(1);
    expect(r.out).toContain("@simcel/auth: packages/auth/src/generated/openapi.ts changed and was never released");
  });
});
