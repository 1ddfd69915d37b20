// The shared library build (tsdown.library.ts) with a second entry: @simcel/auth/node, the Node-only parts
// (the file token store), so the main entry stays free of node: imports for browsers and workers. Both
// entries share one chunk of common code (errors, the store contract), so instanceof works across them.
import { defineConfig } from "tsdown";
import library from "../../tsdown.library.ts";

export default defineConfig({
  ...library,
  entry: ["src/index.ts", "src/node.ts"],
  deps: { ...library.deps, neverBundle: [/^node:/] },
});
