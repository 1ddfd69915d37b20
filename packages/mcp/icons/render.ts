// The icon's PNG sizes, drawn from simcel-mcp.svg by headless Chromium. The PNGs are committed (hosts and the bundle
// read them as files); test/icons.contract.test.ts redraws them when SIMCEL_UPDATE_ICONS=1 and checks their sizes.
import { readFileSync } from "node:fs";
import type { BrowserContext } from "playwright-core";

/** The PNG sizes made from the SVG: small for a host's list, 128 for menus, 512 for the bundle. */
export const PNG_SIZES = [48, 128, 512] as const;

/** Where the icon of `size` lives (`svg` for the vector one). */
export const iconFile = (size: number | "svg") =>
  new URL(size === "svg" ? "./simcel-mcp.svg" : `./simcel-mcp-${size}.png`, import.meta.url);

/** The SVG drawn by Chromium at `size` × `size`, as PNG bytes (transparent around the rounded square). */
export async function renderPng(context: BrowserContext, size: number): Promise<Buffer> {
  const svg = readFileSync(iconFile("svg"), "utf8");
  const page = await context.newPage();
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(
    `<!doctype html><style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`,
  );
  const png = await page.screenshot({ omitBackground: true });
  await page.close();
  return png;
}
