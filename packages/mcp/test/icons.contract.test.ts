// The icon's PNGs are the SVG drawn at their sizes: headless Chromium draws the SVG again and the pixels must match
// the committed PNG (a small tolerance for anti-aliasing). After changing the SVG, SIMCEL_UPDATE_ICONS=1 rewrites
// the PNGs from it instead.
import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LaunchedChromium, launchChromium } from "../../../scripts/test/chromium.js";
import { iconFile, PNG_SIZES, renderPng } from "../icons/render.js";

let browser: LaunchedChromium;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

/** The largest difference of any channel of any pixel between two PNGs of the same size, drawn in a canvas. */
async function maxPixelDifference(a: Buffer, b: Buffer): Promise<number> {
  const page = await browser.context.newPage();
  try {
    return await page.evaluate(
      async ([x, y]) => {
        const pixels = async (base64: string) => {
          const image = new Image();
          image.src = `data:image/png;base64,${base64}`;
          await image.decode();
          const canvas = new OffscreenCanvas(image.width, image.height);
          const context = canvas.getContext("2d")!;
          context.drawImage(image, 0, 0);
          return context.getImageData(0, 0, image.width, image.height).data;
        };
        const [p, q] = [await pixels(x), await pixels(y)];
        if (p.length !== q.length) return 255;
        let most = 0;
        for (let i = 0; i < p.length; i++) most = Math.max(most, Math.abs(p[i]! - q[i]!));
        return most;
      },
      [a.toString("base64"), b.toString("base64")] as const,
    );
  } finally {
    await page.close();
  }
}

describe("the icon", () => {
  it.each(PNG_SIZES)("simcel-mcp-%i.png is simcel-mcp.svg drawn at that size", async (size) => {
    const drawn = await renderPng(browser.context, size);
    if (process.env.SIMCEL_UPDATE_ICONS === "1") writeFileSync(iconFile(size), drawn);
    const committed = readFileSync(iconFile(size));
    expect([committed.readUInt32BE(16), committed.readUInt32BE(20)]).toEqual([size, size]);
    expect(await maxPixelDifference(drawn, committed)).toBeLessThanOrEqual(24);
  });
});
