// The packed libraries under the other JavaScript runtimes people deploy them to: Bun, Deno and workerd (the
// runtime of Cloudflare Workers). Each runs the README's library example (scripts/release/fixtures/runtimes: an
// API-key sign-in, then every plan's P&L) against a sandbox on loopback, from one consumer project that installed
// the tarballs offline. The runtimes are the workspace's devDependencies (pinned in the catalog, installed from the
// lockfile); a Worker is bundled first, as wrangler would. Each must print exactly what Node prints, after the same
// requests, each naming the SDK and that runtime in its User-Agent. Chromium runs the libraries in
// browser.consumer.test.ts.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Sandbox, startSandbox } from "../../../packages/sandbox/src/index.js";
import { repoRoot } from "../../prism.mjs";
import { type Consumer, createConsumer } from "../consumer.js";

const bin = (path: string) => resolve(repoRoot, "node_modules", path);
const runtimes = {
  node: () => [process.execPath, "main.mjs"],
  bun: () => {
    const bun = bin("@oven/bun-linux-x64/bin/bun");
    // the pinned package is the Linux x64 build (an optional dependency other platforms skip)
    if (!existsSync(bun)) throw new Error(`no Bun binary for ${process.platform}-${process.arch} at ${bun}`);
    return [bun, "main.mjs"];
  },
  // --cached-only: nothing may be fetched; node_modules (from package.json) resolves the packages
  deno: () => [
    process.execPath,
    bin("deno/bin.cjs"),
    "run",
    "--cached-only",
    "--allow-env",
    "--allow-net",
    "--allow-read",
    "main.mjs",
  ],
  workerd: () => [process.execPath, bin("workerd/bin/workerd"), "test", "worker.capnp"],
} satisfies Record<string, () => string[]>;
type Runtime = keyof typeof runtimes;

let consumer: Consumer;
let sandbox: Sandbox;
let home: string;
let apiKey: string;
const timings: string[] = [];

beforeAll(async () => {
  consumer = createConsumer("runtimes", inject("packed"), {
    packages: ["@simcel/auth", "@simcel/insights"],
    fixture: "runtimes",
  });
  timings.push(`install ${consumer.installMs} ms`);
  const started = performance.now();
  await build({
    absWorkingDir: consumer.dir,
    entryPoints: ["worker.mjs"],
    outfile: join(consumer.dir, "worker.js"),
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    target: "es2022",
    logLevel: "silent",
  });
  timings.push(`worker bundle ${Math.round(performance.now() - started)} ms`);
  sandbox = await startSandbox({ record: true });
  apiKey = sandbox.createApiKey();
  // the runtimes' own caches and settings, away from the user's
  home = mkdtempSync(join(tmpdir(), "simcel-runtimes-home-"));
});

afterAll(async () => {
  consumer?.remove();
  await sandbox?.close();
  if (home) rmSync(home, { recursive: true, force: true });
  process.stderr.write(`[consumer runtimes] ${timings.join(", ")}\n`);
});

/** Runs the example under `runtime`: its report, and the requests the sandbox saw from it. */
async function runExample(runtime: Runtime) {
  const [command, ...args] = runtimes[runtime]();
  const before = sandbox.requests.length;
  const result = await consumer.runAsync(command as string, args, {
    HOME: home,
    DENO_DIR: join(home, "deno"),
    DENO_NO_UPDATE_CHECK: "1",
    NO_COLOR: "1",
    SIMCEL_API_KEY: apiKey,
    SIMCEL_BASE_URL: sandbox.url,
    // blank counts as unset: a developer's own credential must not compete with the key
    SIMCEL_CLIENT_ID: "",
    SIMCEL_CLIENT_SECRET: "",
    SIMCEL_TOKEN: "",
  });
  timings.push(`${runtime} ${result.ms} ms`);
  const output = `${result.stdout}${result.stderr}`;
  expect(result.status, `${runtime} exited ${result.status}:\n${output}`).toBe(0);
  expect(output, "the program printed the API key").not.toContain(apiKey);
  const report = JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "") as [string, string, number][];
  const requests = sandbox.requests.slice(before).map((r) => {
    const bearer = String(r.headers.authorization ?? "").startsWith("Bearer ") ? " bearer" : "";
    return `${r.method} ${r.path} ${r.status}${bearer}`;
  });
  const userAgents = [...new Set(sandbox.requests.slice(before).map((r) => String(r.headers["user-agent"])))];
  return { report, requests, userAgents };
}

/** The version of a runtime package the workspace installed. */
const installedVersion = (name: string): string =>
  JSON.parse(readFileSync(bin(`${name}/package.json`), "utf8")).version;

/** How each runtime names itself in the User-Agent the libraries send. */
const runtimeTokens: Record<Runtime, () => string> = {
  node: () => `node/${process.versions.node}`,
  bun: () => `bun/${installedVersion("@oven/bun-linux-x64")}`,
  deno: () => `deno/${installedVersion("deno")}`,
  workerd: () => "workerd",
};
const installedSdkVersion = () =>
  JSON.parse(readFileSync(join(consumer.dir, "node_modules/@simcel/auth/package.json"), "utf8")).version;
/** The User-Agent each request from `runtime` must carry. */
const identifies = (runtime: Runtime) => [`simcel-sdk-typescript/${installedSdkVersion()} ${runtimeTokens[runtime]()}`];

describe("the README's library example under each runtime (packed tarballs, sandbox on loopback)", () => {
  let reference: Awaited<ReturnType<typeof runExample>>;

  it("runs under Node, the reference: a sign-in, then every plan's P&L", async () => {
    reference = await runExample("node");
    expect(reference.requests).toEqual([
      "POST /auth/v1/token 200",
      "GET /insights/v1/plans 200 bearer",
      ...sandbox.plans.map(() => "GET /insights/v1/pnl-summary 200 bearer"),
    ]);
    expect(new Set(reference.report.map(([plan]) => plan))).toEqual(new Set(sandbox.plans.map((p) => p.name)));
    expect(reference.report.every(([, , ebit]) => typeof ebit === "number")).toBe(true);
    expect(reference.userAgents).toEqual(identifies("node"));
  });

  it.each(["bun", "deno", "workerd"] as const)(
    "runs under %s with the same requests and report, naming it",
    async (runtime) => {
      const { report, requests, userAgents } = await runExample(runtime);
      expect(requests).toEqual(reference.requests);
      expect(report).toEqual(reference.report);
      expect(userAgents).toEqual(identifies(runtime));
    },
  );
});
