// Contract: both token endpoints (valid input → 200 matching the spec's schema; invalid body → 400 as a
// typed error), then a secured insights path with the obtained bearer. On the mock with the spec's demo
// credentials; live with the run's own (the endpoint of the other kind is skipped, saying so).
import createClient from "openapi-fetch";
import { expect, it } from "vitest";
import { createSpecAjv, loadSpec, validateResponse } from "../../../scripts/spec-tools.mjs";
import {
  baseUrl,
  credentialEnv,
  isMock,
  lacksCredential,
  mockOnly,
  needs,
} from "../../../scripts/test/contract-env.js";
import {
  type Credential,
  createApiKeyCredential,
  createAuthMiddleware,
  createClientCredentials,
  TokenRequestError,
} from "../src/index.js";

const doc = loadSpec();
const live = credentialEnv("sk_test_demo_0000");
const ajv = createSpecAjv(doc);

/** The one secured path this test needs, in openapi-typescript's shape. */
interface PlansPaths {
  "/insights/v1/plans": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: {
        200: { headers: { [name: string]: unknown }; content: { "application/json": { plans: { id: string }[] } } };
        401: { headers: { [name: string]: unknown }; content: { "application/json": { message: string } } };
      };
    };
  };
}

/** A fetch that keeps a copy of each token response body, to check it against the spec. */
function observed() {
  const bodies: { status: number; body: unknown }[] = [];
  const fetch = async (request: Request) => {
    const response = await globalThis.fetch(request);
    bodies.push({ status: response.status, body: await response.clone().json() });
    return response;
  };
  return { fetch, bodies };
}

/** Sends `body` instead of what the credential built: an invalid request. */
const replaceBody = (body: string) => (request: Request) => globalThis.fetch(new Request(request, { body }));

const credentials: [string, string, string | false, (fetch: (r: Request) => Promise<Response>) => Credential][] = [
  [
    "exchangeApiKey",
    "{}",
    lacksCredential("apiKey"),
    (fetch) => createApiKeyCredential({ apiKey: live.SIMCEL_API_KEY ?? "", baseUrl, fetch }),
  ],
  [
    "issueClientCredentialsToken",
    "grant_type=password&client_id=cli_demo_0001",
    lacksCredential("clientCredentials"),
    (fetch) =>
      createClientCredentials({
        clientId: isMock ? "cli_demo_0001" : (live.SIMCEL_CLIENT_ID ?? ""),
        clientSecret: isMock ? "demo-client-secret" : (live.SIMCEL_CLIENT_SECRET ?? ""),
        scopes: (live.SIMCEL_SCOPES ?? "insights:read plans:read").split(/[\s,]+/).filter(Boolean),
        baseUrl,
        fetch,
      }),
  ],
];

for (const [operationId, invalidBody, missing, make] of credentials)
  needs(missing).describe(`${operationId} on the server`, () => {
    it("valid input → 200 matching the spec, read as a token", async () => {
      const { fetch, bodies } = observed();
      const started = Date.now();
      const token = await make(fetch).getToken();
      expect(bodies).toHaveLength(1);
      expect(bodies[0]?.status).toBe(200);
      expect(validateResponse(doc, ajv, operationId, 200, bodies[0]?.body)).toEqual([]);
      expect(token.token.length).toBeGreaterThan(0);
      expect(token.tokenType).toBe("Bearer");
      expect(token.expiresAt).toBeGreaterThan(started);
    });

    it("invalid body → 400 as a typed, unretried error with the server's message", async () => {
      let calls = 0;
      const fetch = (request: Request) => {
        calls++;
        return replaceBody(invalidBody)(request);
      };
      const error = await make(fetch)
        .getToken()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenRequestError);
      expect(error).toMatchObject({ status: 400, code: "token_request_rejected" });
      expect((error as TokenRequestError).serverMessage).not.toBe("");
      expect(calls).toBe(1);
    });

    it("the obtained bearer opens a secured insights path, through the middleware", async () => {
      const credential = make((request) => globalThis.fetch(request));
      const client = createClient<PlansPaths>({ baseUrl });
      const unauthenticated = await client.GET("/insights/v1/plans");
      expect(unauthenticated.response.status).toBe(401);
      client.use(createAuthMiddleware({ credential }));
      const { data, response } = await client.GET("/insights/v1/plans");
      expect(response.status).toBe(200);
      expect(validateResponse(doc, ajv, "listPlans", 200, data)).toEqual([]);
    });
  });

mockOnly("needs the mock's Prefer: code=401 to answer 401 on demand").describe("the middleware on the mock", () => {
  /** A client whose every answer is the spec's 401 (`Prefer: code=401`), counting its requests. */
  function alwaysUnauthorized() {
    const seen: (string | null)[] = [];
    const client = createClient<PlansPaths>({
      baseUrl,
      headers: { Prefer: "code=401" },
      fetch: (request) => {
        seen.push(request.headers.get("authorization"));
        return globalThis.fetch(request);
      },
    });
    return { client, seen };
  }

  it("on a 401 replays once with a fresh token, then returns the second 401 as is", async () => {
    const apiKey = createApiKeyCredential({ apiKey: "sk_test_demo_0000", baseUrl });
    // the mock issues its one example token every time; numbering it makes each refresh tell apart
    let issued = 0;
    const credential: Credential = {
      kind: "apiKey",
      baseUrl,
      getToken: async () => {
        const token = await apiKey.getToken();
        return { ...token, token: `${token.token}${++issued}` };
      },
    };
    const { client, seen } = alwaysUnauthorized();
    client.use(createAuthMiddleware({ credential }));
    const { error, response } = await client.GET("/insights/v1/plans");
    expect(response.status).toBe(401);
    expect(error).toMatchObject({ statusCode: 401, error: "Unauthorized" });
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatch(/1$/);
    expect(seen[1]).toMatch(/2$/);
  });

  it("does not replay when the token endpoint gives back the same token", async () => {
    let tokenCalls = 0;
    const credential = createApiKeyCredential({
      apiKey: "sk_test_demo_0000",
      baseUrl,
      fetch: (request) => {
        tokenCalls++;
        return globalThis.fetch(request);
      },
    });
    const { client, seen } = alwaysUnauthorized();
    client.use(createAuthMiddleware({ credential }));
    const { response } = await client.GET("/insights/v1/plans");
    expect(response.status).toBe(401);
    expect(tokenCalls).toBe(2);
    expect(seen).toHaveLength(1);
  });
});
