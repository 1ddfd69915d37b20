// The Prism harness: it listens on a free loopback port, and it is always stopped — by `stop()`,
// and by the vitest globalSetup teardown even when a test fails.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot, startPrism } from "../prism.mjs";

const dir = mkdtempSync(join(tmpdir(), "simcel-harness-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function portOpen(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((done) => {
    const socket = connect(Number(port), hostname);
    socket.once("connect", () => {
      socket.destroy();
      done(true);
    });
    socket.once("error", () => done(false));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("startPrism", () => {
  it("serves the spec on a loopback port and stop() frees it", async () => {
    const prism = await startPrism();
    try {
      expect(prism.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${prism.url}/insights/v1/plans`, { headers: { authorization: "Bearer t" } });
      expect(response.status).toBe(200);
    } finally {
      await prism.stop();
    }
    expect(alive(prism.pid)).toBe(false);
    expect(await portOpen(prism.url)).toBe(false);
  }, 60_000);
});

describe("vitest globalSetup", () => {
  it("stops Prism even when a contract test fails", () => {
    const out = join(dir, "seen.json");
    const run = spawnSync(
      resolve(repoRoot, "node_modules/.bin/vitest"),
      ["run", "--config", "scripts/test/fixtures/vitest.failing.config.ts"],
      {
        cwd: repoRoot,
        env: { ...process.env, SIMCEL_FIXTURE_OUT: out, SIMCEL_CONTRACT_BASE_URL: "" },
        encoding: "utf8",
      },
    );
    expect(run.status).toBe(1);
    const seen = JSON.parse(readFileSync(out, "utf8")) as { url: string; status: number };
    expect(seen.status).toBe(401);
    return portOpen(seen.url).then((open) => expect(open).toBe(false));
  }, 90_000);
});
