// The server's icon, as hosts show it beside its name (initialize's serverInfo) and beside each tool and prompt: the
// SVG, and PNGs for hosts that draw no SVG. Sent as data: URIs, so a host fetches nothing (a stdio server has no URL
// to serve them from). The files sit in ../icons beside dist/ in the package and the bundle.
import { readFileSync } from "node:fs";
import type { Icon } from "@modelcontextprotocol/sdk/types.js";

const here = new URL("../icons/", import.meta.url);

/** One icon file as a data: URI; undefined when the file is missing (the server runs without icons then). */
function dataUri(file: string, mimeType: string, sizes: string[]): Icon | undefined {
  try {
    const bytes = readFileSync(new URL(file, here));
    return { src: `data:${mimeType};base64,${bytes.toString("base64")}`, mimeType, sizes };
  } catch {
    return undefined;
  }
}

const svg = dataUri("simcel-mcp.svg", "image/svg+xml", ["any"]);
const png48 = dataUri("simcel-mcp-48.png", "image/png", ["48x48"]);
const png128 = dataUri("simcel-mcp-128.png", "image/png", ["128x128"]);

/** The icons of the server itself: the SVG and two PNG sizes. */
export const SERVER_ICONS: Icon[] = [svg, png48, png128].filter((i): i is Icon => i !== undefined);
/** The icon of each tool and prompt: the SVG only (small, and sent with every tools/list). */
export const ITEM_ICONS: Icon[] = svg ? [svg] : [];
