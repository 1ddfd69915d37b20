// @simcel/sandbox: the library (ESM + CJS + types, Node only: it is an HTTP server) and the simcel-sandbox bin
// (ESM). Node builtins only at run time; the spec's facts it needs are generated into src/generated/.
import { defineConfig } from "tsdown";

export default defineConfig([
  {
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: { eager: true },
    platform: "node",
    target: "node20",
    clean: true,
    sourcemap: false,
    // package.json's exports name index.js / index.cjs: with platform "node" tsdown would otherwise emit .mjs
    fixedExtension: false,
  },
  {
    entry: ["src/bin.ts"],
    format: ["esm"],
    platform: "node",
    target: "node20",
    clean: false,
    dts: false,
    sourcemap: false,
    fixedExtension: false,
  },
]);
