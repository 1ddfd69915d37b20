// The Vercel AI SDK's own MCP client (@ai-sdk/mcp), which no one here wrote, against simcel-mcp --sandbox over
// Streamable HTTP and stdio: it converts every tool and calls each through `execute`, as an agent built on it does.
import { createMCPClient } from "@ai-sdk/mcp";
import { StdioMCPTransport } from "@ai-sdk/mcp/mcp-stdio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callsFor, firstPlanId, TOOL_NAMES } from "./frameworks.js";
import { serverPath } from "./helpers.js";
import { type HttpProcess, startHttpProcess } from "./http-helpers.js";

let http: HttpProcess;
beforeAll(async () => {
  http = await startHttpProcess({}, ["--sandbox"]);
});
afterAll(() => http?.stop());

type Client = Awaited<ReturnType<typeof createMCPClient>>;

/** Lists the tools through the AI SDK and calls every one; each answer must be a result, not an error. */
async function listAndCallEvery(client: Client) {
  const tools = await client.tools();
  expect(Object.keys(tools).sort()).toEqual([...TOOL_NAMES].sort());
  const options = (id: string) => ({ toolCallId: id, messages: [], context: {} });
  const plans = (await tools.list_plans!.execute({}, options("plans"))) as { isError?: boolean; content: unknown };
  expect(plans.isError).toBeFalsy();
  const planId = firstPlanId(plans.content);
  for (const [name, args] of Object.entries(callsFor(planId))) {
    const result = (await tools[name]!.execute(args, options(name))) as {
      isError?: boolean;
      content: Array<{ type: string; text?: string }>;
      structuredContent?: { meta?: { planId?: string } };
    };
    expect(result.isError, `${name}: ${result.content[0]?.text}`).toBeFalsy();
    expect(result.structuredContent?.meta?.planId, name).toBe(planId);
  }
}

describe("the Vercel AI SDK's MCP client (@ai-sdk/mcp) against simcel-mcp --sandbox", () => {
  it("over Streamable HTTP: converts every tool and executes each", async () => {
    const client = await createMCPClient({ transport: { type: "http", url: http.url } });
    try {
      await listAndCallEvery(client);
    } finally {
      await client.close();
    }
  });

  it("over stdio: converts every tool and executes each", async () => {
    const client = await createMCPClient({
      transport: new StdioMCPTransport({
        command: process.execPath,
        args: [serverPath, "--sandbox"],
        env: { PATH: process.env.PATH ?? "" },
        stderr: "ignore",
      }),
    });
    try {
      await listAndCallEvery(client);
    } finally {
      await client.close();
    }
  });
});
