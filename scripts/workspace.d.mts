// Types of workspace.mjs for the TypeScript tests.
import type { SpawnSyncOptions, SpawnSyncReturns } from "node:child_process";

export interface WorkspacePackage {
  name: string;
  /** Absolute directory. */
  dir: string;
  /** `packages/x`. */
  relDir: string;
  // biome-ignore lint/suspicious/noExplicitAny: a package.json as read
  manifest: Record<string, any>;
}
// biome-ignore lint/suspicious/noExplicitAny: the root package.json as read
export const rootManifest: Record<string, any>;
export function workspacePackages(): WorkspacePackage[];
export function publishedPackages(): WorkspacePackage[];
export function repositoryUrl(): string;
export function pnpm(args: string[], options?: SpawnSyncOptions): SpawnSyncReturns<string>;
export const quietEnv: Record<string, string>;
