// Every request names the SDK and its runtime (User-Agent, or X-Simcel-Client in a web page, where a page may not set
// User-Agent), after the caller's own product when given; and a credential holding a secret refuses to run in a web
// page unless told to, since everyone who loads the page can read the secret.
import { afterEach, describe, expect, it } from "vitest";
import {
  AuthConfigError,
  createApiKeyCredential,
  createAuthMiddleware,
  createClientCredentials,
  createStaticCredential,
  credentialFromEnv,
  SecretInBrowserError,
  SimcelError,
} from "../../packages/auth/src/index.js";
import { ConfigError, createInsightsClient } from "../../packages/insights/src/index.js";

const API_KEY = "sk_test_FAKE_identity_key";
const BASE = "https://api.test/api";
const plans = { plans: [] };
const SDK = /simcel-sdk-typescript\/\d+\.\d+\.\d+\S*/;

function recorded() {
  const seen: Request[] = [];
  const fetch = async (request: Request) => {
    seen.push(request);
    return request.url.endsWith("/token")
      ? Response.json({ accessToken: "tok_FAKE_identity", expiresIn: 3600 })
      : Response.json(plans);
  };
  return { fetch, seen };
}

const page = globalThis as { window?: unknown; document?: unknown; Deno?: unknown };
afterEach(() => {
  delete page.window;
  delete page.document;
  delete page.Deno;
});

describe("the SDK names itself on every request", () => {
  it("User-Agent: simcel-sdk-typescript/<version> node/<version> on token and API requests", async () => {
    const { fetch, seen } = recorded();
    const credential = createApiKeyCredential({ apiKey: API_KEY, baseUrl: BASE, fetch });
    await createInsightsClient({
      baseUrl: BASE,
      fetch,
      middleware: [createAuthMiddleware({ credential })],
    }).listPlans();
    expect(seen).toHaveLength(2);
    for (const request of seen)
      expect(request.headers.get("user-agent")).toMatch(new RegExp(`^${SDK.source} node/${process.versions.node}$`));
  });

  it("puts the caller's product first", async () => {
    const { fetch, seen } = recorded();
    const credential = createApiKeyCredential({ apiKey: API_KEY, baseUrl: BASE, fetch, userAgent: "acme-planner/2.1" });
    const insights = createInsightsClient({
      baseUrl: BASE,
      fetch,
      middleware: [createAuthMiddleware({ credential })],
      userAgent: "acme-planner/2.1 batch",
    });
    await insights.listPlans();
    await insights.raw.GET("/insights/v1/plans");
    expect(seen.map((r) => r.headers.get("user-agent")?.replace(SDK, "SDK"))).toEqual([
      "acme-planner/2.1 SDK node/" + process.versions.node,
      "acme-planner/2.1 batch SDK node/" + process.versions.node,
      "acme-planner/2.1 batch SDK node/" + process.versions.node,
    ]);
  });

  it("refuses a product that is not product tokens, before sending anything", () => {
    expect(() => createInsightsClient({ userAgent: "bad\r\nx-injected: 1" })).toThrow(ConfigError);
    expect(() => createApiKeyCredential({ apiKey: API_KEY, userAgent: "two  spaces/1" })).toThrow(AuthConfigError);
  });

  it("names the runtime it runs on (Deno here)", async () => {
    page.Deno = { version: { deno: "2.9.6" } };
    const { fetch, seen } = recorded();
    await createInsightsClient({ baseUrl: BASE, fetch }).listPlans();
    expect(seen[0]?.headers.get("user-agent")).toMatch(new RegExp(`^${SDK.source} deno/2\\.9\\.6$`));
  });

  it("in a web page sends X-Simcel-Client instead of User-Agent", async () => {
    page.window = {};
    page.document = {};
    const { fetch, seen } = recorded();
    await createInsightsClient({ baseUrl: BASE, fetch }).listPlans();
    expect(seen[0]?.headers.get("x-simcel-client")).toMatch(new RegExp(`^${SDK.source} browser$`));
    expect(seen[0]?.headers.get("user-agent")).toBeNull();
  });
});

describe("secret credentials in a web page", () => {
  it("an API key or client secret is refused with a typed error that explains the leak and the fix", () => {
    page.window = {};
    page.document = {};
    for (const make of [
      () => createApiKeyCredential({ apiKey: API_KEY, baseUrl: BASE }),
      () => createClientCredentials({ clientId: "cli_1", clientSecret: "cs_test_FAKE_x", baseUrl: BASE }),
      () => credentialFromEnv({ SIMCEL_API_KEY: API_KEY }),
    ]) {
      const error = (() => {
        try {
          make();
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(SecretInBrowserError);
      expect(error).toBeInstanceOf(SimcelError);
      expect(error).toMatchObject({ code: "secret_in_browser" });
      expect((error as Error).message).toMatch(
        /readable by everyone.*backend.*createStaticCredential.*dangerouslyAllowBrowser/,
      );
      expect(JSON.stringify(error)).not.toContain(API_KEY);
    }
  });

  it("dangerouslyAllowBrowser: true lets them run; a static token always may", () => {
    page.window = {};
    page.document = {};
    expect(createApiKeyCredential({ apiKey: API_KEY, dangerouslyAllowBrowser: true }).kind).toBe("apiKey");
    expect(
      createClientCredentials({ clientId: "c", clientSecret: "cs_test_FAKE_x", dangerouslyAllowBrowser: true }).kind,
    ).toBe("clientCredentials");
    expect(credentialFromEnv({ SIMCEL_API_KEY: API_KEY }, { dangerouslyAllowBrowser: true }).kind).toBe("apiKey");
    expect(createStaticCredential({ token: "tok_FAKE_short_lived" }).kind).toBe("static");
  });

  it("outside a page (Node, a worker: no window and document both) nothing is refused", () => {
    page.window = {};
    expect(createApiKeyCredential({ apiKey: API_KEY }).kind).toBe("apiKey");
  });
});
