// Each library, built with its own tsdown.config.ts, works when imported as ESM and when required from
// CommonJS: a CommonJS consumer must get a working openapi-fetch client, not openapi-fetch's exports object.
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "tsdown";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../prism.mjs";

type Auth = typeof import("../../packages/auth/src/index.js");
type Insights = typeof import("../../packages/insights/src/index.js");

const outDirs: Record<string, string> = {};
beforeAll(async () => {
  for (const pkg of ["auth", "insights"]) {
    const root = resolve(repoRoot, "packages", pkg);
    // inside the package's node_modules (ignored by git), so openapi-fetch resolves as it does for a consumer
    outDirs[pkg] = mkdtempSync(join(root, "node_modules", ".build-test-"));
    await build({ cwd: root, outDir: outDirs[pkg], dts: false, logLevel: "silent" });
  }
}, 90_000);
afterAll(() => {
  for (const dir of Object.values(outDirs)) rmSync(dir, { recursive: true, force: true });
});

const load = async <T>(pkg: string, format: "cjs" | "esm"): Promise<T> =>
  format === "cjs"
    ? (createRequire(import.meta.url)(join(outDirs[pkg] as string, "index.cjs")) as T)
    : ((await import(pathToFileURL(join(outDirs[pkg] as string, "index.js")).href)) as T);

describe.each(["cjs", "esm"] as const)("the built libraries (%s)", (format) => {
  it("@simcel/auth gets a token", async () => {
    const auth = await load<Auth>("auth", format);
    const credential = auth.createApiKeyCredential({
      apiKey: "sk_test_FAKE_do_not_use",
      fetch: async () => Response.json({ accessToken: "tok_FAKE_built", expiresIn: 60 }),
    });
    await expect(credential.getToken()).resolves.toMatchObject({ token: "tok_FAKE_built" });
  });

  it("@simcel/insights lists plans and types an error", async () => {
    const insights = await load<Insights>("insights", format);
    const client = insights.createInsightsClient({
      fetch: async (request) =>
        request.url.endsWith("/plans")
          ? Response.json({ plans: [] })
          : Response.json({ statusCode: 404, error: "Not Found", message: "Plan plan_x not found" }, { status: 404 }),
    });
    await expect(client.listPlans()).resolves.toEqual({ plans: [] });
    await expect(client.getPnlSummary({ planId: "plan_x" })).rejects.toBeInstanceOf(insights.NotFoundError);
  });
});
