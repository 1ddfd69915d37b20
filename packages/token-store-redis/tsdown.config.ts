// Node only (the Redis client speaks TCP): ESM + CJS + declarations; @redis/client and @simcel/auth stay
// dependencies of the user's install, never bundled.
import { defineConfig } from "tsdown";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  platform: "node",
  target: "node20",
  clean: true,
  sourcemap: false,
  // with platform "node" tsdown would name the ESM files .mjs; package.json's exports say .js
  fixedExtension: false,
});
