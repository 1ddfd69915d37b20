#!/usr/bin/env node
// Size report: the runtime code of each library, minified and gzipped, with openapi-fetch external
// (it is a dependency users install once) and @simcel/core inlined (it ships inside each package).
// Prints numbers; judges nothing. Run after `pnpm build`: `pnpm bench`.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "tsdown";

const root = resolve(import.meta.dirname, "..");
const targetBytes = 2048;
const rows = [];
for (const pkg of ["auth", "insights"]) {
  const outDir = mkdtempSync(join(tmpdir(), `simcel-size-${pkg}-`));
  try {
    // The package's own build (tsdown.library.ts), ESM only and minified, into a temporary folder.
    await build({
      cwd: resolve(root, "packages", pkg),
      format: ["esm"],
      outDir,
      dts: false,
      minify: true,
      logLevel: "silent",
    });
    const code = readFileSync(join(outDir, "index.js"));
    const gz = gzipSync(code, { level: 9 }).length;
    rows.push({ pkg: `@simcel/${pkg}`, min: code.length, gz });
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
console.log("package            min (B)  min+gzip (B)  target (B)");
for (const r of rows) {
  console.log(
    `${r.pkg.padEnd(18)} ${String(r.min).padStart(7)}  ${String(r.gz).padStart(12)}  ${String(targetBytes).padStart(10)}${r.gz > targetBytes ? "  over target" : ""}`,
  );
}
