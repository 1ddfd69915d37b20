// The drift check: `generate --check` passes on the committed output and fails, naming the file,
// once the spec says something the committed types do not.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../prism.mjs";

const run = promisify(execFile);
const script = resolve(repoRoot, "scripts/generate.mjs");
let dir: string | undefined;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function check(spec?: string) {
  try {
    const { stdout, stderr } = await run(process.execPath, [script, "--check"], {
      env: { ...process.env, ...(spec ? { SIMCEL_SPEC: spec } : {}) },
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe("generate --check", () => {
  it("passes when the committed files match the spec", async () => {
    const result = await check();
    expect(result.out).toContain("match");
    expect(result.code).toBe(0);
  }, 30_000);

  it("fails and names the drifted file when the spec changes", async () => {
    dir = await mkdtemp(join(tmpdir(), "simcel-spec-"));
    const spec = await readFile(resolve(repoRoot, "spec/openapi.yaml"), "utf8");
    const edited = spec.replace(
      "enum: [product, sku, region, channel]",
      "enum: [product, sku, region, channel, customer]",
    );
    expect(edited).not.toBe(spec);
    const path = join(dir, "openapi.yaml");
    await writeFile(path, edited);
    const result = await check(path);
    expect(result.code).toBe(1);
    expect(result.out).toContain("packages/insights/src/generated/openapi.ts differs");
    expect(result.out).toContain("packages/insights/src/generated/operations.ts differs");
    expect(result.out).toContain("packages/commands/src/generated/schemas.ts differs");
    expect(result.out).toContain("packages/sandbox/src/generated/openapi.ts differs");
    expect(result.out).toContain("packages/sandbox/src/generated/operations.ts differs");
    expect(result.out).not.toContain("packages/auth/src/generated/openapi.ts differs");
  }, 30_000);

  it("fails, naming the parameter, when x-simcel-inferred lists a keyword its schema does not have", async () => {
    dir ??= await mkdtemp(join(tmpdir(), "simcel-spec-"));
    const spec = await readFile(resolve(repoRoot, "spec/openapi.yaml"), "utf8");
    const edited = spec.replace("x-simcel-inferred: [pattern, maxLength]", "x-simcel-inferred: [pattern, maxLenght]");
    expect(edited).not.toBe(spec);
    const path = join(dir, "typo.yaml");
    await writeFile(path, edited);
    const result = await check(path);
    expect(result.code).toBe(1);
    expect(result.out).toContain("parameter planId: x-simcel-inferred names maxLenght, which its schema does not have");
  }, 30_000);
});
