// The simcel-mcp executable: one ESM file for Node, with the private @simcel/commands (the command
// table the CLI shares) inlined; @simcel/auth, @simcel/insights and the MCP SDK stay dependencies.
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
});
