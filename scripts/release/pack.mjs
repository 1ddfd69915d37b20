#!/usr/bin/env node
// Packs every published workspace package with `pnpm pack` (as `changeset publish` does, through the same pnpm
// and the same .pnpmfile.cjs beforePacking hook) into one folder. Run after `pnpm build`.
// Usage: node scripts/release/pack.mjs DIR
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { pnpm, publishedPackages } from "../workspace.mjs";

/**
 * @param {string} destDir
 * @returns {{ name: string, version: string, relDir: string, tarball: string, files: string[] }[]}
 */
export function packPublished(destDir) {
  mkdirSync(destDir, { recursive: true });
  return publishedPackages().map((pkg) => {
    for (const file of Object.values(entryFiles(pkg.manifest))) {
      if (!existsSync(join(pkg.dir, file)))
        throw new Error(`${pkg.name}: ${file} is missing — run \`pnpm build\` before packing`);
    }
    const result = pnpm(["pack", "--pack-destination", destDir, "--json"], { cwd: pkg.dir });
    if (result.status !== 0) throw new Error(`pnpm pack of ${pkg.name} failed:\n${result.stdout}${result.stderr}`);
    const json = JSON.parse(result.stdout.slice(result.stdout.indexOf("{")));
    return {
      name: pkg.name,
      version: json.version,
      relDir: pkg.relDir,
      tarball: json.filename,
      files: json.files.map((f) => f.path),
    };
  });
}

/** The files a manifest points at (bin, main, exports targets): packing before a build would ship none. */
function entryFiles(manifest) {
  const out = {};
  const bins = typeof manifest.bin === "string" ? { bin: manifest.bin } : (manifest.bin ?? {});
  Object.assign(out, bins);
  if (manifest.main) out.main = manifest.main;
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const dest = resolve(process.argv[2] ?? "reports/tarballs");
  for (const packed of packPublished(dest)) console.log(`${packed.name}@${packed.version} → ${packed.tarball}`);
}
