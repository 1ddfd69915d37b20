// Builds the MCP App's page at build time (called from tsdown.config.ts): the script of main.ts with ext-apps'
// App, the shared chart code and Observable Plot bundled in by esbuild, inlined with the stylesheet into one HTML
// file, dist/app.html. The page loads nothing: its Content-Security-Policy allows inline script and style and
// data: images only, and no connection.
import { writeFileSync } from "node:fs";
import { build, type Plugin } from "esbuild";
import { APP_CSS } from "./style.js";

/** The page's policy: nothing from the network, no connection, no form, no base URL. */
export const APP_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'none'; font-src 'none'; base-uri 'none'; form-action 'none'";

/** The page around a bundled script. `</script` inside the script is broken up so the script cannot end early. */
export function appPage(script: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${APP_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>SIMCEL charts</title>
<style>${APP_CSS}</style>
</head><body><main id="app" aria-live="polite"><p class="muted">Waiting for the tool's result…</p></main>
<script>${script.replace(/<\/(script)/gi, "<\\/$1")}</script>
</body></html>
`;
}

/**
 * zod (through the MCP SDK's schemas in ext-apps' App) re-exports all its 60-odd message locales as one namespace,
 * which a bundler cannot shake: a third of the page. The page only ever speaks English, zod's default, so the
 * namespace is given English alone.
 */
const englishOnlyZod: Plugin = {
  name: "zod-english-only",
  setup(build) {
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer) ? { path: "zod-locales-en", namespace: "zod-locales" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "zod-locales" }, () => ({
      contents: 'export { default as en } from "zod/v4/locales/en.js";',
      resolveDir: new URL(".", import.meta.url).pathname,
    }));
  },
};

/** Bundles src/app/main.ts and writes the page to `outFile`; resolves with its size in bytes. */
export async function buildAppPage(outFile: string): Promise<number> {
  const result = await build({
    entryPoints: [new URL("./main.ts", import.meta.url).pathname],
    bundle: true,
    minify: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    write: false,
    legalComments: "none",
    logLevel: "warning",
    plugins: [englishOnlyZod],
  });
  const html = appPage(result.outputFiles[0]!.text);
  writeFileSync(outFile, html);
  return Buffer.byteLength(html);
}
