// The build of each published library (@simcel/auth, @simcel/insights): ESM + CJS + type declarations,
// runnable anywhere (platform neutral), with the private @simcel/core inlined so openapi-fetch stays
// the only runtime dependency. Each package's tsdown.config.ts is this.
import { readFileSync } from "node:fs";
import { defineConfig } from "tsdown";

// the version of the package being built (tsdown runs in its folder), for the User-Agent and traces
const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: { eager: true },
  platform: "neutral",
  target: "es2022",
  clean: true,
  sourcemap: false,
  deps: { alwaysBundle: ["@simcel/core"] },
  define: { __SIMCEL_SDK_VERSION__: JSON.stringify(version) },
});
