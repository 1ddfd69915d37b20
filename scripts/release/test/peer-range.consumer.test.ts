// openapi-fetch is a peer dependency of both libraries: the consumer's own copy is used, never a nested one.
// The oldest and the newest version of the declared range each get a fresh project (offline, from the store)
// where the consumer's own openapi-fetch client takes `client.use(createAuthMiddleware(...))` under strict tsc,
// and the program then runs: its own client and the insights client read the mock through that openapi-fetch.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import semver from "semver";
import { afterAll, describe, expect, inject, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../../prism.mjs";
import { rootManifest } from "../../workspace.mjs";
import { type Consumer, consumerApiKey, createConsumer, mockPnl, workspaceVersion } from "../consumer.js";

const baseUrl = inject("simcelBaseUrl");
const manifest = (pkg: string) => JSON.parse(readFileSync(resolve(repoRoot, "packages", pkg, "package.json"), "utf8"));
const range: string = manifest("auth").peerDependencies["openapi-fetch"];
const catalog = parse(readFileSync(resolve(repoRoot, "pnpm-workspace.yaml"), "utf8")).catalog as Record<string, string>;
// The oldest version is installed in the workspace (root devDependency `openapi-fetch-oldest`) so the store has it.
const oldest = String(rootManifest.devDependencies["openapi-fetch-oldest"]).replace(/^npm:openapi-fetch@/, "");
const newest = catalog["openapi-fetch"] as string;

const consumers: Consumer[] = [];
afterAll(() => {
  for (const c of consumers) c.remove();
});

describe("openapi-fetch peer range", () => {
  it("is declared the same by both libraries; the workspace holds its oldest and newest versions", () => {
    expect(manifest("insights").peerDependencies["openapi-fetch"]).toBe(range);
    expect(semver.minVersion(range)?.version).toBe(oldest);
    expect(semver.satisfies(newest, range)).toBe(true);
    // newest: no later minor line is in the range
    expect(semver.satisfies(semver.inc(newest, "minor") as string, range)).toBe(false);
  });

  it.each([
    ["oldest", oldest],
    ["newest", newest],
  ])(
    "%s (openapi-fetch %s): client.use(createAuthMiddleware(...)) type-checks and both clients read the mock",
    async (label, version) => {
      const consumer = createConsumer(`peer-${label}`, inject("packed"), {
        packages: ["@simcel/auth", "@simcel/insights"],
        dependencies: {
          "openapi-fetch": version,
          typescript: workspaceVersion("typescript"),
          "@types/node": workspaceVersion("@types/node"),
        },
        fixture: "peer",
      });
      consumers.push(consumer);
      const installed = JSON.parse(readFileSync(join(consumer.dir, "node_modules/openapi-fetch/package.json"), "utf8"));
      expect(installed.version).toBe(version);

      const tsc = consumer.run(process.execPath, [join(consumer.dir, "node_modules/typescript/bin/tsc"), "-p", "."]);
      expect(`${tsc.stdout}${tsc.stderr}`, "tsc reported errors").toBe("");
      const run = consumer.runOk(process.execPath, ["dist/main.js"], {
        SIMCEL_API_KEY: consumerApiKey,
        SIMCEL_BASE_URL: baseUrl,
      });
      process.stderr.write(
        `[consumer peer-${label}] openapi-fetch ${version}: install ${consumer.installMs} ms, tsc ${tsc.ms} ms, run ${run.ms} ms\n`,
      );
      expect(JSON.parse(run.stdout.trim())).toEqual(await mockPnl(baseUrl));
    },
  );
});
