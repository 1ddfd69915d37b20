// Behaviours 10 and 11: the middleware on a client of a toy spec (it works with ANY openapi-fetch
// client): Authorization only to allowed origins over safe transport, and one replay on a 401.
import createClient from "openapi-fetch";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  AuthConfigError,
  createApiKeyCredential,
  createAuthMiddleware,
  createStaticCredential,
  createTokenCache,
  OriginRefusedError,
} from "../src/index.js";
import { API_KEY, recordingFetch, STATIC_TOKEN, tokenResponse } from "./helpers.js";

/** A toy spec, unrelated to SIMCEL's, in openapi-typescript's shape. */
interface ToyPaths {
  "/widgets/{id}": {
    parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
    get: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
      requestBody?: never;
      responses: {
        200: { headers: { [name: string]: unknown }; content: { "application/json": { id: string; name: string } } };
        401: { headers: { [name: string]: unknown }; content: { "application/json": { message: string } } };
        403: { headers: { [name: string]: unknown }; content: { "application/json": { message: string } } };
      };
    };
  };
  "/widgets": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    post: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody: { content: { "application/json": { name: string } } };
      responses: {
        201: { headers: { [name: string]: unknown }; content: { "application/json": { id: string; name: string } } };
        401: { headers: { [name: string]: unknown }; content: { "application/json": { message: string } } };
      };
    };
  };
}

const API = "https://app.simcel.io/api";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** A token endpoint issuing tok_FAKE_1, tok_FAKE_2, … and a toy API that accepts the tokens in `valid`. */
function setup(
  options: {
    baseUrl?: string;
    valid?: (token: string, call: number) => boolean;
    status?: number;
    middleware?: Partial<Parameters<typeof createAuthMiddleware>[0]>;
  } = {},
) {
  const { baseUrl = API, valid = () => true, status = 401 } = options;
  const tokens = recordingFetch((_, call) => tokenResponse(`tok_FAKE_${call}`));
  const api = recordingFetch(async (request, call) => {
    // like a real fetch, the body is consumed whatever the answer
    const text = await request.text();
    const token = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
    if (!valid(token, call)) return Response.json({ message: "Bearer token is missing or has expired" }, { status });
    const body = text ? JSON.parse(text) : {};
    return Response.json({ id: "w1", name: "gear", ...body }, { status: request.method === "POST" ? 201 : 200 });
  });
  const credential = createApiKeyCredential({ apiKey: API_KEY, fetch: tokens.fetch });
  const middleware = createAuthMiddleware({ credential, ...options.middleware } as Parameters<
    typeof createAuthMiddleware
  >[0]);
  const client = createClient<ToyPaths>({ baseUrl, fetch: api.fetch });
  client.use(middleware);
  return { client, tokens, api, credential, middleware };
}

const bearer = (request: Request | undefined) => request?.headers.get("authorization");

describe("createAuthMiddleware: onRequest (behaviour 10)", () => {
  it("sets Authorization: Bearer <token> on requests of a toy spec's client", async () => {
    const { client, api, tokens } = setup();
    const { data, response } = await client.GET("/widgets/{id}", { params: { path: { id: "w1" } } });
    expect(response.status).toBe(200);
    expect(data?.name).toBe("gear");
    expect(bearer(api.requests[0])).toBe("Bearer tok_FAKE_1");
    await client.GET("/widgets/{id}", { params: { path: { id: "w2" } } });
    expect(bearer(api.requests[1])).toBe("Bearer tok_FAKE_1");
    expect(tokens.fetch).toHaveBeenCalledTimes(1);
  });

  it("refuses a request to another origin with a typed error naming it and allowedOrigins; nothing is sent", async () => {
    const { client, api, tokens } = setup({ baseUrl: "https://evil.example.test/api" });
    const error = await client.GET("/widgets/{id}", { params: { path: { id: "w1" } } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OriginRefusedError);
    expect(error).toMatchObject({ origin: "https://evil.example.test", code: "origin_refused" });
    expect((error as Error).message).toMatch(/https:\/\/evil\.example\.test.*allowedOrigins/);
    expect(api.fetch).not.toHaveBeenCalled();
    expect(tokens.fetch).not.toHaveBeenCalled();
  });

  it("refuses a look-alike origin (another port or scheme)", async () => {
    for (const baseUrl of ["https://app.simcel.io:8443/api", "https://app.simcel.io.evil.test/api"]) {
      const { client, api } = setup({ baseUrl });
      await expect(client.GET("/widgets/{id}", { params: { path: { id: "w1" } } })).rejects.toBeInstanceOf(
        OriginRefusedError,
      );
      expect(api.fetch).not.toHaveBeenCalled();
    }
  });

  it("sends to the origins listed in allowedOrigins instead", async () => {
    const { client, api } = setup({
      baseUrl: "https://eu.simcel.test/api",
      middleware: { allowedOrigins: ["https://eu.simcel.test/anything"] },
    });
    await client.GET("/widgets/{id}", { params: { path: { id: "w1" } } });
    expect(bearer(api.requests[0])).toBe("Bearer tok_FAKE_1");
  });

  it("refuses plain http to an allowed origin that is not loopback, naming allowInsecureHttp", async () => {
    const { client, api } = setup({
      baseUrl: "http://simcel.internal/api",
      middleware: { allowedOrigins: ["http://simcel.internal"] },
    });
    const error = await client.GET("/widgets/{id}", { params: { path: { id: "w1" } } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OriginRefusedError);
    expect((error as Error).message).toMatch(/http:\/\/simcel\.internal over http.*allowInsecureHttp/);
    expect(api.fetch).not.toHaveBeenCalled();
  });

  it("sends over plain http when allowInsecureHttp is set", async () => {
    const { client, api } = setup({
      baseUrl: "http://simcel.internal/api",
      middleware: { allowedOrigins: ["http://simcel.internal"], allowInsecureHttp: true },
    });
    await client.GET("/widgets/{id}", { params: { path: { id: "w1" } } });
    expect(bearer(api.requests[0])).toBe("Bearer tok_FAKE_1");
  });

  it("sends over plain http to loopback", async () => {
    const api = recordingFetch(() => Response.json({ id: "w1", name: "gear" }));
    const client = createClient<ToyPaths>({ baseUrl: "http://127.0.0.1:4010", fetch: api.fetch });
    client.use(
      createAuthMiddleware({
        credential: createStaticCredential({ token: STATIC_TOKEN, baseUrl: "http://127.0.0.1:4010" }),
      }),
    );
    await client.GET("/widgets/{id}", { params: { path: { id: "w1" } } });
    expect(bearer(api.requests[0])).toBe(`Bearer ${STATIC_TOKEN}`);
  });

  it("shares one cache between clients when given one", async () => {
    const tokens = recordingFetch(() => tokenResponse());
    const cache = createTokenCache(createApiKeyCredential({ apiKey: API_KEY, fetch: tokens.fetch }));
    const api = recordingFetch(() => Response.json({ id: "w1", name: "gear" }));
    for (let i = 0; i < 3; i++) {
      const client = createClient<ToyPaths>({ baseUrl: API, fetch: api.fetch });
      client.use(createAuthMiddleware({ cache }));
      await client.GET("/widgets/{id}", { params: { path: { id: "w1" } } });
    }
    expect(tokens.fetch).toHaveBeenCalledTimes(1);
    expect(api.requests.map(bearer)).toEqual(Array(3).fill("Bearer tok_FAKE_1"));
  });

  it("refuses bad options with config errors naming them", () => {
    expect(() => createAuthMiddleware({} as never)).toThrow(AuthConfigError);
    expect(() => createAuthMiddleware({} as never)).toThrow("credential or cache is required");
    const credential = createStaticCredential({ token: STATIC_TOKEN });
    expect(() => createAuthMiddleware({ credential, allowedOrigins: ["app.simcel.io"] })).toThrow(/allowedOrigins/);
  });
});

describe("createAuthMiddleware: onResponse (behaviour 11)", () => {
  it("on a 401, invalidates the token, gets a fresh one and replays the request once", async () => {
    const { client, api, tokens } = setup({ valid: (token) => token !== "tok_FAKE_1" });
    const { data, response } = await client.GET("/widgets/{id}", { params: { path: { id: "w1" } } });
    expect(response.status).toBe(200);
    expect(data?.id).toBe("w1");
    expect(api.requests.map(bearer)).toEqual(["Bearer tok_FAKE_1", "Bearer tok_FAKE_2"]);
    expect(tokens.fetch).toHaveBeenCalledTimes(2);
  });

  it("replays a POST with its body (cloned before the first send)", async () => {
    const { client, api } = setup({ valid: (token) => token !== "tok_FAKE_1" });
    const { data, response } = await client.POST("/widgets", { body: { name: "sprocket" } });
    expect(response.status).toBe(201);
    expect(data?.name).toBe("sprocket");
    expect(api.bodies).toEqual(['{"name":"sprocket"}', '{"name":"sprocket"}']);
    expect(api.requests.map((r) => r.method)).toEqual(["POST", "POST"]);
  });

  it("returns a second 401 as is: no request is replayed twice", async () => {
    const { client, api, tokens } = setup({ valid: () => false });
    const { error, response } = await client.GET("/widgets/{id}", { params: { path: { id: "w1" } } });
    expect(response.status).toBe(401);
    expect(error).toEqual({ message: "Bearer token is missing or has expired" });
    expect(api.fetch).toHaveBeenCalledTimes(2);
    expect(tokens.fetch).toHaveBeenCalledTimes(2);
  });

  it("never replays a 403", async () => {
    const { client, api, tokens } = setup({ valid: () => false, status: 403 });
    const { response } = await client.GET("/widgets/{id}", { params: { path: { id: "w1" } } });
    expect(response.status).toBe(403);
    expect(api.fetch).toHaveBeenCalledTimes(1);
    expect(tokens.fetch).toHaveBeenCalledTimes(1);
  });

  it("many concurrent 401s on the same token cause one refresh, and each request is replayed once", async () => {
    const { client, api, tokens } = setup({ valid: (token) => token !== "tok_FAKE_1" });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.GET("/widgets/{id}", { params: { path: { id: `w${i}` } } })),
    );
    expect(results.every((r) => r.response.status === 200)).toBe(true);
    expect(tokens.fetch).toHaveBeenCalledTimes(2);
    expect(api.fetch).toHaveBeenCalledTimes(40);
  });

  it("does not replay when the credential cannot renew the token (a static token)", async () => {
    const api = recordingFetch(() => Response.json({ message: "expired" }, { status: 401 }));
    const client = createClient<ToyPaths>({ baseUrl: API, fetch: api.fetch });
    client.use(createAuthMiddleware({ credential: createStaticCredential({ token: STATIC_TOKEN }) }));
    const { response } = await client.GET("/widgets/{id}", { params: { path: { id: "w1" } } });
    expect(response.status).toBe(401);
    expect(api.fetch).toHaveBeenCalledTimes(1);
  });

  it("lets each new call of the client (an insights-style retry) re-enter the middleware with the current token", async () => {
    const { client, api } = setup({ valid: (token) => token !== "tok_FAKE_1" });
    await client.GET("/widgets/{id}", { params: { path: { id: "w1" } } });
    await client.GET("/widgets/{id}", { params: { path: { id: "w1" } } });
    expect(api.requests.map(bearer)).toEqual(["Bearer tok_FAKE_1", "Bearer tok_FAKE_2", "Bearer tok_FAKE_2"]);
  });
});
