import { defineConfig } from "tsdown";

export default defineConfig({
  entry: ["src/cli.ts"],
  format: ["esm"],
  platform: "node",
  target: "node20",
  clean: true,
  dts: false,
  sourcemap: false,
  // package.json's bin is ./dist/cli.js: with platform "node" tsdown would otherwise emit cli.mjs.
  fixedExtension: false,
  // The command table it shares with the MCP server is private: inline it.
  deps: { alwaysBundle: ["@simcel/commands"] },
});
