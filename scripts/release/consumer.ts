// A stranger's project: a fresh folder outside the workspace (the OS temp dir) whose package.json names the
// packed tarballs, installed by pnpm with --offline — every third-party package (openapi-fetch, typescript, …)
// comes from the local store, and a cache miss fails the install instead of downloading.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { get as httpGet } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { repoRoot } from "../prism.mjs";
import { pnpm, quietEnv } from "../workspace.mjs";
import type { PackedPackage } from "./pack.mjs";

/** The API key every consumer program signs in with (the FAKE marker keeps it out of any output). */
export const consumerApiKey = "sk_test_FAKE_consumer_key";

export const fixtures = resolve(repoRoot, "scripts/release/fixtures");

/** The version of a tool installed in the workspace, so a consumer asks the store for exactly that one. */
export function workspaceVersion(name: string): string {
  return JSON.parse(readFileSync(resolve(repoRoot, "node_modules", name, "package.json"), "utf8")).version;
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface Consumer {
  dir: string;
  installMs: number;
  /** Runs a command in the project; the environment is the test's plus `env`. */
  run(command: string, args: string[], env?: Record<string, string>): Run;
  /** Runs a command and throws (with its output) unless it exits 0. */
  runOk(command: string, args: string[], env?: Record<string, string>): Run;
  remove(): void;
}

export interface ConsumerOptions {
  /** Published packages to install from their tarballs, by name. */
  packages: string[];
  /** Other dependencies, `name → exact version` (resolved from the store). */
  dependencies?: Record<string, string>;
  /** `module` (default) or `commonjs`. */
  type?: "module" | "commonjs";
  /** A folder under scripts/release/fixtures copied into the project. */
  fixture?: string;
}

/** Creates and installs a consumer project. */
export function createConsumer(label: string, packed: PackedPackage[], options: ConsumerOptions): Consumer {
  const dir = mkdtempSync(join(tmpdir(), `simcel-consumer-${label}-`));
  const tarball = (name: string) => {
    const found = packed.find((p) => p.name === name);
    if (!found) throw new Error(`${name} was not packed (published packages: ${packed.map((p) => p.name).join(", ")})`);
    return `file:${found.tarball}`;
  };
  if (options.fixture) cpSync(join(fixtures, options.fixture), dir, { recursive: true });
  const manifest = {
    name: `simcel-consumer-${label}`,
    private: true,
    type: options.type ?? "module",
    dependencies: {
      ...Object.fromEntries(options.packages.map((name) => [name, tarball(name)])),
      ...options.dependencies,
    },
  };
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  // Our packages depend on each other by version range (@simcel/cli → @simcel/auth ^x): until they are on the
  // registry, point those names at the tarballs too. A stranger installing from the registry needs none of this.
  const overrides = packed.map((p) => `  "${p.name}": "${tarball(p.name)}"`).join("\n");
  writeFileSync(join(dir, "pnpm-workspace.yaml"), `overrides:\n${overrides}\n`);

  const started = performance.now();
  const install = pnpm(["install", "--offline", "--reporter=append-only"], { cwd: dir });
  const installMs = Math.round(performance.now() - started);
  if (install.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`offline install of the ${label} consumer failed:\n${install.stdout}${install.stderr}`);
  }

  const run = (command: string, args: string[], env: Record<string, string> = {}): Run => {
    const t = performance.now();
    const result = spawnSync(command, args, {
      cwd: dir,
      encoding: "utf8",
      timeout: 120_000,
      // npm_config_offline: `npx simcel` must find the installed bin, never fetch a package of that name.
      env: { ...process.env, ...quietEnv, npm_config_offline: "true", ...env },
    });
    return {
      status: result.status,
      stdout: result.stdout ?? "",
      stderr: `${result.stderr ?? ""}${result.error ? String(result.error) : ""}`,
      ms: Math.round(performance.now() - t),
    };
  };
  return {
    dir,
    installMs,
    run,
    runOk(command, args, env) {
      const result = run(command, args, env);
      if (result.status !== 0)
        throw new Error(
          `${command} ${args.join(" ")} exited ${result.status} in ${dir}:\n${result.stdout}${result.stderr}`,
        );
      return result;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** What every consumer program prints: the calls it made and the P&L it read. */
export interface ProgramOutput {
  calls: string[];
  planId: string;
  ebit: [string, number | undefined][];
}

/**
 * GET a JSON body from the mock with a bearer token, on a fresh connection: the tests wait long enough between
 * calls (tsc) for the mock to close an idle keep-alive socket that a pooled fetch would then reuse.
 */
export function mockGet<T>(url: string): Promise<T> {
  return new Promise((resolveBody, reject) => {
    const request = httpGet(url, { agent: false, headers: { authorization: "Bearer oracle" } }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () => {
        try {
          resolveBody(JSON.parse(body) as T);
        } catch (error) {
          reject(
            new Error(`${url} answered ${response.statusCode} with no JSON: ${body.slice(0, 200)}`, { cause: error }),
          );
        }
      });
    });
    request.on("error", reject);
  });
}

/** The oracle: the same P&L asked of the mock directly, without the SDK. */
export async function mockPnl(baseUrl: string): Promise<Omit<ProgramOutput, "calls">> {
  const plans = await mockGet<{ plans: { id: string }[] }>(`${baseUrl}/insights/v1/plans`);
  const planId = plans.plans[0]?.id as string;
  const pnl = await mockGet<{ scenarios: { scenarioName: string; pnl?: { ebit?: number } }[] }>(
    `${baseUrl}/insights/v1/pnl-summary?planId=${planId}&interval=FY`,
  );
  return { planId, ebit: pnl.scenarios.map((s) => [s.scenarioName, s.pnl?.ebit]) };
}

/** The calls a program makes: the key exchange, then the two insights reads with a bearer token. */
export const expectedCalls = [
  "POST /auth/v1/token",
  "GET /insights/v1/plans bearer",
  "GET /insights/v1/pnl-summary bearer",
];

/** Parses the program's single JSON line and checks nothing it printed holds the key. */
export function programOutput(run: Run): ProgramOutput {
  if (`${run.stdout}${run.stderr}`.includes(consumerApiKey)) throw new Error("the program printed the API key");
  const line = run.stdout.trim().split("\n").at(-1) ?? "";
  return JSON.parse(line) as ProgramOutput;
}
