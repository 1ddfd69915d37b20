import { defineConfig } from "tsdown";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  platform: "neutral",
  target: "es2022",
  clean: true,
  sourcemap: false,
  // @simcel/core is private: its code is inlined, so openapi-fetch stays the only runtime dependency.
  deps: { alwaysBundle: ["@simcel/core"] },
});
