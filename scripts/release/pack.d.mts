// Types of pack.mjs for the TypeScript tests.
export interface PackedPackage {
  name: string;
  version: string;
  /** `packages/x`, relative to the repository root. */
  relDir: string;
  /** Absolute path of the .tgz. */
  tarball: string;
  /** Paths inside the tarball (without the `package/` prefix). */
  files: string[];
}
export function packPublished(destDir: string): PackedPackage[];
