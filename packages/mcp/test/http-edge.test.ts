// The edge of simcel-mcp --http against callers without a valid key: what such a caller sends must never change
// what another tenant gets (its answers, its secrets' redaction, its sessions, its memory, its SIMCEL calls, its
// token), and a refusal says nothing about the upstream. Each attack runs on loopback against a sandbox that counts
// every token and API request, while a tenant with a real key is served beside it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../../packages/sandbox/src/index.js";
import { type SimcelMcpHttpOptions, type SimcelMcpHttpServer, startSimcelMcpHttpServer } from "../src/http.js";
import { textOf } from "./helpers.js";
import { connectHttp, rawPost } from "./http-helpers.js";

const KEY_A = "sk_test_FAKE_edge_alpha_0000000000";

let simcel: Sandbox;
const logLines: string[] = [];
const servers: SimcelMcpHttpServer[] = [];
const closers: Array<() => Promise<void>> = [];

const logger = Object.fromEntries(
  (["debug", "info", "warn", "error"] as const).map((level) => [
    level,
    (message: string, fields?: Record<string, unknown>) =>
      logLines.push(`${level} ${message} ${JSON.stringify(fields)}`),
  ]),
);

async function start(options: Partial<SimcelMcpHttpOptions> = {}) {
  const server = await startSimcelMcpHttpServer({
    env: { SIMCEL_BASE_URL: simcel.url },
    version: "0.0.0-test",
    port: 0,
    logger,
    ...options,
  });
  servers.push(server);
  return server;
}
async function connect(url: string, bearer: string) {
  const connection = await connectHttp(url, { bearer });
  closers.push(connection.close);
  return connection;
}

beforeAll(async () => {
  simcel = await startSandbox({ record: true });
  simcel.createApiKey({ key: KEY_A });
});
afterEach(async () => {
  await Promise.allSettled(closers.splice(0).map((close) => close()));
  await Promise.allSettled(servers.splice(0).map((s) => s.close()));
  simcel.clearFaults();
});
afterAll(async () => {
  await simcel?.close();
});

describe("a bearer SIMCEL has not accepted changes nothing another tenant gets", () => {
  it("junk bearers shaped like JSON or field names leave every tenant's answers whole and valid", async () => {
    const server = await start();
    const tenant = await connect(server.url, KEY_A);
    const expected = (await tenant.client.callTool({ name: "list_plans", arguments: {} })).structuredContent;
    expect(expected).toBeDefined();
    for (const junk of ['"plans":', "scenarios", '"name":"', "currency"])
      expect((await rawPost(server.url, { authorization: `Bearer ${junk}` })).status).toBe(401);

    const after = await tenant.client.callTool({ name: "list_plans", arguments: {} });
    expect(after.isError, textOf(after as { content?: unknown })).toBeFalsy();
    expect(after.structuredContent).toEqual(expected);
    expect(JSON.parse(textOf(after as { content?: unknown }))).toEqual(expected);
    const read = await tenant.client.readResource({ uri: "simcel://plans" });
    const text = (read.contents[0] as { text: string }).text;
    expect(JSON.parse(text)).toEqual(expected);
  });
});
