// Types of lockfile-pins.mjs for the TypeScript tests.
export interface LockfilePins {
  /** `name@version` → each dependency's exact version as the workspace lockfile resolved it for that package. */
  packages: Record<string, Record<string, string>>;
  /** A workspace package's name → its dependencies' exact versions. */
  importers: Record<string, Record<string, string>>;
}
/** @param root the workspace root (default: this repository) */
export function lockfilePins(root?: string): LockfilePins;
export function pinsPnpmfile(pins: LockfilePins, direct?: string[]): string;
