// MCP Apps (the ext-apps extension): the chart tools name a `ui://` page that hosts able to show one render in the
// chat, beside the answer. The page (dist/app.html, built with the server) receives the tool's result from the host
// and draws the charts of `simcel report` from it. Hosts without MCP Apps ignore `_meta.ui` and the resource, and get
// the same result as ever.
import { readFileSync } from "node:fs";
import type { ReadResourceResult, Resource, Tool } from "@modelcontextprotocol/sdk/types.js";

/** The URI of the charts page. */
export const APP_URI = "ui://simcel/charts.html";
/** The MIME type of an MCP App page (ext-apps' RESOURCE_MIME_TYPE). */
export const APP_MIME_TYPE = "text/html;profile=mcp-app";
/** The tools whose results the page draws. */
export const CHART_TOOLS: readonly string[] = [
  "get_pnl_summary",
  "compare_scenarios",
  "get_demand_forecast",
  "get_sustainability",
];

/** What the host should allow the page: no network at all (it is one self-contained file), no border of its own. */
const uiMeta = { csp: { connectDomains: [], resourceDomains: [] }, prefersBorder: true };

/** The `_meta` that links a chart tool to the page; nothing for the other tools. */
export function appMetaFor(tool: string): Pick<Tool, "_meta"> {
  return CHART_TOOLS.includes(tool) ? { _meta: { ui: { resourceUri: APP_URI } } } : {};
}

/** The page as resources/list announces it. */
export const APP_RESOURCE: Resource = {
  uri: APP_URI,
  name: "charts",
  title: "SIMCEL charts",
  description:
    "The page MCP Apps hosts show beside get_pnl_summary, compare_scenarios, get_demand_forecast and get_sustainability: EBIT bridges, monthly lines and CO2 bars of the result.",
  mimeType: APP_MIME_TYPE,
  _meta: { ui: uiMeta },
};

let page: string | undefined;
/** The built page, read once; `file` is where the build put it (beside the executable). */
export function readAppResource(file: URL = new URL("./app.html", import.meta.url)): ReadResourceResult {
  page ??= readFileSync(file, "utf8");
  return { contents: [{ uri: APP_URI, mimeType: APP_MIME_TYPE, text: page, _meta: { ui: uiMeta } }] };
}
