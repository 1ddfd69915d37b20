// The README's library example is examples/quickstart.ts, word for word, and it runs: against the server
// under test, with credentials from the environment, through the built packages as a user installs them.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { repoRoot } from "../prism.mjs";
import { baseUrl, credentialEnv, mockOnly } from "./contract-env.js";

const example = readFileSync(resolve(repoRoot, "examples/quickstart.ts"), "utf8");
/** What the example printed: one line per compared scenario (it runs once per module, so once per file). */
let printed: unknown[][] = [];

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

  it("runs and prints, per plan, each scenario's EBIT against its base", async () => {
    // only the run's credential (read before the others are cleared), never a developer's other SIMCEL_*
    const env = credentialEnv("sk_test_FAKE_quickstart");
    for (const name of ["SIMCEL_API_KEY", "SIMCEL_CLIENT_ID", "SIMCEL_CLIENT_SECRET", "SIMCEL_SCOPES", "SIMCEL_TOKEN"])
      vi.stubEnv(name, undefined);
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    await import("../../examples/quickstart.js");
    printed = [...log.mock.calls];
    for (const line of printed)
      expect(line).toEqual([expect.any(String), expect.any(String), expect.objectContaining({ kpi: "ebit" })]);
  });

  mockOnly("the figures of the spec's examples").it("prints the mock's EBIT comparison", () => {
    // two plans in the mock, each compared against its committed scenario: the what-if row per plan
    expect(printed).toContainEqual([
      "FY2025 Annual Plan",
      "Price increase +3%",
      expect.objectContaining({ kpi: "ebit", base: 3_300_000, value: 3_355_000, delta: 55_000 }),
    ]);
  });

  it("is what `createInsightsClient` needs with SIMCEL_BASE_URL set: no baseUrl of its own", () => {
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

  mockOnly("the figures of the spec's examples").it(
    "runs as written against the mock with SIMCEL_BASE_URL set, the base URL coming from the credential",
    async () => {
      vi.stubEnv("SIMCEL_API_KEY", "sk_test_FAKE_insights_readme");
      vi.stubEnv("SIMCEL_BASE_URL", baseUrl);
      const log = vi.spyOn(console, "log").mockImplementation(() => {});
      await import("../../examples/insights-readme.js");
      expect(log.mock.calls[0]).toEqual([
        expect.objectContaining({ kpi: "ebit", base: 3_300_000, value: 3_355_000 }),
        expect.objectContaining({ generatedAt: new Date("2025-06-30T08:15:00Z") }),
      ]);
    },
  );
});
