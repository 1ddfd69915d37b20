// Both libraries run where Node does not: each is bundled for the browser (openapi-fetch included) and
// evaluated in a fresh V8 context that has only the web platform's globals — no process, Buffer, require
// or module — then used: credentials from an env object, a token, a typed call, a typed error.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { runInNewContext } from "node:vm";
import { build } from "tsdown";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../prism.mjs";

type Auth = typeof import("../../packages/auth/src/index.js");
type Insights = typeof import("../../packages/insights/src/index.js");

const outDir = mkdtempSync(join(resolve(repoRoot, "packages/insights/node_modules"), ".browser-test-"));
const bundles: Record<string, string> = {};

beforeAll(async () => {
  for (const pkg of ["auth", "insights"]) {
    const root = resolve(repoRoot, "packages", pkg);
    await build({
      config: false,
      cwd: root,
      entry: { [pkg]: join(root, "src/index.ts") },
      format: ["iife"],
      globalName: `simcel_${pkg}`,
      platform: "browser",
      outDir,
      dts: false,
      logLevel: "silent",
      deps: { alwaysBundle: ["@simcel/core", "openapi-fetch"] },
    });
    bundles[pkg] = readFileSync(join(outDir, `${pkg}.iife.js`), "utf8");
  }
}, 90_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** A context with the web platform's globals only. */
function webContext(fetch: (request: Request) => Promise<Response>) {
  const g = globalThis;
  return {
    fetch,
    Request: g.Request,
    Response: g.Response,
    Headers: g.Headers,
    URL: g.URL,
    URLSearchParams: g.URLSearchParams,
    AbortController: g.AbortController,
    AbortSignal: g.AbortSignal,
    DOMException: g.DOMException,
    ReadableStream: g.ReadableStream,
    TextEncoder: g.TextEncoder,
    TextDecoder: g.TextDecoder,
    FormData: g.FormData,
    Blob: g.Blob,
    setTimeout: g.setTimeout,
    clearTimeout: g.clearTimeout,
    console: g.console,
    crypto: g.crypto,
    btoa: g.btoa,
    atob: g.atob,
  };
}

function load<T>(pkg: string, context: object): T {
  const sandbox = { ...context } as Record<string, unknown>;
  sandbox.globalThis = sandbox;
  sandbox.self = sandbox;
  runInNewContext(bundles[pkg] as string, sandbox);
  for (const name of ["process", "Buffer", "require", "module"]) expect(name in sandbox, name).toBe(false);
  return sandbox[`simcel_${pkg}`] as T;
}

describe("in a browser-like context (no Node globals)", () => {
  it("@simcel/auth reads credentials from an env object and gets a token", async () => {
    const requests: string[] = [];
    const auth = load<Auth>(
      "auth",
      webContext(async (request) => {
        requests.push(`${request.method} ${new URL(request.url).pathname}`);
        return Response.json({ accessToken: "tok_FAKE_browser", expiresIn: 3600 });
      }),
    );
    const credential = auth.credentialFromEnv({ SIMCEL_API_KEY: "sk_test_FAKE_browser" });
    expect(() => auth.credentialFromEnv()).toThrow(/SIMCEL_API_KEY/);
    expect(credential.kind).toBe("apiKey");
    await expect(credential.getToken()).resolves.toMatchObject({ token: "tok_FAKE_browser", tokenType: "Bearer" });
    expect(requests).toEqual(["POST /api/auth/v1/token"]);
    expect(() => auth.credentialFromEnv({})).toThrow(/SIMCEL_API_KEY/);
  });

  it("@simcel/auth shares a token through a token store, sealed with WebCrypto", async () => {
    let requests = 0;
    const auth = load<Auth>(
      "auth",
      webContext(async () => Response.json({ accessToken: `tok_FAKE_browser_${++requests}`, expiresIn: 3600 })),
    );
    const store = auth.createMemoryTokenStore();
    const tab = () => {
      const credential = auth.credentialFromEnv({ SIMCEL_API_KEY: "sk_test_FAKE_browser" });
      return auth.createTokenCache(credential, { store });
    };
    const first = await tab().getToken();
    await expect(tab().getToken()).resolves.toMatchObject({ token: first.token });
    expect(requests).toBe(1);
  });

  it("@simcel/insights makes a typed call and types an error", async () => {
    const insights = load<Insights>(
      "insights",
      webContext(async (request) =>
        request.url.includes("/plans")
          ? Response.json({ plans: [] })
          : Response.json({ statusCode: 403, error: "Forbidden", message: "no scope" }, { status: 403 }),
      ),
    );
    const client = insights.createInsightsClient();
    await expect(client.listPlans()).resolves.toEqual({ plans: [] });
    const error = await client.getPnlSummary({ planId: "plan_1" }).catch((e: unknown) => e);
    expect((error as Error).name).toBe("PermissionDeniedError");
    expect((error as Error).message).toContain("insights:read");
  });
});
