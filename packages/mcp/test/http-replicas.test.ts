// Any replica answers any request: two `simcel-mcp --http --stateless` processes (the built executable) sharing a
// Redis token store, behind a round-robin balancer with no affinity that the test starts on loopback. The MCP SDK's
// client goes through the balancer whole (initialize, tools/list, tool calls with progress, resource reads), the
// fleet asks SIMCEL for one token per key, and when one replica dies the next calls are served by the other.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../../packages/sandbox/src/index.js";
import { type RunningRedis, startRedis } from "../../../scripts/redis.mjs";
import { type RoundRobinProxy, startRoundRobinProxy } from "../../../scripts/round-robin-proxy.mjs";
import { until } from "../../../scripts/test/rig.js";
import { connectHttp, type HttpProcess, startHttpProcess } from "./http-helpers.js";

const KEY = "sk_test_FAKE_replicas_key_0000000";

let simcel: Sandbox;
let redis: RunningRedis;
let replicas: HttpProcess[];
let balancer: RoundRobinProxy;
let planId: string;

beforeAll(async () => {
  [simcel, redis] = await Promise.all([startSandbox(), startRedis()]);
  simcel.createApiKey({ key: KEY });
  planId = simcel.plans[0]?.id as string;
  const env = { SIMCEL_BASE_URL: simcel.url, SIMCEL_TOKEN_STORE: redis.url };
  replicas = await Promise.all([1, 2].map(() => startHttpProcess(env, ["--stateless"])));
  balancer = await startRoundRobinProxy(replicas.map((r) => new URL(r.url).origin));
}, 30_000);
afterAll(async () => {
  await balancer?.close();
  await Promise.allSettled((replicas ?? []).map((r) => r.stop()));
  await Promise.allSettled([simcel?.close(), redis?.stop()]);
});

const mcpUrl = () => `${balancer.url}/mcp`;

describe("two stateless replicas behind a round-robin balancer", () => {
  it("serve one SDK client whole: initialize, tools/list, a tool call with progress, resource reads", async () => {
    const { client, transport, close } = await connectHttp(mcpUrl(), { bearer: KEY });
    try {
      expect(transport.sessionId).toBeUndefined();
      expect((await client.listTools()).tools.map((t) => t.name)).toContain("compare_scenarios");
      const progress: number[] = [];
      const compared = await client.callTool({ name: "compare_scenarios", arguments: { planId } }, undefined, {
        onprogress: (p) => progress.push(p.progress),
      });
      expect(compared.isError).toBeFalsy();
      expect(progress.length).toBeGreaterThan(1);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      const plans = await client.readResource({ uri: "simcel://plans" });
      expect(JSON.parse((plans.contents[0] as { text: string }).text).plans.length).toBeGreaterThan(0);
      const plan = await client.readResource({ uri: `simcel://plans/${planId}` });
      expect(JSON.parse((plan.contents[0] as { text: string }).text).id).toBe(planId);
      // the balancer spread the requests: both replicas answered some
      expect(Math.min(...balancer.served)).toBeGreaterThan(0);
    } finally {
      await close();
    }
  });

  it("one SIMCEL token for the fleet: 2 replicas × 10 agents × 10 calls on one key make 1 token request", async () => {
    const agents = await Promise.all(Array.from({ length: 10 }, () => connectHttp(mcpUrl(), { bearer: KEY })));
    try {
      await Promise.all(
        agents.map(async ({ client }) => {
          for (let call = 0; call < 10; call++)
            expect((await client.callTool({ name: "list_plans", arguments: {} })).isError).toBeFalsy();
        }),
      );
    } finally {
      await Promise.all(agents.map((a) => a.close()));
    }
    // the whole file's one token: the first test's replica asked, the other found it in Redis
    expect(simcel.counts.token).toBe(1);
    expect(Math.min(...balancer.served)).toBeGreaterThan(50);
  });

  it("when a replica dies mid-call, its call may fail, and the next calls succeed on the other", async () => {
    const { client, close } = await connectHttp(mcpUrl(), { bearer: KEY });
    try {
      const release = simcel.hold("getPnlSummary");
      const inFlight = client
        .callTool({ name: "get_pnl_summary", arguments: { planId } })
        .then((r) => (r.isError ? "tool error" : "answered"))
        .catch(() => "failed");
      await until(() => simcel.counts.inFlight === 1);
      const victim = replicas[balancer.lastTarget()] as HttpProcess;
      victim.child.kill("SIGKILL");
      await victim.exited;
      release();
      expect(["answered", "tool error", "failed"]).toContain(await inFlight);
      for (let call = 0; call < 6; call++) {
        const result = await client.callTool({ name: "get_pnl_summary", arguments: { planId } });
        expect(result.isError, `call ${call}`).toBeFalsy();
      }
      expect((await client.readResource({ uri: "simcel://plans" })).contents).toHaveLength(1);
    } finally {
      await close();
    }
  });
});
