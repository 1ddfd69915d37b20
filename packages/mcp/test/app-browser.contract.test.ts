// The MCP App in a real browser: the built server (--sandbox) announces its charts page on the chart tools and
// serves it; a host page running ext-apps' own AppBridge puts it in a sandboxed iframe in headless Chromium, with
// every network request refused, and sends it real tool results. The page must draw the report's charts (SVG), in
// light and dark, and show API text as text. Screenshots go to reports/mcp-app-*.png for people.
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { getToolUiResourceUri, RESOURCE_MIME_TYPE } from "@modelcontextprotocol/ext-apps/app-bridge";
import { build } from "esbuild";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../../scripts/prism.mjs";
import { type LaunchedChromium, launchChromium } from "../../../scripts/test/chromium.js";
import { type Connection, callTool, connect } from "./helpers.js";

const HOST = "http://host.test/";
let on: Connection;
let browser: LaunchedChromium;
let page: Page;
let appHtml: string;
/** Requests the page tried other than the host page itself: there must be none. */
const refused: string[] = [];
let planId: string;

beforeAll(async () => {
  on = await connect({}, ["--sandbox"]);
  const hostScript = (
    await build({
      entryPoints: [new URL("./app-host.ts", import.meta.url).pathname],
      bundle: true,
      format: "iife",
      platform: "browser",
      write: false,
      logLevel: "error",
    })
  ).outputFiles[0]!.text;
  browser = await launchChromium({ viewport: { width: 800, height: 900 } });
  await browser.context.route("**/*", (route) => {
    if (route.request().url() === HOST)
      return route.fulfill({
        contentType: "text/html",
        body: `<!doctype html><html><head><meta charset="utf-8"><title>test host</title></head><body style="margin:0;background:#ccc"><script>${hostScript}</script></body></html>`,
      });
    refused.push(route.request().url());
    return route.abort();
  });
  page = await browser.context.newPage();
  await page.goto(HOST);
  appHtml = ((await on.client.readResource({ uri: "ui://simcel/charts.html" })).contents[0] as { text: string }).text;
  planId = ((await callTool(on, "list_plans")).structuredContent as { plans: Array<{ id: string }> }).plans[0]!.id;
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await on?.close();
});

/** Shows `result` in a fresh host page; resolves with the number of charts the app says it drew. */
async function show(result: object, theme: "light" | "dark" = "light") {
  await page.goto(HOST);
  await page.evaluate(([html, r, t]) => window.showApp(html, r as Record<string, unknown>, t), [
    appHtml,
    result,
    theme,
  ] as const);
  const frame = page.frameLocator("iframe");
  await frame.locator("#app[data-charts]").waitFor({ timeout: 10_000 });
  // the app reports its new size after drawing: wait until the host has given the iframe that height
  const height = await frame.locator("html").evaluate(async (html) => {
    await new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted)));
    return html.scrollHeight;
  });
  await page.waitForFunction((h) => (document.querySelector("iframe")?.clientHeight ?? 0) >= h, height, {
    timeout: 10_000,
  });
  return frame;
}

/** Saves the host page to reports/mcp-app-NAME.png; the viewport first grows to the whole iframe, since Chromium
 * paints an out-of-process iframe only as far as the viewport reaches. */
async function snap(name: string) {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: 800, height });
  await page.screenshot({ path: resolve(repoRoot, `reports/mcp-app-${name}.png`) });
  await page.setViewportSize({ width: 800, height: 900 });
}

describe("the MCP App of the chart tools", () => {
  it("is announced on the four chart tools only, and served as an MCP App page with a no-network policy", async () => {
    const { tools } = await on.client.listTools();
    const withUi = tools.filter((t) => getToolUiResourceUri(t)).map((t) => t.name);
    expect(withUi.sort()).toEqual([
      "compare_scenarios",
      "get_demand_forecast",
      "get_pnl_summary",
      "get_sustainability",
    ]);
    const uri = getToolUiResourceUri(tools.find((t) => t.name === "get_pnl_summary")!)!;
    const { resources } = await on.client.listResources();
    expect(resources.find((r) => r.uri === uri)).toMatchObject({ mimeType: RESOURCE_MIME_TYPE });
    const read = await on.client.readResource({ uri });
    const content = read.contents[0] as { mimeType: string; text: string };
    expect(content.mimeType).toBe(RESOURCE_MIME_TYPE);
    expect(content.text).toBe(appHtml);
    expect(appHtml).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none';[^"]*connect-src 'none'/,
    );
    expect(appHtml).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
  });

  it("draws the EBIT bridges of a real compare_scenarios result, with no network", async () => {
    const result = await callTool(on, "compare_scenarios", { planId });
    expect(result.isError).toBeFalsy();
    const rows = (result.structuredContent as { rows: unknown[] }).rows.length;
    const frame = await show(result);
    expect(await frame.locator('svg[data-chart="bridge"]').count()).toBe(rows);
    // each bridge has its bars: base, 5 steps, target
    expect(await frame.locator('svg[data-chart="bridge"]').first().locator("rect").count()).toBeGreaterThanOrEqual(7);
    // a comparison has no API colours: no scenario's bar takes the colour of "raises" or "lowers EBIT"
    const ends = await frame
      .locator('svg[data-chart="bridge"]')
      .evaluateAll((svgs) =>
        svgs.map((svg) => [...svg.querySelectorAll("rect")].map((r) => r.getAttribute("fill")?.toUpperCase())),
      );
    expect(ends).toHaveLength(rows);
    for (const fills of ends) {
      const [base, target] = [fills[0], fills.at(-1)];
      expect(["#009E73", "#D55E00"]).not.toContain(target);
      // and never the base's colour within one bridge
      expect(target).not.toBe(base);
    }
    mkdirSync(resolve(repoRoot, "reports"), { recursive: true });
    await snap("bridge");
    expect(refused).toEqual([]);
  });

  it("draws monthly P&L lines, demand lines and CO2 bars from real results, in light and dark", async () => {
    const cases = [
      ["get_pnl_summary", { planId, interval: "M" }, ["pnl-ebit", "pnl-net-sales"]],
      ["get_demand_forecast", { planId, interval: "M" }, ["demand-volume", "fill-rate"]],
      ["get_sustainability", { planId, interval: "FY" }, ["co2-summary", "co2-breakdown"]],
    ] as const;
    for (const [tool, args, charts] of cases) {
      const result = await callTool(on, tool, args);
      expect(result.isError, result.content[0]?.text).toBeFalsy();
      const frame = await show(result, tool === "get_sustainability" ? "dark" : "light");
      for (const chart of charts)
        expect(await frame.locator(`svg[data-chart="${chart}"]`).count(), `${tool} ${chart}`).toBe(1);
      // a line per scenario
      if (tool !== "get_sustainability")
        expect(await frame.locator(`svg[data-chart="${charts[0]}"] path[stroke]`).count()).toBeGreaterThan(1);
      await snap(tool.replace(/^get_/, "").replace(/_/g, "-"));
    }
    // the dark theme reached the page: light text on a dark background
    const frame = page.frameLocator("iframe");
    const colors = await frame
      .locator("body")
      .evaluate((b) => [getComputedStyle(b).backgroundColor, getComputedStyle(b).color]);
    expect(colors).toEqual(["rgb(22, 25, 31)", "rgb(230, 233, 239)"]);
    expect(refused).toEqual([]);
  });

  it("shows API text as text: a scenario name holding markup draws as those characters", async () => {
    const result = await callTool(on, "get_sustainability", { planId, interval: "FY" });
    const evil = '<img src=x onerror="document.title=1">\u202eevil';
    const structured = result.structuredContent as { scenarios: Array<{ scenarioName: string }> };
    structured.scenarios[0]!.scenarioName = evil;
    const frame = await show({ ...result, structuredContent: structured });
    expect(await frame.locator("img").count()).toBe(0);
    await expect(frame.locator("body").textContent()).resolves.toContain(
      '<img src=x onerror="document.title=1">\\u202eevil',
    );
    expect(refused).toEqual([]);
  });

  it("shows a tool error's text instead of charts", async () => {
    const result = await callTool(on, "get_pnl_summary", { planId: "plan_nope", interval: "FY" });
    expect(result.isError).toBe(true);
    const frame = await show(result);
    expect(await frame.locator("svg[data-chart]").count()).toBe(0);
    await expect(frame.locator(".note.error").textContent()).resolves.toContain("plan_nope");
  });
});
