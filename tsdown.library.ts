// The build of each published library (@simcel/auth, @simcel/insights): ESM + CJS + type declarations,
// runnable anywhere (platform neutral), with the private @simcel/core inlined so openapi-fetch stays
// the only runtime dependency. Each package's tsdown.config.ts is this.
import { defineConfig } from "tsdown";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: { eager: true },
  platform: "neutral",
  target: "es2022",
  clean: true,
  sourcemap: false,
  deps: { alwaysBundle: ["@simcel/core"] },
});
