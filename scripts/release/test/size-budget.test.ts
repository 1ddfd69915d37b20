// The size budgets are a CI gate: `bench/size.mjs --check` passes on bench/size-budgets.json (every figure within
// its budget; each budget says why it is what it is) and fails when a figure is over its budget.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../prism.mjs";

const budgetsFile = resolve(repoRoot, "bench/size-budgets.json");
const budgets = JSON.parse(readFileSync(budgetsFile, "utf8")).budgets as Record<
  string,
  { bytes: number; reason: string }
>;
const size = (env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [resolve(repoRoot, "bench/size.mjs"), "--check"], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });

describe("size budgets", () => {
  it("every budget has a size and a reason", () => {
    expect(Object.keys(budgets).length).toBeGreaterThanOrEqual(3);
    for (const [name, budget] of Object.entries(budgets)) {
      expect(budget.bytes, name).toBeGreaterThan(0);
      expect(budget.reason.length, name).toBeGreaterThan(10);
    }
  });

  it("--check fails when a figure is over its budget", () => {
    const dir = mkdtempSync(join(tmpdir(), "simcel-budgets-"));
    try {
      const tight = Object.fromEntries(Object.keys(budgets).map((name) => [name, { bytes: 1000, reason: "test" }]));
      writeFileSync(join(dir, "budgets.json"), JSON.stringify({ budgets: tight }));
      const result = size({ SIMCEL_SIZE_BUDGETS: join(dir, "budgets.json") });
      expect(result.status).toBe(1);
      expect(result.stdout).toContain("OVER BUDGET");
      expect(result.stdout).toMatch(/core inlined twice: the page is \d+ B min/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
