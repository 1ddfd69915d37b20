// A stranger's install: every published tarball in one fresh project with NO pinning — pnpm resolves each range to
// the newest version it can find, and whatever the local store lacks is downloaded from the registry
// (`resolution: "newest"`, --prefer-offline). The other consumers install the workspace lockfile's exact versions,
// offline, so that CI does not depend on what a store happens to hold; this one keeps the newest releases of our
// dependencies (cross-spawn 7.1.2 under the MCP SDK, say) covered, as they reach a user on the day they install.
// It is the one release test that may use the network (the registry is reachable from CI).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseAllDocuments } from "yaml";
import {
  type Consumer,
  consumerApiKey,
  createConsumer,
  expectedCalls,
  loadEntriesAndBins,
  mockPnl,
  programOutput,
} from "../consumer.js";
import { lockfilePins } from "../lockfile-pins.mjs";

const packed = inject("packed");
const baseUrl = inject("simcelBaseUrl");
let consumer: Consumer;

beforeAll(() => {
  consumer = createConsumer("stranger", packed, {
    packages: packed.map((p) => p.name),
    // the ESM program of the Node consumer: sign in, list plans, read a P&L
    fixture: "node",
    resolution: "newest",
  });
  // For the log: what a stranger gets that CI's pinned consumers do not, so a failure here can be read against it.
  const pinned = new Set(Object.keys(lockfilePins().packages));
  const lock = parseAllDocuments(readFileSync(join(consumer.dir, "pnpm-lock.yaml"), "utf8"))
    .map((doc) => doc.toJS())
    .find((doc) => doc?.packages);
  const newer = Object.keys(lock?.packages ?? {}).filter((k) => !k.startsWith("@simcel/") && !pinned.has(k));
  process.stderr.write(
    `[consumer stranger] install of every package, newest versions: ${consumer.installMs} ms; ${newer.length} packages not in the workspace lockfile${newer.length ? `: ${newer.join(", ")}` : ""}\n`,
  );
});
afterAll(() => consumer?.remove());

describe("a stranger's install (newest versions in range, downloads allowed)", () => {
  it("every entry point loads and every bin answers --help", () => {
    const lines = packed.flatMap((p) => loadEntriesAndBins(consumer, p.name));
    expect(lines.filter((l) => l.startsWith("npx ")).length).toBeGreaterThanOrEqual(2); // simcel, simcel-mcp
    process.stderr.write(`[consumer stranger] ${lines.join(", ")}\n`);
  });

  it("an ESM program signs in and reads the P&L the mock serves", async () => {
    const run = consumer.runOk(process.execPath, ["esm.mjs"], {
      SIMCEL_API_KEY: consumerApiKey,
      SIMCEL_BASE_URL: baseUrl,
    });
    const out = programOutput(run);
    expect(out.calls).toEqual(expectedCalls);
    expect({ planId: out.planId, ebit: out.ebit }).toEqual(await mockPnl(baseUrl));
  });
});
