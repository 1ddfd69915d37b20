// Two authorization servers (two replicas) sharing one Redis under one secret and one public URL: any step of the
// flow may land on either, a token issued by one is honoured by the other, a revocation on one holds on both, and a
// code or refresh token presented to both at once is taken by exactly one (the store's atomic take-once).
import { createRedisTokenStore, type RedisTokenStore } from "@simcel/token-store-redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../../packages/sandbox/src/index.js";
import { type RunningRedis, startRedis } from "../../../scripts/redis.mjs";
import { CALLBACK, flowDriver, pkcePair, startOAuth } from "./oauth-helpers.js";

const KEY = "sk_test_FAKE_oauth_replicas_00000";
const PUBLIC = "https://mcp.example.com";

let simcel: Sandbox;
let redis: RunningRedis;
const stores: RedisTokenStore[] = [];
let replicas: Array<Awaited<ReturnType<typeof startOAuth>>>;

beforeAll(async () => {
  [simcel, redis] = await Promise.all([startSandbox(), startRedis()]);
  simcel.createApiKey({ key: KEY });
  replicas = await Promise.all(
    [1, 2].map(() => {
      const store = createRedisTokenStore({ url: redis.url });
      stores.push(store);
      return startOAuth({ simcelBaseUrl: simcel.url, store, publicUrl: PUBLIC, allowedHosts: ["127.0.0.1"] });
    }),
  );
});
afterAll(async () => {
  await Promise.allSettled((replicas ?? []).map((r) => r.close()));
  await Promise.allSettled(stores.map((s) => s.close()));
  await Promise.allSettled([simcel?.close(), redis?.stop()]);
});

/** Each step of a flow on alternate replicas; the code at the end. */
async function codeAcrossReplicas() {
  const [a, b] = replicas.map((r) => flowDriver(r.origin)) as [
    ReturnType<typeof flowDriver>,
    ReturnType<typeof flowDriver>,
  ];
  const { body } = await a.register();
  const clientId = body.client_id as string;
  const { verifier, challenge } = pkcePair();
  const page = await b.open(clientId, challenge);
  expect(page.res.status).toBe(200);
  // the page's own origin is the public one: that is what a browser sends behind the balancer
  const allowed = await a.post(page, { decision: "allow", api_key: KEY }, { origin: PUBLIC });
  expect(allowed.html).toContain("<code>plans:read</code>");
  const back = await b.post(page, { decision: "continue" }, { origin: PUBLIC });
  const code = new URL(back.location).searchParams.get("code") as string;
  expect(code).toMatch(/^mcp_ac_/);
  return { a, b, clientId, verifier, code };
}

describe("two replicas sharing a Redis store", () => {
  it("serve one flow step by step, honour each other's tokens, and a revocation on one holds on the other", async () => {
    const { a, b, clientId, verifier, code } = await codeAcrossReplicas();
    const tokens = (
      await a.token({
        grant_type: "authorization_code",
        code,
        client_id: clientId,
        redirect_uri: CALLBACK,
        code_verifier: verifier,
      })
    ).body;
    const [first, second] = replicas.map((r) => r.oauth) as [
      (typeof replicas)[0]["oauth"],
      (typeof replicas)[0]["oauth"],
    ];
    expect(await second.verify(tokens.access_token as string)).toMatchObject({ credential: { apiKey: KEY } });
    const refreshed = (
      await b.token({ grant_type: "refresh_token", refresh_token: tokens.refresh_token as string, client_id: clientId })
    ).body;
    expect(await first.verify(refreshed.access_token as string)).toBeDefined();
    expect(await b.revoke({ token: refreshed.access_token as string, client_id: clientId })).toBe(200);
    expect(await first.verify(refreshed.access_token as string)).toBeUndefined();
    expect(await first.verify(tokens.access_token as string)).toBeUndefined();
  });

  it("let exactly one of many simultaneous exchanges of one code (on both replicas) win", async () => {
    const { a, b, clientId, verifier, code } = await codeAcrossReplicas();
    const exchange = {
      grant_type: "authorization_code",
      code,
      client_id: clientId,
      redirect_uri: CALLBACK,
      code_verifier: verifier,
    };
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).token(exchange)));
    expect(answers.filter((x) => x.status === 200)).toHaveLength(1);
    expect(answers.filter((x) => x.body.error === "invalid_grant")).toHaveLength(9);
  });

  it("let exactly one of many simultaneous uses of one refresh token win", async () => {
    const { a, b, clientId, verifier, code } = await codeAcrossReplicas();
    const tokens = (
      await a.token({
        grant_type: "authorization_code",
        code,
        client_id: clientId,
        redirect_uri: CALLBACK,
        code_verifier: verifier,
      })
    ).body;
    const refresh = { grant_type: "refresh_token", refresh_token: tokens.refresh_token as string, client_id: clientId };
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).token(refresh)));
    expect(answers.filter((x) => x.status === 200)).toHaveLength(1);
  });
});
