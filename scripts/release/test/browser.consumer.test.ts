// A real browser: a page bundling @simcel/auth + @simcel/insights (from the packed tarballs, installed offline,
// bundled by esbuild with openapi-fetch) is served on loopback and opened in Debian's Chromium through
// playwright-core; it signs in with an API key and reads a P&L summary from the mock on another loopback port
// (a cross-origin call: Prism answers the CORS preflight). The rendered numbers must be the mock's. Without
// dangerouslyAllowBrowser the page's API key is refused with SecretInBrowserError.
// The screenshot is kept at reports/browser-pnl.png. .ci/run installs chromium when it is missing.
import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { resolve } from "node:path";
import { build } from "esbuild";
import { afterAll, describe, expect, inject, it } from "vitest";
import { repoRoot } from "../../prism.mjs";
import { launchChromium } from "../../test/chromium.js";
import { type Consumer, consumerApiKey, createConsumer, mockPnl } from "../consumer.js";

const screenshot = resolve(repoRoot, "reports/browser-pnl.png");
const baseUrl = inject("simcelBaseUrl");

let consumer: Consumer | undefined;
let server: Server | undefined;
afterAll(async () => {
  consumer?.remove();
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
});

/** Serves the page on a free loopback port. */
async function servePage(script: string, env: Record<string, string>): Promise<string> {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>SIMCEL P&L</title>
<style>body{font:16px system-ui;margin:2rem}td,th{padding:.3rem 1rem;text-align:right}td:first-child{text-align:left}</style>
<script>window.SIMCEL_ENV = ${JSON.stringify(env)};</script></head>
<body data-state="loading"><h1>Loading…</h1><table id="pnl"><thead><tr><th>Scenario</th><th>Net sales</th><th>EBIT</th></tr></thead><tbody></tbody></table>
<p id="status">loading</p><script type="module" src="/page.js"></script></body></html>`;
  server = createServer((request, response) => {
    if (request.url === "/") response.writeHead(200, { "content-type": "text/html" }).end(html);
    else if (request.url === "/page.js") response.writeHead(200, { "content-type": "text/javascript" }).end(script);
    else response.writeHead(404).end();
  });
  await new Promise<void>((listening) => server?.listen(0, "127.0.0.1", listening));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return `http://127.0.0.1:${address.port}/`;
}

describe("browser consumer (Chromium, packed tarballs bundled by esbuild)", () => {
  it("renders the mock's P&L numbers after an API-key sign-in", async () => {
    const timings: string[] = [];
    let t = performance.now();
    const lap = (what: string) => {
      timings.push(`${what} ${Math.round(performance.now() - t)} ms`);
      t = performance.now();
    };
    consumer = createConsumer("browser", inject("packed"), {
      packages: ["@simcel/auth", "@simcel/insights"],
      fixture: "browser",
    });
    lap("install");
    const bundle = await build({
      absWorkingDir: consumer.dir,
      entryPoints: ["page.ts"],
      bundle: true,
      platform: "browser",
      format: "esm",
      target: "es2022",
      minify: true,
      write: false,
      logLevel: "silent",
    });
    const script = bundle.outputFiles[0]?.text ?? "";
    lap("esbuild");
    const pageUrl = await servePage(script, { SIMCEL_API_KEY: consumerApiKey, SIMCEL_BASE_URL: baseUrl });

    const browser = await launchChromium();
    const { context } = browser;
    lap("launch");
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const pageErrors: string[] = [];
      page.on("pageerror", (error) => pageErrors.push(error.message));
      const origins = new Set<string>();
      page.on("request", (request) => origins.add(new URL(request.url()).origin));
      await page.goto(pageUrl);
      await page.waitForSelector("body:not([data-state=loading])", { timeout: 30_000 });
      lap("page");
      const state = await page.getAttribute("body", "data-state");
      const status = await page.textContent("#status");
      expect({ state, status, pageErrors }).toEqual({ state: "done", status: "done", pageErrors: [] });
      // the API key was refused in the page until the page said dangerouslyAllowBrowser
      expect(await page.getAttribute("body", "data-refusal")).toBe("SecretInBrowserError secret_in_browser");

      const rows = await page.$$eval("#pnl tbody tr", (trs) =>
        trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent)),
      );
      const mock = await mockPnl(baseUrl);
      expect(rows.map((r) => [r[0], Number(r[2]?.replaceAll(",", ""))])).toEqual(mock.ebit);
      expect(rows.length).toBeGreaterThan(0);
      // the page called the mock's origin (cross-origin from the page's own)
      expect(origins).toContain(new URL(baseUrl).origin);
      expect(await page.content()).not.toContain(`<td>${consumerApiKey}`);

      mkdirSync(resolve(repoRoot, "reports"), { recursive: true });
      await page.screenshot({ path: screenshot, fullPage: true });
      lap("screenshot");
    } finally {
      await browser.close();
    }
    process.stderr.write(`[consumer browser] ${timings.join(", ")}; screenshot ${screenshot}\n`);
  });
});
