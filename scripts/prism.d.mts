// Types of prism.mjs for the TypeScript tests and the vitest globalSetup.
export const repoRoot: string;
export const specPath: string;
export function freePort(host?: string): Promise<number>;
export interface RunningPrism {
  url: string;
  pid: number;
  /** Milliseconds from spawn until Prism said it listens. */
  startMs: number;
  /** Everything Prism printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}
export function startPrism(options?: {
  port?: number;
  host?: string;
  errors?: boolean;
  /** Run `prism proxy` to this server instead of `prism mock`. */
  upstream?: string;
  /** Another OpenAPI document than spec/openapi.yaml (a path). */
  spec?: string;
  timeoutMs?: number;
  log?: (line: string) => void;
}): Promise<RunningPrism>;
