// A stranger's project: a fresh folder outside the workspace (the OS temp dir) whose package.json names the
// packed tarballs. Two ways to resolve its third-party dependencies:
// - "workspace" (the default): exactly the versions of the workspace lockfile, per parent package (a generated
//   .pnpmfile.cjs, scripts/release/lockfile-pins.mjs), installed with --offline: everything comes from the store the
//   workspace install filled, so the result does not depend on what else a store or metadata cache holds, and a
//   miss fails instead of downloading;
// - "newest": a stranger's resolution, the newest versions in range, with --prefer-offline: what the store lacks is
//   downloaded from the registry (the one consumer kind allowed to use the network).
import { execFile, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { get as httpGet } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { repoRoot } from "../prism.mjs";
import { pnpm, quietEnv } from "../workspace.mjs";
import { lockfilePins, pinsPnpmfile } from "./lockfile-pins.mjs";
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
  /**
   * Runs a command without blocking this process, for a program that calls a server the test itself runs (a
   * sandbox): the same environment as {@link Consumer.run}, `error` when it could not start or was killed.
   */
  runAsync(command: string, args: string[], env?: Record<string, string>): Promise<Run>;
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
  /** `workspace` (default): the lockfile's versions, offline. `newest`: the newest in range, downloads allowed. */
  resolution?: "workspace" | "newest";
}

let pins: ReturnType<typeof lockfilePins> | undefined;

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

  const newest = options.resolution === "newest";
  if (!newest) {
    pins ??= lockfilePins();
    writeFileSync(join(dir, ".pnpmfile.cjs"), pinsPnpmfile(pins, Object.keys(manifest.dependencies)));
  }

  const started = performance.now();
  const install = pnpm(["install", newest ? "--prefer-offline" : "--offline", "--reporter=append-only"], { cwd: dir });
  const installMs = Math.round(performance.now() - started);
  if (install.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `${newest ? "install (newest versions, downloads allowed)" : "offline install"} of the ${label} consumer failed:\n${install.stdout}${install.stderr}`,
    );
  }

  // npm_config_offline: `npx simcel` must find the installed bin, never fetch a package of that name.
  const runEnv = (env: Record<string, string>) => ({ ...process.env, ...quietEnv, npm_config_offline: "true", ...env });
  const run = (command: string, args: string[], env: Record<string, string> = {}): Run => {
    const t = performance.now();
    const result = spawnSync(command, args, {
      cwd: dir,
      encoding: "utf8",
      timeout: 120_000,
      env: runEnv(env),
    });
    return {
      status: result.status,
      stdout: result.stdout ?? "",
      stderr: `${result.stderr ?? ""}${result.error ? String(result.error) : ""}`,
      ms: Math.round(performance.now() - t),
    };
  };
  const runAsync = (command: string, args: string[], env: Record<string, string> = {}) =>
    new Promise<Run>((done) => {
      const t = performance.now();
      execFile(
        command,
        args,
        { cwd: dir, encoding: "utf8", timeout: 120_000, env: runEnv(env) },
        (error, stdout, stderr) =>
          done({
            status: error ? (typeof error.code === "number" ? error.code : null) : 0,
            stdout,
            stderr: `${stderr}${error && typeof error.code !== "number" ? String(error) : ""}`,
            ms: Math.round(performance.now() - t),
          }),
      );
    });
  return {
    dir,
    installMs,
    run,
    runAsync,
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

/** Subpaths of an exports map with their conditions (`.` → ["import", "require"]). */
function entries(manifest: { exports?: unknown; main?: string }): [string, string[]][] {
  const exp = manifest.exports;
  if (!exp) return manifest.main ? [[".", ["require"]]] : [];
  if (typeof exp === "string") return [[".", ["import"]]];
  const map = exp as Record<string, unknown>;
  const subpaths = Object.keys(map).some((k) => k.startsWith(".")) ? map : { ".": map };
  return Object.entries(subpaths)
    .filter(([subpath]) => !subpath.endsWith(".json") && !subpath.includes("*"))
    .map(([subpath, target]) => [
      subpath,
      typeof target === "string" ? ["import"] : Object.keys(target as object).filter((c) => c !== "types"),
    ]);
}

/**
 * Loads every `exports` entry of the installed package `name` with `import` (and `require` where offered) and runs
 * each of its bins with `--help` through npx; throws on the first that fails. Returns a timing line per step.
 */
export function loadEntriesAndBins(consumer: Consumer, name: string): string[] {
  const manifest = JSON.parse(readFileSync(join(consumer.dir, "node_modules", name, "package.json"), "utf8"));
  const lines: string[] = [];
  for (const [subpath, conditions] of entries(manifest)) {
    const specifier = subpath === "." ? name : `${name}/${subpath.slice(2)}`;
    if (conditions.some((c) => c === "import" || c === "default" || c === "node")) {
      const run = consumer.runOk(process.execPath, [
        "--input-type=module",
        "-e",
        `const m = await import(${JSON.stringify(specifier)}); if (!Object.keys(m).length) process.exit(3);`,
      ]);
      lines.push(`import ${specifier} ${run.ms} ms`);
    }
    if (conditions.includes("require")) {
      const run = consumer.runOk(process.execPath, [
        "-e",
        `const m = require(${JSON.stringify(specifier)}); if (!Object.keys(m).length) process.exit(3);`,
      ]);
      lines.push(`require ${specifier} ${run.ms} ms`);
    }
  }
  const bins = typeof manifest.bin === "string" ? { [name.split("/").pop() as string]: manifest.bin } : manifest.bin;
  for (const bin of Object.keys(bins ?? {})) {
    const run = consumer.run("npx", [bin, "--help"]);
    if (run.status !== 0 || run.stdout.length === 0)
      throw new Error(`npx ${bin} --help exited ${run.status} in ${consumer.dir}:\n${run.stdout}${run.stderr}`);
    lines.push(`npx ${bin} --help ${run.ms} ms`);
  }
  return lines;
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
