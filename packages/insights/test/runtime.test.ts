// The runtime code must run in browsers and workers: no Node-only module, no Node global.
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const src = join(import.meta.dirname, "../src");
const files = readdirSync(src, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
const core = join(import.meta.dirname, "../../core/src");
const coreFiles = readdirSync(core).filter((f) => f.endsWith(".ts"));

describe("runtime code", () => {
  it.each([...files.map((f) => join(src, f)), ...coreFiles.map((f) => join(core, f))])(
    "%s imports only openapi-fetch, @simcel/core and itself",
    (file) => {
      const code = readFileSync(file, "utf8");
      const imports = [...code.matchAll(/(?:import|export)[^'"]*?from\s*["']([^"']+)["']/g)].map((m) => m[1]!);
      for (const name of imports) {
        expect(name, name).toMatch(/^(\.\.?\/|openapi-fetch$|@simcel\/core$)/);
        expect(builtinModules.includes(name.replace(/^node:/, "")), name).toBe(false);
      }
      expect(code).not.toMatch(/\b(process|Buffer|require|__dirname)\b[.(]/);
    },
  );
});
