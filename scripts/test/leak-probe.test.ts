// The suite-wide leak probe (scripts/test/leak-probe.ts) can fail: a test file whose library objects
// show a test secret fails, naming what leaked, even though its own assertions pass.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../prism.mjs";

describe("leak probe", () => {
  it("fails a test file whose errors or credentials render a secret", () => {
    const run = spawnSync(
      resolve(repoRoot, "node_modules/.bin/vitest"),
      ["run", "--config", "scripts/test/fixtures/vitest.leaky.config.ts"],
      { cwd: repoRoot, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } },
    );
    const out = run.stdout + run.stderr;
    expect(run.status).toBe(1);
    expect(out).toContain("a test secret appears in a rendering of a library object");
    expect(out).toContain("sk_test_FAKE_leaked_by_server");
    expect(out).toContain("tok_FAKE_in_info");
    expect(out).toMatch(/1 passed/);
  }, 60_000);
});
