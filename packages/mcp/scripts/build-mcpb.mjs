#!/usr/bin/env node
// Builds simcel-mcp as one MCP Bundle file (.mcpb, for one-click install in Claude Desktop and other hosts):
// the built server (dist/bin.js) bundled with every dependency into server/index.js by esbuild, beside the MCP App
// page, the icons and a manifest, packed by the bundle tool's own `mcpb pack` after its `mcpb validate`.
// `node scripts/build-mcpb.mjs [OUT_DIR]` after `pnpm build`; writes OUT_DIR/simcel-mcp-VERSION.mcpb (default dist/).
// Nothing here touches the network: esbuild and @anthropic-ai/mcpb run from node_modules.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
/** The bundle tool's CLI, as installed (a devDependency: no download at build time). */
export const MCPB_CLI = join(root, "node_modules/@anthropic-ai/mcpb/dist/cli/cli.js");

/** A placeholder the host fills in when it starts the server (`${__dirname}`, `${user_config.api_key}`). */
export const placeholder = (name) => `\${${name}}`;

/** The tools the manifest lists for the host's install screen; a test checks them against tools/list. */
export const MANIFEST_TOOLS = [
  { name: "list_plans", description: "The SIMCEL plans and scenarios this key may read." },
  { name: "get_pnl_summary", description: "P&L summary of a plan's scenarios, by month or fiscal year." },
  { name: "get_demand_forecast", description: "Demand volume, value, fill rate and forecast accuracy." },
  {
    name: "get_sustainability",
    description: "CO2 emissions in tCO2e: inbound, storage, outbound, by DC, region or mode.",
  },
  { name: "compare_scenarios", description: "Each scenario's fiscal-year P&L against a base, KPI by KPI." },
];

/** The bundle's manifest (MCPB manifest 0.3). */
export function manifest() {
  return {
    manifest_version: "0.3",
    name: "simcel-mcp",
    display_name: "SIMCEL",
    version: pkg.version,
    description: "Read-only SIMCEL plans, P&L, demand, CO2 and scenario comparisons, with charts in the chat.",
    long_description:
      "Lets an AI assistant read your SIMCEL plans with a read-only API key (scopes insights:read and plans:read): P&L, demand forecast, CO2 and scenario comparisons, with prompts for common questions and charts in hosts that show MCP Apps. Turn on Sandbox (no key needed) to try it on invented data first.",
    author: { name: "SIMCEL SDK contributors", url: "https://github.com/simcel/simcel-sdk-typescript" },
    repository: { type: "git", url: "https://github.com/simcel/simcel-sdk-typescript" },
    homepage: "https://github.com/simcel/simcel-sdk-typescript/tree/main/packages/mcp#readme",
    license: pkg.license,
    icon: "icons/simcel-mcp-512.png",
    icons: [
      { src: "icons/simcel-mcp-48.png", size: "48x48" },
      { src: "icons/simcel-mcp-128.png", size: "128x128" },
      { src: "icons/simcel-mcp-512.png", size: "512x512" },
    ],
    server: {
      type: "node",
      entry_point: "server/index.js",
      mcp_config: {
        command: "node",
        args: [`${placeholder("__dirname")}/server/index.js`],
        env: {
          SIMCEL_API_KEY: placeholder("user_config.api_key"),
          SIMCEL_BASE_URL: placeholder("user_config.base_url"),
          SIMCEL_SANDBOX: placeholder("user_config.sandbox"),
        },
      },
    },
    tools: MANIFEST_TOOLS,
    prompts: [
      {
        name: "explain_ebit_bridge",
        description: "Why a scenario's EBIT differs from the base.",
        arguments: ["planId", "scenarioId"],
        text: `Explain the EBIT bridge of scenario ${placeholder("arguments.scenarioId")} in plan ${placeholder("arguments.planId")}.`,
      },
      {
        name: "variance_vs_committed",
        description: "Every scenario against the committed plan.",
        arguments: ["planId"],
        text: `Compare every scenario of plan ${placeholder("arguments.planId")} with its committed scenario.`,
      },
      {
        name: "co2_hotspots",
        description: "Where a plan's CO2 comes from.",
        arguments: ["planId"],
        text: `Find the CO2 hotspots of plan ${placeholder("arguments.planId")}.`,
      },
    ],
    keywords: pkg.keywords,
    compatibility: { platforms: ["darwin", "win32", "linux"], runtimes: { node: ">=20.11.0" } },
    user_config: {
      api_key: {
        type: "string",
        title: "SIMCEL API key",
        description:
          "A key with the scopes insights:read and plans:read (SIMCEL: Settings → API Keys). Never an admin key.",
        sensitive: true,
        required: false,
      },
      sandbox: {
        type: "boolean",
        title: "Sandbox (no account)",
        description: "Answer from a local SIMCEL sandbox with invented data instead of your account; no key needed.",
        default: false,
        required: false,
      },
      base_url: {
        type: "string",
        title: "SIMCEL API URL",
        description: "Leave as is unless SIMCEL gave you another.",
        default: "https://app.simcel.io/api",
        required: false,
      },
    },
  };
}

/** Stages and packs the bundle into `outDir`; resolves with the .mcpb path and the staging folder (for tests). */
export async function buildMcpb(outDir = join(root, "dist"), stage = mkdtempSync(join(tmpdir(), "simcel-mcpb-"))) {
  mkdirSync(join(stage, "server"), { recursive: true });
  mkdirSync(join(stage, "icons"), { recursive: true });
  await build({
    entryPoints: [join(root, "dist/bin.js")],
    outfile: join(stage, "server/index.js"),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    minify: true,
    legalComments: "none",
    logLevel: "warning",
    // CommonJS dependencies call require(): give the ESM bundle one
    banner: { js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);' },
  });
  copyFileSync(join(root, "dist/app.html"), join(stage, "server/app.html"));
  for (const icon of ["simcel-mcp.svg", "simcel-mcp-48.png", "simcel-mcp-128.png", "simcel-mcp-512.png"])
    copyFileSync(join(root, "icons", icon), join(stage, "icons", icon));
  // the server reads its version from ../package.json
  writeFileSync(
    join(stage, "package.json"),
    `${JSON.stringify({ name: pkg.name, version: pkg.version, type: "module", private: true }, null, 2)}\n`,
  );
  writeFileSync(join(stage, "manifest.json"), `${JSON.stringify(manifest(), null, 2)}\n`);
  execFileSync(process.execPath, [MCPB_CLI, "validate", join(stage, "manifest.json")], { stdio: "pipe" });
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `simcel-mcp-${pkg.version}.mcpb`);
  execFileSync(process.execPath, [MCPB_CLI, "pack", stage, file], { stdio: "pipe" });
  return { file, stage };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { file, stage } = await buildMcpb(process.argv[2]);
  rmSync(stage, { recursive: true, force: true });
  process.stdout.write(`${file}\n`);
}
