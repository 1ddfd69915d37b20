// Behaviour 12: no secret or token in any error message, stack, cause, JSON.stringify, util.inspect or
// String() of credentials, caches, middleware or errors. The test drives every kind of object and every
// error path with the fake secrets, collects all these renderings and searches them.
import { inspect } from "node:util";
import createClient from "openapi-fetch";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createApiKeyCredential,
  createAuthMiddleware,
  createClientCredentials,
  createStaticCredential,
  createTokenCache,
  credentialFromEnv,
  SimcelAuthError,
} from "../src/index.js";
import { API_KEY, CLIENT_ID, CLIENT_SECRET, errorResponse, SECRETS, STATIC_TOKEN, tokenResponse } from "./helpers.js";

/** Every rendering seen, labelled, searched at the end and along the way. */
const renderings: [string, string][] = [];
const errors: unknown[] = [];

function render(label: string, value: unknown) {
  const forms: [string, () => string][] = [
    ["String", () => String(value)],
    ["JSON", () => JSON.stringify(value) ?? ""],
    ["inspect", () => inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true, getters: true })],
  ];
  if (value instanceof Error) {
    forms.push(["message", () => value.message], ["stack", () => value.stack ?? ""]);
    if (value.cause !== undefined) forms.push(["cause", () => inspect(value.cause, { depth: 10, showHidden: true })]);
  }
  for (const [form, make] of forms) renderings.push([`${label} ${form}`, make()]);
}

/** Own properties (through causes) that are Requests, Responses or Headers: they would carry a secret. */
function carriers(value: unknown, seen = new Set<unknown>()): string[] {
  if (!value || typeof value !== "object" || seen.has(value)) return [];
  seen.add(value);
  if (value instanceof Request || value instanceof Response || value instanceof Headers)
    return [value.constructor.name];
  return Reflect.ownKeys(value).flatMap((key) => carriers((value as Record<PropertyKey, unknown>)[key], seen));
}

async function capture(label: string, run: () => Promise<unknown>) {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, label).toBeInstanceOf(SimcelAuthError);
  errors.push(error);
  render(label, error);
}

function captureSync(label: string, run: () => unknown) {
  return capture(label, async () => run());
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** A token endpoint that puts the secret it was sent into its error message, as a careless server might. */
const echoing = (status: number) => async (request: Request) => {
  const body = await request.text();
  return errorResponse(status, `bad credentials: ${body}`);
};

describe("no secret leaks", () => {
  it("from credentials, caches and middleware, in use", async () => {
    const fetch = vi.fn(async () => tokenResponse("tok_FAKE_issued"));
    vi.stubGlobal("fetch", fetch); // the credentials from the environment use the global fetch
    const credentials = [
      createApiKeyCredential({ apiKey: API_KEY, fetch }),
      createClientCredentials({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, scopes: ["admin"], fetch }),
      createStaticCredential({ token: STATIC_TOKEN }),
      credentialFromEnv({ SIMCEL_API_KEY: API_KEY }),
      credentialFromEnv({ SIMCEL_CLIENT_ID: CLIENT_ID, SIMCEL_CLIENT_SECRET: CLIENT_SECRET }),
      credentialFromEnv({ SIMCEL_TOKEN: STATIC_TOKEN }),
      createApiKeyCredential({
        apiKey: API_KEY,
        baseUrl: `https://user:${CLIENT_SECRET}@app.simcel.io/api?k=${API_KEY}`,
      }),
    ];
    for (const [i, credential] of credentials.entries()) {
      const cache = createTokenCache(credential);
      await cache.getToken().catch(() => {});
      const middleware = createAuthMiddleware({ cache });
      const client = createClient<Record<string, never>>({
        baseUrl: credential.baseUrl,
        fetch: async () => new Response("{}"),
      });
      client.use(middleware);
      await client.GET("/anything" as never).catch(() => {});
      render(`credential ${i}`, credential);
      render(`cache ${i}`, cache);
      render(`middleware ${i}`, middleware);
    }
    expect(JSON.parse(JSON.stringify(credentials[0]))).toEqual({
      kind: "apiKey",
      baseUrl: "https://app.simcel.io/api",
    });
    expect(credentials[6]?.baseUrl).toBe("https://app.simcel.io/api");
  });

  it("from token request errors, including servers that echo the secret", async () => {
    await capture("401 echoing the api key", () =>
      createApiKeyCredential({ apiKey: API_KEY, fetch: echoing(401) }).getToken(),
    );
    await capture("400 echoing the client secret", () =>
      createClientCredentials({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, fetch: echoing(400) }).getToken(),
    );
    await capture("500s echoing the secret, after retries", async () => {
      const pending = createApiKeyCredential({ apiKey: API_KEY, fetch: echoing(500) }).getToken();
      pending.catch(() => {});
      await vi.runAllTimersAsync();
      return pending;
    });
    await capture("HTML error page echoing the secret", () =>
      createApiKeyCredential({
        apiKey: API_KEY,
        fetch: async () => new Response(`<html>key ${API_KEY} refused</html>`, { status: 403 }),
      }).getToken(),
    );
    await capture("network error", async () => {
      const pending = createApiKeyCredential({
        apiKey: API_KEY,
        fetch: async () => {
          throw new TypeError("fetch failed");
        },
      }).getToken();
      pending.catch(() => {});
      await vi.runAllTimersAsync();
      return pending;
    });
  });

  it("from token response errors", async () => {
    const bodies = [
      '{"accessToken":"tok_FAKE_short_lived","expiresIn":0}',
      '{"accessToken":"tok_FAKE_bad\\nheader","expiresIn":3600}',
      '{"accessToken":"tok_FAKE_mac","expiresIn":3600,"tokenType":"mac"}',
      `<html>tok_FAKE_in_html ${API_KEY}</html>`,
    ];
    for (const body of bodies)
      await capture(`token response ${body.slice(0, 30)}`, () =>
        createApiKeyCredential({ apiKey: API_KEY, fetch: async () => new Response(body) }).getToken(),
      );
    await capture("expired on arrival", () =>
      createTokenCache(
        createApiKeyCredential({ apiKey: API_KEY, fetch: async () => tokenResponse("tok_FAKE_gone", 1e-9) }),
      ).getToken(),
    );
  });

  it("from refused origins and configuration errors", async () => {
    const credential = createApiKeyCredential({ apiKey: API_KEY, fetch: async () => tokenResponse("tok_FAKE_x") });
    const client = createClient<Record<string, never>>({ baseUrl: "https://evil.example.test" });
    client.use(createAuthMiddleware({ credential }));
    await capture("foreign origin", () => client.GET("/x" as never));
    await captureSync("http base URL", () =>
      createApiKeyCredential({ apiKey: API_KEY, baseUrl: "http://simcel.example" }),
    );
    await captureSync("bad base URL holding a secret", () =>
      createApiKeyCredential({ apiKey: API_KEY, baseUrl: `not a url ${API_KEY}` }),
    );
    await captureSync("bad static token", () => createStaticCredential({ token: `${STATIC_TOKEN} ` }));
    await captureSync("bad SIMCEL_TOKEN", () => credentialFromEnv({ SIMCEL_TOKEN: `${STATIC_TOKEN}\t!` }));
    await captureSync("contradictory env", () =>
      credentialFromEnv({ SIMCEL_API_KEY: API_KEY, SIMCEL_CLIENT_SECRET: CLIENT_SECRET }),
    );
    await captureSync("bad env base URL", () =>
      credentialFromEnv({ SIMCEL_API_KEY: API_KEY, SIMCEL_BASE_URL: `${CLIENT_SECRET}` }),
    );
    await capture("expired static token", () =>
      createStaticCredential({ token: STATIC_TOKEN, expiresAt: Date.now() - 1 }).getToken(),
    );
  });

  it("from the middleware when the refresh after a 401 fails", async () => {
    let calls = 0;
    const credential = createClientCredentials({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      fetch: async (request) => (++calls === 1 ? tokenResponse("tok_FAKE_revoked") : echoing(401)(request)),
    });
    const middleware = createAuthMiddleware({ credential });
    const client = createClient<Record<string, never>>({
      baseUrl: credential.baseUrl,
      fetch: async () => Response.json({ message: "Bearer token is missing or has expired" }, { status: 401 }),
    });
    client.use(middleware);
    await capture("refresh after 401", () => client.POST("/anything" as never, { body: { secret: API_KEY } } as never));
    render("middleware after the failure", middleware);
  });

  it("no error carries a Request, Response or Headers", () => {
    expect(errors.length).toBeGreaterThan(15);
    expect(errors.flatMap((e) => carriers(e))).toEqual([]);
  });

  afterAll(() => {
    // runs last: every rendering of the file, searched for every secret
    const leaks = renderings.flatMap(([label, text]) =>
      SECRETS.filter((secret) => text.includes(secret)).map((secret) => `${label}: ${secret}`),
    );
    expect(renderings.length).toBeGreaterThan(100);
    expect(leaks).toEqual([]);
  });
});
