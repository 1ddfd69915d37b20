// Real components for the Redis store's tests: a loopback token endpoint that counts its requests, and a
// TCP proxy that makes a real Redis slow.
import { createServer as createHttpServer } from "node:http";
import { createServer, Socket } from "node:net";
import { type Mock, vi } from "vitest";
import { createApiKeyCredential, type TokenStore, type TokenStoreOptions } from "../../auth/src/index.js";
import { withTokenStore } from "../../auth/src/stored-credential.js";

/** SIMCEL's token endpoint on loopback: answers `POST /api/auth/v1/token` with tok_FAKE_<n>, after `delayMs`. */
export async function startTokenServer(options: { delayMs?: number; prefix?: string } = {}) {
  const state = { requests: 0 };
  const server = createHttpServer((request, response) => {
    if (request.method !== "POST" || request.url !== "/api/auth/v1/token") {
      response.writeHead(404).end();
      return;
    }
    const n = ++state.requests;
    request.resume();
    setTimeout(() => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(
        JSON.stringify({
          accessToken: `tok_FAKE_${options.prefix ?? "redis"}_${n}`,
          expiresIn: 3600,
          tokenType: "Bearer",
        }),
      );
    }, options.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${port}/api`,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A TCP proxy to `port` on loopback that makes Redis slow: a new connection is put through after
 * `connectDelayMs`, and every chunk, each way, is held for `delayMs` (changeable while it runs).
 */
export async function startSlowProxy(port: number, options: { connectDelayMs?: number; delayMs?: number }) {
  const sockets = new Set<Socket>();
  const settings = { delayMs: options.delayMs ?? 0 };
  const later = (fn: () => void) => (settings.delayMs > 0 ? setTimeout(fn, settings.delayMs) : fn());
  const server = createServer((inbound) => {
    inbound.pause();
    const outbound = new Socket();
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on("error", () => {});
      s.on("close", () => sockets.delete(s));
    }
    inbound.on("close", () => outbound.destroy());
    outbound.on("close", () => inbound.destroy());
    setTimeout(() => {
      outbound.connect(port, "127.0.0.1", () => {
        inbound.on("data", (chunk) => later(() => outbound.write(chunk)));
        outbound.on("data", (chunk) => later(() => inbound.write(chunk)));
        inbound.resume();
      });
    }, options.connectDelayMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${address.port}`,
    settings,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export const API_KEY = "sk_test_FAKE_redis_store_key";

/** One "process": an API-key credential against `baseUrl` (its factory remembers its material), through `store`. */
export function storedCredential(
  baseUrl: string,
  store: TokenStore,
  options: TokenStoreOptions = {},
  apiKey = API_KEY,
) {
  const credential = createApiKeyCredential({ apiKey, baseUrl });
  return withTokenStore(credential, store, options);
}

export function recordingLogger(): Record<"debug" | "info" | "warn" | "error", Mock> {
  return { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
}
