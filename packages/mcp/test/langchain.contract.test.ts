// LangChain's own MCP adapters (@langchain/mcp-adapters with @langchain/core), which no one here wrote, against
// simcel-mcp --sandbox over Streamable HTTP and stdio: every tool is listed as a LangChain tool and invoked.
import { MultiServerMCPClient } from "@langchain/mcp-adapters";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callsFor, firstPlanId, TOOL_NAMES } from "./frameworks.js";
import { serverPath } from "./helpers.js";
import { type HttpProcess, startHttpProcess } from "./http-helpers.js";

let http: HttpProcess;
beforeAll(async () => {
  http = await startHttpProcess({}, ["--sandbox"]);
});
afterAll(() => http?.stop());

/** Lists the tools through LangChain and invokes every one; each answer must hold the plan's figures. */
async function listAndInvokeEvery(client: MultiServerMCPClient) {
  const tools = await client.getTools();
  const byName = new Map(tools.map((t) => [t.name.replace(/^.*__/, ""), t]));
  expect([...byName.keys()].sort()).toEqual([...TOOL_NAMES].sort());
  const planId = firstPlanId(await byName.get("list_plans")!.invoke({}));
  for (const [name, args] of Object.entries(callsFor(planId))) {
    const answer = JSON.stringify(await byName.get(name)!.invoke(args));
    // an MCP tool error reaches LangChain as a thrown ToolException, so an answer here is a result
    expect(answer, name).toContain(`"planId\\":\\"${planId}`);
  }
}

describe("LangChain's MCP adapters (@langchain/mcp-adapters) against simcel-mcp --sandbox", () => {
  it("over Streamable HTTP: lists every tool and invokes each", async () => {
    const client = new MultiServerMCPClient({ mcpServers: { simcel: { transport: "http", url: http.url } } });
    try {
      await listAndInvokeEvery(client);
    } finally {
      await client.close();
    }
  });

  it("over stdio: lists every tool and invokes each", async () => {
    const client = new MultiServerMCPClient({
      mcpServers: {
        simcel: {
          transport: "stdio",
          command: process.execPath,
          args: [serverPath, "--sandbox"],
          env: { PATH: process.env.PATH ?? "" },
          stderr: "ignore",
        },
      },
    });
    try {
      await listAndInvokeEvery(client);
    } finally {
      await client.close();
    }
  });
});
