// Runs wherever @opentelemetry/api does (platform neutral): ESM + CJS + declarations. The slot's contract comes
// from the private @simcel/core, inlined; @opentelemetry/api is the user's own copy (a peer), never bundled.
import { defineConfig } from "tsdown";
import library from "../../tsdown.library.ts";

export default defineConfig({
  ...library,
  deps: { ...library.deps, neverBundle: ["@opentelemetry/api"] },
});
