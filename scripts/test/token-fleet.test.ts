// One token for a whole fleet, with real processes: 8 child processes (scripts/test/fixtures/token-fleet-child.mjs,
// on the BUILT packages) each make 50 concurrent cold calls through a token cache over withTokenStore, against
// a loopback token endpoint that counts requests — with no store, a real Redis, and a real directory.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createClient } from "@redis/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTokenServer } from "../../packages/token-store-redis/test/helpers.js";
import { repoRoot } from "../prism.mjs";
import { type RunningRedis, startRedis } from "../redis.mjs";

const PROCESSES = 8;
const CALLS = 50;
const API_KEY = "sk_test_FAKE_fleet_key";
const child = resolve(repoRoot, "scripts/test/fixtures/token-fleet-child.mjs");

type Burst = { calls: number; tokens: string[]; failures: string[]; warnings: number };

/** A child process speaking JSON lines: `ask(command)` resolves with its next line. */
function spawnMember(config: object) {
  const proc: ChildProcessWithoutNullStreams = spawn(process.execPath, [child, JSON.stringify(config)], {
    stdio: "pipe",
  });
  const waiting: ((line: string) => void)[] = [];
  let buffer = "";
  let stderr = "";
  proc.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  proc.stdout.on("data", (chunk) => {
    buffer += chunk;
    for (let at = buffer.indexOf("\n"); at >= 0; at = buffer.indexOf("\n")) {
      const line = buffer.slice(0, at);
      buffer = buffer.slice(at + 1);
      waiting.shift()?.(line);
    }
  });
  const exited = new Promise<number | null>((done) => proc.once("exit", done));
  const next = () =>
    new Promise<Record<string, unknown>>((resolveLine, reject) => {
      waiting.push((line) => resolveLine(JSON.parse(line)));
      exited.then((code) => reject(new Error(`fleet member exited (${code}):\n${stderr}`)));
    });
  return {
    ready: next(),
    ask: (command: string) => {
      const answer = next() as Promise<Burst>;
      proc.stdin.write(`${command}\n`);
      return answer;
    },
    exit: async () => {
      proc.stdin.end("exit\n");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Starts the fleet, waits until every member is ready, then sends `command` to all at once. */
async function fleet(config: object) {
  const members = Array.from({ length: PROCESSES }, () => spawnMember(config));
  await Promise.all(members.map((m) => m.ready));
  return {
    all: (command: string) => Promise.all(members.map((m) => m.ask(command))),
    exit: () => Promise.all(members.map((m) => m.exit())),
  };
}

const tokensOf = (bursts: Burst[]) => new Set(bursts.flatMap((b) => b.tokens));
const callsOf = (bursts: Burst[]) => bursts.reduce((n, b) => n + b.calls, 0);
const failuresOf = (bursts: Burst[]) => bursts.flatMap((b) => b.failures);

let tokens: Awaited<ReturnType<typeof startTokenServer>>;
let redis: RunningRedis;
const dirs: string[] = [];
const counts: Record<string, number> = {};

beforeAll(async () => {
  for (const built of [
    "packages/auth/dist/index.js",
    "packages/auth/dist/node.js",
    "packages/token-store-redis/dist/index.js",
  ])
    if (!existsSync(resolve(repoRoot, built))) throw new Error(`${built} is missing: build first (pnpm build)`);
  // slow enough that every process asks while the first request is still out
  tokens = await startTokenServer({ delayMs: 150, prefix: "fleet" });
  redis = await startRedis();
}, 30_000);
afterAll(async () => {
  await tokens?.close();
  await redis?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  if (Object.keys(counts).length)
    console.log(
      `token requests for ${PROCESSES} processes × ${CALLS} cold calls: ${Object.entries(counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}`,
    );
});

const base = () => ({ apiKey: API_KEY, baseUrl: tokens.baseUrl, calls: CALLS });

describe(`a fleet of ${PROCESSES} processes × ${CALLS} concurrent cold calls`, () => {
  it("without a store: one token request per process (the in-process cache already shares one)", async () => {
    const members = await fleet({ ...base(), store: "none" });
    try {
      const before = tokens.state.requests;
      const bursts = await members.all("go");
      expect(failuresOf(bursts)).toEqual([]);
      expect(callsOf(bursts)).toBe(PROCESSES * CALLS);
      counts["without a store"] = tokens.state.requests - before;
      expect(tokens.state.requests - before).toBe(PROCESSES);
      expect(tokensOf(bursts).size).toBe(PROCESSES);
    } finally {
      await members.exit();
    }
  }, 60_000);

  describe.each([
    ["Redis", () => ({ store: "redis", url: redis.url })],
    [
      "the file store",
      () => {
        const dir = join(mkdtempSync(join(tmpdir(), "simcel-fleet-")), "cache", "simcel");
        dirs.push(dir);
        return { store: "file", dir };
      },
    ],
  ])("through %s", (name, storeConfig) => {
    let config: Record<string, unknown>;
    beforeAll(() => {
      config = storeConfig();
    });

    it("ONE token request for the whole fleet; after a revoke seen by every process, ONE more", async () => {
      const members = await fleet({ ...base(), ...config });
      try {
        const before = tokens.state.requests;
        const cold = await members.all("go");
        expect(failuresOf(cold)).toEqual([]);
        expect(callsOf(cold)).toBe(PROCESSES * CALLS);
        counts[`through ${name}`] = tokens.state.requests - before;
        expect(tokens.state.requests - before).toBe(1);
        const [first] = [...tokensOf(cold)];
        expect(tokensOf(cold)).toEqual(new Set([first]));

        // Every process sees the API refuse `first` at about the same time. Compare-and-delete removes it
        // once; one process wins the lock and requests; the others find its token. Exactly one here; one
        // more is possible only if a process waits past waitMs (15 s) or the holder outlives its lock (10 s).
        const afterRevoke = await members.all(`revoke ${first}`);
        expect(failuresOf(afterRevoke)).toEqual([]);
        expect(tokens.state.requests - before).toBe(2);
        const renewed = tokensOf(afterRevoke);
        expect(renewed.size).toBe(1);
        expect(renewed.has(first as string)).toBe(false);
        expect(afterRevoke.every((b) => b.warnings === 0)).toBe(true);
      } finally {
        await members.exit();
      }
    }, 60_000);

    it("holds nothing readable: no token, key or marker in any key, value or file", async () => {
      const needles = ["FAKE", API_KEY, "tok_", "127.0.0.1"].flatMap((s) => [
        s,
        Buffer.from(s).toString("base64"),
        Buffer.from(s).toString("base64url"),
      ]);
      const texts: string[] = [];
      if (config.store === "redis") {
        const client = createClient({ url: redis.url });
        await client.connect();
        for (const key of await client.keys("*")) texts.push(key, String(await client.get(key)));
        await client.close();
      } else {
        const dir = config.dir as string;
        expect(statSync(dir).mode & 0o777).toBe(0o700);
        for (const file of readdirSync(dir)) {
          expect(statSync(join(dir, file)).mode & 0o777, file).toBe(0o600);
          texts.push(file, readFileSync(join(dir, file), "utf8"));
        }
      }
      expect(texts.length).toBeGreaterThanOrEqual(2);
      for (const text of texts) for (const needle of needles) expect(text).not.toContain(needle);
    });
  });

  it("Redis stopped mid-run: every call still succeeds, each process falls back on its own and says so once", async () => {
    const own = await startRedis();
    const members = await fleet({ ...base(), store: "redis", url: own.url });
    try {
      const cold = await members.all("go");
      expect(failuresOf(cold)).toEqual([]);
      const [first] = [...tokensOf(cold)];
      await own.stop();
      const before = tokens.state.requests;
      const during = await members.all(`revoke ${first}`);
      expect(failuresOf(during)).toEqual([]);
      expect(callsOf(during)).toBe(PROCESSES * CALLS);
      // per-process behaviour: each cache makes its own single request
      expect(tokens.state.requests - before).toBe(PROCESSES);
      expect(during.map((b) => b.warnings)).toEqual(Array(PROCESSES).fill(1));
      const again = await members.all(`revoke ${[...tokensOf(during)][0]}`);
      expect(failuresOf(again)).toEqual([]);
      expect(again.map((b) => b.warnings)).toEqual(Array(PROCESSES).fill(1));
    } finally {
      await members.exit();
      await own.stop();
    }
  }, 60_000);
});
