// vitest globalSetup of the release tests: packs every published package once (pnpm pack, the publish-time
// manifest hook included) into a temporary folder and hands the tarballs to the tests as `inject("packed")`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { type PackedPackage, packPublished } from "./pack.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    packed: PackedPackage[];
  }
}

export default function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "simcel-tarballs-"));
  const started = performance.now();
  const packed = packPublished(dir);
  process.stderr.write(
    `[release] packed ${packed.map((p) => `${p.name}@${p.version}`).join(", ")} in ${Math.round(performance.now() - started)} ms\n`,
  );
  project.provide("packed", packed);
  return () => rmSync(dir, { recursive: true, force: true });
}
