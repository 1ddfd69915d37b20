// The token the `simcel` command keeps between runs: the built CLI as real processes, against the
// Prism mock behind a loopback proxy that counts the token requests, with a cache directory of the test's own.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { baseUrl, mockOnly } from "../../../scripts/test/contract-env.js";

const upstream = new URL(baseUrl);
const cliPath = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const KEY = "sk_test_FAKE_token_cache_0001";
let proxy: Server;
let proxyUrl: string;
let tokenRequests = 0;
const dirs: string[] = [];

beforeAll(async () => {
  proxy = createServer((req, res) => {
    if (req.method === "POST" && req.url?.endsWith("/auth/v1/token")) tokenRequests++;
    const forward = request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(forward);
  });
  await new Promise<void>((done) => proxy.listen(0, "127.0.0.1", done));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((done) => proxy.close(done));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A cache home of the test's own (XDG_CACHE_HOME), so nothing lands in the machine's home. */
function cacheHome() {
  const dir = mkdtempSync(join(tmpdir(), "simcel-cli-cache-"));
  dirs.push(dir);
  return dir;
}

function simcel(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      {
        env: { PATH: process.env.PATH ?? "", SIMCEL_API_KEY: KEY, SIMCEL_BASE_URL: proxyUrl, ...env },
        timeout: 20_000,
      },
      (error, stdout, stderr) =>
        done({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

// The CLI's own cache is what is tested here, the same against any server: on the mock, where a plain-http
// counting proxy and a fake key do.
mockOnly("the CLI's own token cache, counted through a plain-http proxy signing in with a fake key").describe(
  "simcel keeps its token between runs",
  () => {
    it("two consecutive `simcel plans` make 1 token request; `simcel token` says the token came from the cache", async () => {
      const home = cacheHome();
      const before = tokenRequests;
      expect((await simcel(["plans"], { XDG_CACHE_HOME: home })).code).toBe(0);
      expect((await simcel(["plans"], { XDG_CACHE_HOME: home })).code).toBe(0);
      expect(tokenRequests - before).toBe(1);
      const token = await simcel(["token", "--json"], { XDG_CACHE_HOME: home });
      expect(token.code).toBe(0);
      expect(JSON.parse(token.stdout).tokenFrom).toBe(`the token cache (${join(home, "simcel")})`);
      expect(tokenRequests - before).toBe(1);
    });

    it("--no-token-cache and SIMCEL_TOKEN_CACHE=off sign in on every run and keep nothing", async () => {
      const home = cacheHome();
      const before = tokenRequests;
      await simcel(["plans", "--no-token-cache"], { XDG_CACHE_HOME: home });
      await simcel(["plans"], { XDG_CACHE_HOME: home, SIMCEL_TOKEN_CACHE: "off" });
      const token = await simcel(["token", "--no-token-cache", "--json"], { XDG_CACHE_HOME: home });
      expect(JSON.parse(token.stdout).tokenFrom).toBe("the token endpoint");
      expect(tokenRequests - before).toBe(3);
      expect(readdirSync(home)).toEqual([]);
    });

    it("keeps it in a 0700 directory of 0600 files that hold neither the token nor the key", async () => {
      const home = cacheHome();
      const shown = await simcel(["token", "--show-token", "--json"], { XDG_CACHE_HOME: home });
      const { token } = JSON.parse(shown.stdout) as { token: string };
      const dir = join(home, "simcel");
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      const files = readdirSync(dir);
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
        const text = readFileSync(join(dir, file), "utf8");
        for (const secret of [token, KEY, "FAKE"]) expect(text).not.toContain(secret);
      }
    });
  },
);
