// The simcel-mcp executable: one ESM file for Node, with the private @simcel/commands (the command
// table the CLI shares) inlined; @simcel/auth, @simcel/insights and the MCP SDK stay dependencies.
// Then the MCP App's page (dist/app.html, charts in the chat), bundled for the browser by esbuild.
import { defineConfig } from "tsdown";

export default defineConfig({
  entry: ["src/bin.ts"],
  format: ["esm"],
  platform: "node",
  target: "node20",
  clean: true,
  dts: false,
  sourcemap: false,
  // package.json's bin is ./dist/bin.js: with platform "node" tsdown would otherwise emit bin.mjs.
  fixedExtension: false,
  deps: { alwaysBundle: ["@simcel/commands"] },
  hooks: {
    "build:done": async () => {
      const { buildAppPage } = await import("./src/app/build-page.ts");
      const bytes = await buildAppPage(new URL("./dist/app.html", import.meta.url).pathname);
      console.info(`ℹ dist/app.html ${(bytes / 1024).toFixed(1)} kB (the MCP App page)`);
    },
  },
});
