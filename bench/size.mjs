#!/usr/bin/env node
// Size report, printed every `pnpm test` (and by `pnpm bench`): min+gzip of
//  - each published library's runtime (and @simcel/sandbox's, for Node), and @simcel/opentelemetry's (@opentelemetry/api external), built by its own tsdown config (ESM, minified), openapi-fetch external
//    (users install it once) and the private @simcel/core inlined (it ships inside each library): the entry
//    and every chunk it imports statically; a chunk loaded by `import()` only when a feature is used (the
//    token-store layer) is printed beside it, not counted;
//  - a page that imports both libraries, bundled by esbuild for the browser with openapi-fetch included: every
//    export kept (the worst case), and what a page typically uses (credential, middleware, client, comparison);
//  - what inlining @simcel/core twice costs that page: the same page bundled from the sources, where both
//    libraries share one copy of core, subtracted from it.
// `--check` fails when a figure is above its budget in bench/size-budgets.json. Run after `pnpm build`.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build as esbuild } from "esbuild";
import { build } from "tsdown";

const root = resolve(import.meta.dirname, "..");
// SIMCEL_SIZE_BUDGETS: another budgets file (the test of the check uses one that must fail).
const budgetsFile = resolve(process.env.SIMCEL_SIZE_BUDGETS ?? resolve(root, "bench/size-budgets.json"));
const budgets = JSON.parse(readFileSync(budgetsFile, "utf8")).budgets;
const gz = (code) => gzipSync(code, { level: 9 }).length;
const rows = [];

for (const pkg of ["auth", "insights", "sandbox", "opentelemetry"]) {
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
    // the entry and its static imports, followed through the built chunks
    const files = new Set(["index.js"]);
    const lazy = new Set();
    for (const file of files) {
      const text = readFileSync(join(outDir, file), "utf8");
      for (const [, dynamic, name] of text.matchAll(/(import\(|from|import)\s*["'`]\.\/([^"'`]+\.js)["'`]/g))
        (dynamic === "import(" ? lazy : files).add(name);
    }
    const code = Buffer.concat([...files].map((f) => readFileSync(join(outDir, f))));
    const lazyCode = Buffer.concat([...lazy].filter((f) => !files.has(f)).map((f) => readFileSync(join(outDir, f))));
    rows.push({ name: `@simcel/${pkg}`, min: code.length, gz: gz(code), lazy: lazyCode.length ? gz(lazyCode) : 0 });
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/**
 * esbuild's browser bundle of `source` (an entry module written into `dir`), minified, split as a bundler such
 * as Vite splits it: the entry with every chunk it imports statically, and apart the chunks only `import()` loads.
 */
async function page(source, dir) {
  const entry = join(dir, `.size-page-${process.pid}.mjs`);
  writeFileSync(entry, source);
  try {
    const result = await esbuild({
      entryPoints: [entry],
      bundle: true,
      splitting: true,
      outdir: join(tmpdir(), `simcel-size-page-${process.pid}`),
      metafile: true,
      minify: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      write: false,
      logLevel: "silent",
    });
    const outputs = result.metafile.outputs;
    const byPath = new Map(result.outputFiles.map((f) => [relative(process.cwd(), f.path), f.contents]));
    const start = Object.keys(outputs).find((path) => outputs[path].entryPoint);
    const eager = new Set([start]);
    for (const path of eager)
      for (const i of outputs[path].imports) if (i.kind === "import-statement" && !i.external) eager.add(i.path);
    const lazy = Object.keys(outputs).filter((path) => !eager.has(path) && path.endsWith(".js"));
    const code = Buffer.concat([...eager].map((path) => byPath.get(path)));
    return Object.assign(code, { lazy: lazy.length ? gz(Buffer.concat(lazy.map((path) => byPath.get(path)))) : 0 });
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
rows.push({ name: "page: both libraries + openapi-fetch", min: built.length, gz: gz(built), lazy: built.lazy });
// What a page typically imports: a credential, the middleware, the client and the comparison.
const typical = await page(
  `export { createApiKeyCredential, createAuthMiddleware } from "@simcel/auth";\nexport { compareScenarios, createInsightsClient } from "@simcel/insights";\n`,
  resolve(root, "scripts"),
);
rows.push({ name: "page: typical imports + openapi-fetch", min: typical.length, gz: gz(typical), lazy: typical.lazy });
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
    `${r.name.padEnd(38)} ${String(r.min).padStart(7)}  ${String(r.gz).padStart(12)}  ${String(budget ?? "-").padStart(10)}${verdict}${
      r.lazy ? `  (+ ${r.lazy} B loaded only when used)` : ""
    }`,
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
