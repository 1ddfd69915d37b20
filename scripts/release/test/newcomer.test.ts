// A newcomer's first `pnpm start` (fresh HOME, none of our telemetry variables set): no telemetry notice, no
// update nag, nothing written to their home — the project's scripts switch the tools' telemetry off themselves
// (scripts/quiet.mjs) and .npmrc turns npm's update notifier off.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../prism.mjs";
import { rootManifest } from "../../workspace.mjs";

const home = mkdtempSync(join(tmpdir(), "simcel-newcomer-home-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const quietVariables = /^(TURBO_TELEMETRY_DISABLED|DO_NOT_TRACK|REDOCLY_TELEMETRY|NO_UPDATE_NOTIFIER|SIMCEL_.*)$/i;
const notifier = /^npm_config_update_notifier$/i;

describe("a newcomer's pnpm start", () => {
  it("prints no telemetry notice or update nag and writes nothing to their home", () => {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !quietVariables.test(k) && !notifier.test(k)),
    );
    const started = performance.now();
    const run = spawnSync("npx", ["-y", rootManifest.packageManager, "start"], {
      cwd: repoRoot,
      encoding: "utf8",
      timeout: 150_000,
      env: {
        ...env,
        HOME: home,
        XDG_CONFIG_HOME: join(home, ".config"),
        // the machine's caches, so npx and pnpm need no download (they are not what this test is about)
        npm_config_cache: process.env.npm_config_cache ?? join(homedir(), ".npm"),
        XDG_CACHE_HOME: process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"),
        XDG_DATA_HOME: process.env.XDG_DATA_HOME ?? join(homedir(), ".local/share"),
      },
    });
    const output = `${run.stdout}${run.stderr}`;
    process.stderr.write(
      `[newcomer] pnpm start from a fresh HOME: exit ${run.status} in ${Math.round(performance.now() - started)} ms\n`,
    );
    expect(run.status, output.slice(-3000)).toBe(0);
    // the tour ran to its last step ("━━ 6/6 …")
    expect(output).toMatch(/━━ (\d+)\/\1 /);
    // a telemetry notice, not a package named …telemetry (turbo lists @simcel/opentelemetry among the packages it builds)
    expect(output).not.toMatch(/\btelemetry|update available|npm notice|anonymous/i);
    expect(readdirSync(home)).toEqual([]);
  });
});
