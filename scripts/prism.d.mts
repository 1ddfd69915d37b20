// Types of prism.mjs for the TypeScript tests and the vitest globalSetup.
export const repoRoot: string;
export const specPath: string;
export function freePort(host?: string): Promise<number>;
export interface RunningPrism {
  url: string;
  pid: number;
  /** Milliseconds from spawn until Prism said it listens. */
  startMs: number;
  stop(): Promise<void>;
}
export function startPrism(options?: {
  port?: number;
  host?: string;
  errors?: boolean;
  timeoutMs?: number;
  log?: (line: string) => void;
}): Promise<RunningPrism>;
