// Types of redis.mjs for the TypeScript tests.
export function hasRedisServer(): boolean;
export interface RunningRedis {
  url: string;
  port: number;
  pid: number;
  /** Kills the server (SIGKILL: as abrupt as a crash) and waits until it has exited. */
  stop(): Promise<void>;
}
export function startRedis(options?: { port?: number; timeoutMs?: number; cluster?: boolean }): Promise<RunningRedis>;
