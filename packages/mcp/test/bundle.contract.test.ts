// Installing in one step: the MCP Bundle (.mcpb) built by scripts/build-mcpb.mjs passes the bundle tool's own
// validator (run from node_modules: no network), holds a server that runs on its own (every dependency inside) as a
// host starts it from the manifest, and announces the icons; server.json (the MCP registry entry) names this package.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs build script, no declarations
import { buildMcpb, MANIFEST_TOOLS, MCPB_CLI, placeholder } from "../scripts/build-mcpb.mjs";
import { FAKE_KEY, runProcess } from "./helpers.js";

const work = mkdtempSync(join(tmpdir(), "simcel-mcpb-test-"));
let bundle: { file: string; stage: string };
let client: Client;
beforeAll(async () => {
  bundle = await buildMcpb(join(work, "out"), join(work, "stage"));
  const manifest = JSON.parse(readFileSync(join(bundle.stage, "manifest.json"), "utf8"));
  // start it as a host does: the manifest's command, ${__dirname} and ${user_config.*} filled in
  const fill = (text: string) =>
    text
      .replace(placeholder("__dirname"), bundle.stage)
      .replace(placeholder("user_config.api_key"), "")
      .replace(placeholder("user_config.base_url"), "https://app.simcel.io/api")
      .replace(placeholder("user_config.sandbox"), "true");
  const config = manifest.server.mcp_config as { command: string; args: string[]; env: Record<string, string> };
  client = new Client({ name: "mcpb-test-host", version: "0.0.0" });
  await client.connect(
    new StdioClientTransport({
      command: config.command === "node" ? process.execPath : config.command,
      args: config.args.map(fill),
      env: {
        PATH: process.env.PATH ?? "",
        ...Object.fromEntries(Object.entries(config.env).map(([k, v]) => [k, fill(v)])),
      },
      stderr: "ignore",
    }),
  );
}, 60_000);
afterAll(async () => {
  await client?.close();
  rmSync(work, { recursive: true, force: true });
});

const mcpb = (...args: string[]) => runProcess(process.execPath, [MCPB_CLI, ...args], { PATH: process.env.PATH ?? "" });

describe("the .mcpb bundle", () => {
  it("passes mcpb validate, which fails a manifest without its server", async () => {
    const ok = await mcpb("validate", join(bundle.stage, "manifest.json"));
    expect(ok.code, ok.output).toBe(0);
    const broken = join(work, "broken.json");
    const { server: _, ...rest } = JSON.parse(readFileSync(join(bundle.stage, "manifest.json"), "utf8"));
    writeFileSync(broken, JSON.stringify(rest));
    const bad = await mcpb("validate", broken);
    expect(bad.code).not.toBe(0);
  });

  it("is one zip file that unpacks to the manifest, the server, the app page and the icons", async () => {
    expect(readFileSync(bundle.file).subarray(0, 2).toString()).toBe("PK");
    const into = join(work, "unpacked");
    const unpacked = await mcpb("unpack", bundle.file, into);
    expect(unpacked.code, unpacked.output).toBe(0);
    for (const file of ["manifest.json", "server/index.js", "server/app.html", "icons/simcel-mcp-512.png"])
      expect(() => readFileSync(join(into, file)), file).not.toThrow();
    // no node_modules: the server is one file with its dependencies inside
    const list = spawnSync("find", [into, "-name", "node_modules"], { encoding: "utf8" }).stdout.trim();
    expect(list).toBe("");
  });

  it("runs as the host starts it, sandboxed: the manifest's tools are the server's, and list_plans answers", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(MANIFEST_TOOLS.map((t: { name: string }) => t.name).sort());
    const plans = await client.callTool({ name: "list_plans", arguments: {} });
    expect(plans.isError).toBeFalsy();
    const page = await client.readResource({ uri: "ui://simcel/charts.html" });
    expect((page.contents[0] as { text: string }).text).toContain("Content-Security-Policy");
  });

  it("announces its icons in initialize and on each tool, as data: URIs (nothing to fetch)", async () => {
    const info = client.getServerVersion() as { icons?: Array<{ src: string; mimeType?: string; sizes?: string[] }> };
    expect(info.icons?.map((i) => i.mimeType)).toEqual(["image/svg+xml", "image/png", "image/png"]);
    const svg = Buffer.from(info.icons![0]!.src.replace(/^data:image\/svg\+xml;base64,/, ""), "base64").toString();
    expect(svg).toBe(readFileSync(new URL("../icons/simcel-mcp.svg", import.meta.url), "utf8"));
    const { tools } = await client.listTools();
    for (const tool of tools) expect(tool.icons?.[0]?.src, tool.name).toMatch(/^data:image\/svg\+xml;base64,/);
  });
});

describe("the icon files", () => {
  it("are PNGs of the sizes they are named for", () => {
    for (const size of [48, 128, 512]) {
      const png = readFileSync(new URL(`../icons/simcel-mcp-${size}.png`, import.meta.url));
      expect(png.subarray(1, 4).toString(), `${size}`).toBe("PNG");
      expect([png.readUInt32BE(16), png.readUInt32BE(20)], `${size}`).toEqual([size, size]);
    }
  });
});

describe("server.json, the MCP registry entry", () => {
  const entry = JSON.parse(readFileSync(new URL("../server.json", import.meta.url), "utf8"));
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  it("names this package, its version and the registry name npm checks (package.json mcpName)", () => {
    expect(entry.name).toBe(pkg.mcpName);
    expect(entry.version).toBe(pkg.version);
    expect(entry.packages).toEqual([
      expect.objectContaining({
        registryType: "npm",
        identifier: pkg.name,
        version: pkg.version,
        transport: { type: "stdio" },
      }),
    ]);
    expect(pkg.files).toContain("server.json");
  });

  it("lists only environment variables the server reads, secrets marked secret", () => {
    const help = execFileSync(process.execPath, [join(__dirname, "../dist/bin.js"), "--help"], { encoding: "utf8" });
    for (const variable of entry.packages[0].environmentVariables as Array<{ name: string; isSecret: boolean }>) {
      expect(help, variable.name).toContain(variable.name);
      expect(variable.isSecret, variable.name).toBe(/KEY|SECRET/.test(variable.name));
    }
    expect(JSON.stringify(entry)).not.toContain(FAKE_KEY);
  });
});
