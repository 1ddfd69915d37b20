// A folder of tools installed from the registry on first use (the Node matrix's binaries, the Node 22 tools), made
// once however many processes ask at the same moment: vitest workers and the concurrent steps of `pnpm test` do.
// Each installs into a folder of its own and renames it into place; the first rename wins and the others drop
// theirs. Installing into the shared folder itself let one process delete or half-write files another was running
// (spawn ETXTBSY on a Node binary still being written).
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { resolve } from "node:path";

/**
 * Returns `prefix` once `marker` (a path inside it) exists, running `install(dir)` into a fresh folder first if needed.
 * `install` throws on failure (with what the installer printed).
 * @param {string} prefix
 * @param {string} marker
 * @param {(dir: string) => void} install
 * @returns {string}
 */
export function installOnce(prefix, marker, install) {
  if (existsSync(resolve(prefix, marker))) return prefix;
  const work = `${prefix}.${process.pid}-${randomBytes(4).toString("hex")}`;
  mkdirSync(work, { recursive: true });
  try {
    install(work);
    if (!existsSync(resolve(work, marker)))
      throw new Error(`installing into ${prefix}: ${marker} is missing after install`);
    // a folder left by an older, interrupted install (without the marker) is replaced
    if (existsSync(prefix) && !existsSync(resolve(prefix, marker))) rmSync(prefix, { recursive: true, force: true });
    try {
      renameSync(work, prefix);
    } catch (error) {
      if (!existsSync(resolve(prefix, marker))) throw error; // not another process's install: a real failure
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return prefix;
}
