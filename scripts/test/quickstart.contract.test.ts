// The README's library example is examples/quickstart.ts, word for word, and it runs: against the mock,
// with credentials from the environment, through the built packages as a user installs them.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { repoRoot } from "../prism.mjs";

const example = readFileSync(resolve(repoRoot, "examples/quickstart.ts"), "utf8");

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("README library example", () => {
  it("is examples/quickstart.ts", () => {
    const readme = readFileSync(resolve(repoRoot, "README.md"), "utf8");
    const block = readme.match(/## Library example\n\n```ts\n([\s\S]*?)```/)?.[1];
    expect(block).toBe(example);
  });

  it("runs against the mock and prints the EBIT comparison", async () => {
    vi.stubEnv("SIMCEL_API_KEY", "sk_test_FAKE_quickstart");
    vi.stubEnv("SIMCEL_BASE_URL", inject("simcelBaseUrl"));
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    await import("../../examples/quickstart.js");
    // two plans in the mock, each compared against its committed scenario: the what-if row per plan
    expect(log.mock.calls).toContainEqual([
      "FY2025 Annual Plan",
      "Price increase +3%",
      expect.objectContaining({ kpi: "ebit", base: 3_300_000, value: 3_355_000, delta: 55_000 }),
    ]);
  });

  it("is what `createInsightsClient` needs with SIMCEL_BASE_URL set: no baseUrl of its own (issue 8, found 1)", () => {
    expect(example).toContain("createInsightsClient({ middleware: [createAuthMiddleware({ credential })] })");
  });
});

describe("@simcel/insights README example", () => {
  const insightsExample = readFileSync(resolve(repoRoot, "examples/insights-readme.ts"), "utf8");

  it("is examples/insights-readme.ts", () => {
    const readme = readFileSync(resolve(repoRoot, "packages/insights/README.md"), "utf8");
    // the first TypeScript block of the package's README
    expect(readme.match(/```ts\n([\s\S]*?)```/)?.[1]).toBe(insightsExample);
  });

  it("runs as written against the mock with SIMCEL_BASE_URL set, the base URL coming from the credential", async () => {
    vi.stubEnv("SIMCEL_API_KEY", "sk_test_FAKE_insights_readme");
    vi.stubEnv("SIMCEL_BASE_URL", inject("simcelBaseUrl"));
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    await import("../../examples/insights-readme.js");
    expect(log.mock.calls[0]).toEqual([
      expect.objectContaining({ kpi: "ebit", base: 3_300_000, value: 3_355_000 }),
      expect.objectContaining({ generatedAt: new Date("2025-06-30T08:15:00Z") }),
    ]);
  });
});
