#!/usr/bin/env node
// Size report, printed every `pnpm test` (and by `pnpm bench`): min+gzip of
//  - each published library's runtime, built by its own tsdown config (ESM, minified), openapi-fetch external
//    (users install it once) and the private @simcel/core inlined (it ships inside each library);
//  - a page that imports both libraries, bundled by esbuild for the browser with openapi-fetch included;
//  - what inlining @simcel/core twice costs that page: the same page bundled from the sources, where both
//    libraries share one copy of core, subtracted from it.
// `--check` fails when a figure is above its budget in bench/size-budgets.json. Run after `pnpm build`.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build as esbuild } from "esbuild";
import { build } from "tsdown";

const root = resolve(import.meta.dirname, "..");
// SIMCEL_SIZE_BUDGETS: another budgets file (the test of the check uses one that must fail).
const budgetsFile = resolve(process.env.SIMCEL_SIZE_BUDGETS ?? resolve(root, "bench/size-budgets.json"));
const budgets = JSON.parse(readFileSync(budgetsFile, "utf8")).budgets;
const gz = (code) => gzipSync(code, { level: 9 }).length;
const rows = [];

for (const pkg of ["auth", "insights"]) {
  const outDir = mkdtempSync(join(tmpdir(), `simcel-size-${pkg}-`));
  try {
    await build({
      cwd: resolve(root, "packages", pkg),
      format: ["esm"],
      outDir,
      dts: false,
      minify: true,
      logLevel: "silent",
    });
    const code = readFileSync(join(outDir, "index.js"));
    rows.push({ name: `@simcel/${pkg}`, min: code.length, gz: gz(code) });
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** esbuild's browser bundle of `source` (an entry module written into `dir`), minified. */
async function page(source, dir) {
  const entry = join(dir, `.size-page-${process.pid}.mjs`);
  writeFileSync(entry, source);
  try {
    const result = await esbuild({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      write: false,
      logLevel: "silent",
    });
    return result.outputFiles[0].contents;
  } finally {
    rmSync(entry, { force: true });
  }
}

// Both libraries as a user imports them (their built dist, core inlined in each): every export kept.
const insightsDir = resolve(root, "packages/insights");
const built = await page(
  `export * as auth from "@simcel/auth";\nexport * as insights from "@simcel/insights";\n`,
  resolve(root, "scripts"),
);
rows.push({ name: "page: both libraries + openapi-fetch", min: built.length, gz: gz(built) });
// The same page from the sources: esbuild resolves @simcel/core once, so core is in it once.
const shared = await page(
  `export * as auth from "../auth/src/index.ts";\nexport * as insights from "./src/index.ts";\n`,
  insightsDir,
);
const openapiFetch = await page(`export * from "openapi-fetch";\n`, insightsDir);

console.log("size                                   min (B)  min+gzip (B)  budget (B)");
let over = 0;
for (const r of rows) {
  const budget = budgets[r.name]?.bytes;
  const verdict = budget === undefined ? "  no budget" : r.gz > budget ? "  OVER BUDGET" : "";
  if (budget === undefined || r.gz > budget) over++;
  console.log(
    `${r.name.padEnd(38)} ${String(r.min).padStart(7)}  ${String(r.gz).padStart(12)}  ${String(budget ?? "-").padStart(10)}${verdict}`,
  );
}
console.log(
  `core inlined twice: the page is ${built.length - shared.length} B min / ${gz(built) - gz(shared)} B min+gzip larger than with one shared copy of core (${shared.length} / ${gz(shared)} B)`,
);
console.log(`for scale: openapi-fetch alone is ${gz(openapiFetch)} B min+gzip`);
if (process.argv.includes("--check") && over > 0) {
  console.error(`${over} figure(s) over budget or without one: see ${budgetsFile}`);
  process.exit(1);
}
