// The built package (ESM and CommonJS, built with the package's own tsdown.config.ts) loads and gets a token: a CommonJS
// consumer must get a working openapi-fetch client, not its exports object.
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "tsdown";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..");
// inside the package's node_modules (ignored by git), so the build resolves openapi-fetch as a consumer would
const outDir = mkdtempSync(join(root, "node_modules", ".build-test-"));
type Auth = typeof import("../src/index.js");

beforeAll(async () => {
  // cwd: tsdown loads the package's tsdown.config.ts; only the output place changes
  await build({ cwd: root, outDir, dts: false, logLevel: "silent" });
}, 60_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const getToken = (auth: Auth) =>
  auth
    .createApiKeyCredential({
      apiKey: "sk_test_FAKE_do_not_use",
      fetch: async () => Response.json({ accessToken: "tok_FAKE_built", expiresIn: 60 }),
    })
    .getToken();

describe("the built package", () => {
  it("works when required from CommonJS", async () => {
    const auth = createRequire(import.meta.url)(join(outDir, "index.cjs")) as Auth;
    await expect(getToken(auth)).resolves.toMatchObject({ token: "tok_FAKE_built" });
  });

  it("works when imported as ESM", async () => {
    const auth = (await import(pathToFileURL(join(outDir, "index.js")).href)) as Auth;
    await expect(getToken(auth)).resolves.toMatchObject({ token: "tok_FAKE_built" });
  });
});
