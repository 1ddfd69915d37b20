// createAuthMiddleware({ credential, store }): two "processes" (two middlewares, two credentials from one
// key) share one token through the store; a 401 seen by both causes one new token request.
import { describe, expect, it } from "vitest";
import {
  createApiKeyCredential,
  createAuthMiddleware,
  createMemoryTokenStore,
  createStaticCredential,
} from "../src/index.js";
import { API_KEY } from "./helpers.js";

describe("createAuthMiddleware with a store", () => {
  it("shares one token between processes, and one refresh after a 401", async () => {
    let issued = 0;
    const fetch = async () => Response.json({ accessToken: `tok_FAKE_w${++issued}`, expiresIn: 3600 });
    const store = createMemoryTokenStore();
    const sources: string[] = [];
    const process_ = () =>
      createAuthMiddleware({
        credential: createApiKeyCredential({ apiKey: API_KEY, fetch }),
        store,
        hooks: { onTokenRefresh: (e) => sources.push(String(e.source)) },
      });
    const [a, b] = [process_(), process_()];
    const send = async (m: ReturnType<typeof process_>) =>
      (await m.onRequest({ request: new Request("https://app.simcel.io/api/insights/v1/plans") })).headers.get(
        "authorization",
      );
    expect(await send(a)).toBe("Bearer tok_FAKE_w1");
    expect(await send(b)).toBe("Bearer tok_FAKE_w1");
    expect(issued).toBe(1);
    expect(sources).toEqual(["request", "store"]);
    // both see the API refuse tok_FAKE_w1
    const refused = () => new Response("{}", { status: 401 });
    for (const m of [a, b]) {
      const request = new Request("https://app.simcel.io/api/insights/v1/plans", {
        headers: { authorization: "Bearer tok_FAKE_w1" },
      });
      await m.onRequest({ request });
      await m.onResponse({ request, response: refused(), options: { fetch: async () => new Response("{}") } });
    }
    expect(await send(a)).toBe("Bearer tok_FAKE_w2");
    expect(await send(b)).toBe("Bearer tok_FAKE_w2");
    expect(issued).toBe(2);
  });

  it("a static token never touches the store", async () => {
    const store = createMemoryTokenStore();
    const calls: string[] = [];
    const watched = Object.fromEntries(
      Object.entries(store).map(([k, f]) => [
        k,
        (...a: never[]) => {
          calls.push(k);
          return (f as (...x: never[]) => unknown)(...a);
        },
      ]),
    ) as never;
    const m = createAuthMiddleware({
      credential: createStaticCredential({ token: "tok_FAKE_static" }),
      store: watched,
    });
    await m.onRequest({ request: new Request("https://app.simcel.io/api/x") });
    expect(calls).toEqual([]);
  });
});
