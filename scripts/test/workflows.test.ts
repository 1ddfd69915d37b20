// The hosted CI (.github/workflows) cannot run here, so it is checked here: each workflow passes
// @action-validator/cli (GitHub's workflow schema, offline), and each stays a thin caller of the project's own
// scripts — CI runs .ci/run on every supported Node major, the spec workflow regenerates and checks changesets,
// the release publishes with provenance.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { nodeMajors } from "../node-matrix.mjs";
import { repoRoot } from "../prism.mjs";
import { rootManifest } from "../workspace.mjs";

const dir = resolve(repoRoot, ".github/workflows");
const validator = resolve(repoRoot, "node_modules/.bin/action-validator");
const validate = (file: string) => spawnSync(validator, [file], { encoding: "utf8" });
// biome-ignore lint/suspicious/noExplicitAny: workflow YAML as parsed
const workflow = (name: string): any => parse(readFileSync(join(dir, name), "utf8"));
const runs = (job: { steps: { run?: string }[] }) => job.steps.map((s) => s.run ?? "").join("\n");

describe("GitHub workflows", () => {
  it.each(readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)))("%s passes action-validator", (file) => {
    const result = validate(join(dir, file));
    expect(`${result.stdout}${result.stderr}`).not.toContain('"errors"');
    expect(result.status).toBe(0);
  });

  it("action-validator rejects a broken workflow (the check can fail)", () => {
    const tmp = mkdtempSync(join(tmpdir(), "simcel-workflow-"));
    try {
      const file = join(tmp, "broken.yml");
      writeFileSync(file, "name: broken\non: push\njobs:\n  a:\n    steps:\n      - run: echo\n");
      const result = validate(file);
      expect(result.status).not.toBe(0);
      expect(`${result.stdout}${result.stderr}`).toContain("/jobs/a/runs-on");
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("CI runs .ci/run on push and pull request, once per supported Node major", () => {
    const ci = workflow("ci.yml");
    expect(Object.keys(ci.on)).toEqual(expect.arrayContaining(["push", "pull_request"]));
    const job = ci.jobs.test;
    expect(job.strategy.matrix.node).toEqual(nodeMajors);
    expect(job.container).toMatch(/\$\{\{ matrix\.node \}\}/);
    expect(runs(job)).toContain("bash .ci/run");
    expect(job.steps.find((s: { run?: string }) => s.run === "bash .ci/run").env.SIMCEL_NODE_MATRIX).toBe("none");
  });

  it("the spec workflow regenerates on spec changes, fails on stale output and on a missing changeset", () => {
    const spec = workflow("spec.yml");
    for (const event of ["push", "pull_request"]) expect(spec.on[event].paths).toContain("spec/**");
    const steps = runs(spec.jobs.regenerate);
    expect(steps).toMatch(/pnpm@[\d.]+ generate/);
    expect(steps).toContain("git diff --exit-code");
    expect(steps).toContain("node scripts/check-spec-changeset.mjs --since");
    expect(steps.indexOf("generate")).toBeLessThan(steps.indexOf("git diff --exit-code"));
  });

  it("the release workflow versions with changesets and publishes with provenance", () => {
    const release = workflow("release.yml");
    expect(release.permissions).toMatchObject({ "id-token": "write", contents: "write", "pull-requests": "write" });
    const action = release.jobs.release.steps.find((s: { uses?: string }) => s.uses?.startsWith("changesets/action"));
    expect(action.with.version).toContain("changeset version");
    expect(action.with.publish).toBe("pnpm release");
    expect(rootManifest.scripts.release).toMatch(/pnpm publish -r .*--provenance/);
    expect(rootManifest.scripts.release).toContain("changeset tag");
  });
});
