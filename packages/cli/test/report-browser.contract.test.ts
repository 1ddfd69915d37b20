// `simcel report` in a real browser: the report of the first plan of the server under test (the Prism
// mock's, or a live one's), opened by Debian's Chromium (driven by playwright-core) with every network
// request blocked and counted. It must load nothing, show as many charts and series as the data has,
// show the API's EBIT figures, and — for the mock's plan — print whole on A4 and Letter and stay under
// its size budget. A full-page screenshot is kept in reports/ for people.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createAuthMiddleware, credentialFromEnv } from "@simcel/auth";
import {
  createInsightsClient,
  type DemandForecast,
  type PnlSummary,
  SimcelApiError,
  type Sustainability,
} from "@simcel/insights";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../../scripts/prism.mjs";
import { type LaunchedChromium, launchChromium } from "../../../scripts/test/chromium.js";
import {
  baseUrl,
  COMING_SOON_STATUSES,
  credentialEnv,
  discoverPlan,
  mockOnly,
} from "../../../scripts/test/contract-env.js";
import { run } from "../src/run.js";

/** The size the tour plan's report must stay under (it is ≈ 51 KiB today: charts as SVG, CSS, tables). */
const SIZE_BUDGET_BYTES = 96 * 1024;
let PLAN: string;

// the CLI's token cache goes to a folder of this file's, never the machine's ~/.cache
const cacheHome = mkdtempSync(join(tmpdir(), "simcel-report-browser-cache-"));
afterAll(() => rmSync(cacheHome, { recursive: true, force: true }));
const env = { ...credentialEnv("sk_test_FAKE_report_browser"), XDG_CACHE_HOME: cacheHome };
const outDir = resolve(repoRoot, "reports/report-browser");
let reportPath: string;
let html: string;
let context: BrowserContext;
let page: Page;
let browser: LaunchedChromium | undefined;
const blocked: string[] = [];
const consoleErrors: string[] = [];
/** The API's own figures; `co2` is null where the endpoint is not there yet (coming soon, live). */
let api: { pnl: PnlSummary; demand: DemandForecast; co2: Sustainability | null; actualIds: string[] };

beforeAll(async () => {
  PLAN = (await discoverPlan()).id;
  // Our own folder: last runs' files go, so reports/ holds one current report, PDF and screenshot.
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  let stderr = "";
  const started = performance.now();
  const code = await run(["report", "--plan", PLAN, "--out", outDir], {
    env,
    stdout: { write: () => true },
    stderr: {
      write: (chunk: string) => {
        stderr += chunk;
        return true;
      },
    },
  });
  const ms = performance.now() - started;
  expect(code, stderr).toBe(0);
  reportPath = /wrote (\S+) /.exec(stderr)![1]!;
  html = readFileSync(reportPath, "utf8");
  expect(html).not.toContain("FAKE");
  process.stderr.write(
    `[report] ${reportPath}: ${(Buffer.byteLength(html) / 1024).toFixed(1)} KiB, built in ${ms.toFixed(0)} ms against ${baseUrl} (${stderr.trim()})\n`,
  );

  // The API's own figures, through the typed client, to hold the page against.
  const client = createInsightsClient({
    baseUrl,
    middleware: [createAuthMiddleware({ credential: credentialFromEnv(env) })],
  });
  const plan = await client.getPlan(PLAN);
  api = {
    pnl: await client.getPnlSummary({ planId: PLAN, interval: "FY" }),
    demand: await client.getDemandForecast({ planId: PLAN, interval: "M" }),
    co2: await client.getSustainability({ planId: PLAN, interval: "FY" }).catch((error: unknown) => {
      if (error instanceof SimcelApiError && COMING_SOON_STATUSES.includes(error.status ?? 0)) return null;
      throw error;
    }),
    actualIds: plan.scenarios.filter((s) => s.flags.includes("actual")).map((s) => s.id),
  };

  browser = await launchChromium({ viewport: { width: 1100, height: 900 } });
  context = browser.context;
  const own = pathToFileURL(reportPath).href;
  // Everything but the report file itself is blocked and counted: http(s), other files, data: loads.
  await context.route("**/*", (route) => {
    if (route.request().url() === own) return route.continue();
    blocked.push(route.request().url());
    return route.abort("blockedbyclient");
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on("request", (request) => {
    if (request.url() !== own && !blocked.includes(request.url())) blocked.push(request.url());
  });
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  await page.goto(own, { waitUntil: "load" });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** Numbers as the page prints them (`3,300,000`). */
const parse = (text: string | null) => Number((text ?? "").replace(/[^0-9.-]/g, ""));

describe("simcel report in Chromium", () => {
  it("opens with no network request at all, and no blocked load or CSP complaint", async () => {
    expect(await page.title()).toBe(`${(await discoverPlan()).name} — SIMCEL scenario report`);
    expect(blocked).toEqual([]);
    expect(consoleErrors).toEqual([]);
    // Nothing in the page can load later either: no script ran, nothing is pending.
    expect(await page.evaluate(() => document.scripts.length)).toBe(0);
    expect(await page.evaluate(() => performance.getEntriesByType("resource").length)).toBe(0);
  });

  mockOnly("the budget is set for the mock's plan").it("stays under its size budget", () => {
    const bytes = statSync(reportPath).size;
    process.stderr.write(`[report] size ${bytes} bytes, budget ${SIZE_BUDGET_BYTES}\n`);
    expect(bytes).toBeLessThan(SIZE_BUDGET_BYTES);
  });

  it("draws one chart per data view and one series per scenario the API returned", async () => {
    const withPnl = api.pnl.scenarios.filter((s) => s.pnl);
    const demandIds = api.demand.scenarios.filter((s) => s.series.length > 0).map((s) => s.scenarioId);
    const accuracyIds = api.demand.scenarios
      .filter(
        (s) => api.actualIds.includes(s.scenarioId) && s.series.some((p) => typeof p.forecastAccuracy === "number"),
      )
      .map((s) => s.scenarioId);
    const breakdownRows = api.co2?.scenarios.flatMap((s) => s.breakdown) ?? [];
    const charts = await page.$$eval("svg[data-chart]", (svgs) => svgs.map((s) => s.getAttribute("data-chart")));
    expect(charts).toEqual([
      ...withPnl.slice(1).map(() => "bridge"),
      "demand-volume",
      "fill-rate",
      ...(accuracyIds.length ? ["forecast-accuracy"] : []),
      ...(api.co2 ? ["co2-summary"] : []),
      ...(breakdownRows.length ? ["co2-breakdown"] : []),
    ]);
    const count = (chart: string, selector: string) =>
      page.$$eval(
        `svg[data-chart="${chart}"]`,
        (svgs, sel) => svgs.map((s) => s.querySelectorAll(sel).length),
        selector,
      );
    // Lines: one path per scenario; bridges: the two totals and the five cascade steps.
    expect(await count("demand-volume", 'g[aria-label="line"] > path')).toEqual([demandIds.length]);
    expect(await count("fill-rate", 'g[aria-label="line"] > path')).toEqual([demandIds.length]);
    if (accuracyIds.length)
      expect(await count("forecast-accuracy", 'g[aria-label="line"] > path')).toEqual([accuracyIds.length]);
    expect(await count("bridge", 'g[aria-label="bar"] > rect')).toEqual(withPnl.slice(1).map(() => 7));
    expect(await count("co2-breakdown", 'g[aria-label="bar"] rect')).toEqual([breakdownRows.length]);
    // The demand lines wear the API's scenario colours.
    const strokes = await page.$$eval('svg[data-chart="demand-volume"] g[aria-label="line"] > path', (paths) =>
      paths.map((p) => p.getAttribute("stroke")?.toUpperCase()),
    );
    expect(strokes.sort()).toEqual(api.demand.scenarios.map((s) => s.scenarioColor?.toUpperCase()).sort());
  });

  it("shows the API's EBIT for every scenario: key figures, P&L table and bridge captions", async () => {
    const [base, ...others] = api.pnl.scenarios;
    for (const s of api.pnl.scenarios) {
      const ebit = s.pnl!.ebit;
      expect(parse(await page.textContent(`.card[data-scenario="${s.scenarioId}"] [data-kpi="ebit"]`))).toBe(ebit);
      expect(
        parse(await page.textContent(`td[data-kpi="ebit"][data-scenario="${s.scenarioId}"][data-col="value"]`)),
      ).toBe(ebit);
    }
    for (const s of others) {
      const figure = `[data-figure="bridge"][data-scenario="${s.scenarioId}"]`;
      expect(parse(await page.textContent(`${figure} [data-ebit="base"]`))).toBe(base!.pnl!.ebit);
      expect(parse(await page.textContent(`${figure} [data-ebit="scenario"]`))).toBe(s.pnl!.ebit);
      expect(
        parse(await page.textContent(`td[data-kpi="ebit"][data-scenario="${s.scenarioId}"][data-col="delta"]`)),
      ).toBe(s.pnl!.ebit - base!.pnl!.ebit);
    }
  });

  it("keeps a full-page screenshot in reports/", async () => {
    const shot = resolve(repoRoot, "reports", `simcel-report-${PLAN.replace(/[^A-Za-z0-9_-]/g, "_")}.png`);
    const png = await page.screenshot({ path: shot, fullPage: true });
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    // The page is long: header, two bridges, the P&L table, three demand charts, CO2.
    expect(png.readUInt32BE(20)).toBeGreaterThan(3000);
    process.stderr.write(`[report] screenshot ${shot}\n`);
  });

  mockOnly("the page count of the mock's plan").it(
    "prints on A4 and Letter without cutting a chart: 4 pages each",
    async () => {
      await page.emulateMedia({ media: "print" });
      try {
        for (const [format, widthMm, heightMm] of [
          ["A4", 210, 297],
          ["Letter", 215.9, 279.4],
        ] as const) {
          // The printable box (the page less the report's @page margins of 12 mm × 11 mm), in CSS px.
          const px = 96 / 25.4;
          await page.setViewportSize({
            width: Math.floor((widthMm - 22) * px),
            height: Math.floor((heightMm - 24) * px),
          });
          const boxes = await page.$$eval("figure.chart", (figures) =>
            figures.map((f) => ({
              width: f.getBoundingClientRect().width,
              height: f.getBoundingClientRect().height,
              svgWidth: f.querySelector("svg")!.getBoundingClientRect().width,
              breakInside: getComputedStyle(f).breakInside,
            })),
          );
          for (const box of boxes) {
            expect(box.breakInside).toBe("avoid");
            expect(box.svgWidth).toBeLessThanOrEqual((widthMm - 22) * px);
            // Short enough to move whole to the next page rather than be split.
            expect(box.height).toBeLessThan((heightMm - 24) * px);
          }
          const pdf = await page.pdf({ format, printBackground: true, preferCSSPageSize: false });
          if (format === "A4")
            await page.pdf({
              path: resolve(outDir, `simcel-report-${PLAN.replace(/[^A-Za-z0-9_-]/g, "_")}-A4.pdf`),
              format,
            });
          const pages = pdf.toString("latin1").match(/\/Type\s*\/Page(?!s)/g)?.length;
          // Page 1: header, key figures, the first bridge; 2: the second bridge and the P&L table;
          // 3: the demand charts and table; 4: CO2. One more page means a chart or heading got pushed over.
          expect(pages, format).toBe(4);
        }
      } finally {
        await page.emulateMedia({ media: "screen" });
        await page.setViewportSize({ width: 1100, height: 900 });
      }
    },
  );
});
