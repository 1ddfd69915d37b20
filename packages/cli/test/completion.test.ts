// `simcel completion`: each script sourced in a real shell (bash: its own completion function with COMP_WORDS, as
// compgen-driven completion runs it; zsh: after compinit, the function compdef registered, with compadd reporting
// what it was given), asking for candidates. Ids come from the built CLI on PATH, against the sandbox.
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliPath } from "../../../scripts/test/run-cli.js";
import { type Sandbox, startSandbox } from "../../sandbox/src/index.js";
import { COMPLETION_SCRIPTS } from "../src/completion.js";
import { run } from "../src/run.js";
import { sink } from "./sink.js";

let sandbox: Sandbox;
let apiKey: string;
const root = mkdtempSync(join(tmpdir(), "simcel-completion-"));
const bin = join(root, "bin");
const scripts = { bash: join(root, "simcel.bash"), zsh: join(root, "_simcel") };

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 1 });
  apiKey = sandbox.createApiKey({ scopes: ["insights:read", "plans:read"] });
  // the scripts call `simcel` from PATH, as an installed CLI is called
  mkdirSync(bin);
  writeFileSync(join(bin, "simcel"), `#!/bin/sh\nexec "${process.execPath}" "${cliPath}" "$@"\n`);
  chmodSync(join(bin, "simcel"), 0o755);
  writeFileSync(scripts.bash, COMPLETION_SCRIPTS.bash());
  writeFileSync(scripts.zsh, COMPLETION_SCRIPTS.zsh());
});
afterAll(async () => {
  await sandbox.close();
  rmSync(root, { recursive: true, force: true });
});

/** A fresh cache folder and the environment of a user signed in to the sandbox. */
function user(extra: Record<string, string> = {}) {
  const cache = mkdtempSync(join(root, "cache-"));
  return {
    PATH: `${bin}:${process.env.PATH}`,
    XDG_CACHE_HOME: cache,
    SIMCEL_BASE_URL: sandbox.url,
    SIMCEL_API_KEY: apiKey,
    ...extra,
  };
}

/** `line` split into words; a trailing space starts an empty word, the one being completed. */
const wordsOf = (line: string) => line.split(" ");
const sorted = (text: string) => text.split("\n").filter(Boolean).sort();

/**
 * Runs a shell script and resolves to its stdout. Asynchronous: the shell runs the built `simcel`, which asks the
 * sandbox in this process, so the event loop must stay free.
 */
function shell(command: string, args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${command} exited ${code}: ${stderr}`)),
    );
  });
}

/** The candidates bash's completion function offers for the last word of `line`. */
async function bash(line: string, env: Record<string, string> = user()): Promise<string[]> {
  const words = wordsOf(line);
  const script = `source "${scripts.bash}"
[[ $(complete -p simcel) == *"-F _simcel simcel"* ]] || exit 9
COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}
_simcel; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return sorted(await shell("bash", ["--norc", "--noprofile", "-c", script], env));
}

/**
 * The candidates zsh's completion function (registered by compdef after compinit) hands to compadd, matched against
 * the word typed so far as compadd matches them (here a function in its place reports what it was given).
 */
async function zsh(line: string, env: Record<string, string> = user()): Promise<string[]> {
  const words = wordsOf(line);
  // compinit with only its own folder in fpath and no security audit (-C): it only has to define compdef here
  const script = `fpath=(\${(M)fpath:#*/Completion}); autoload -U compinit && compinit -C -D
source "${scripts.zsh}"
[[ \${_comps[simcel]} == _simcel ]] || exit 9
compadd() { while [[ $1 != -- ]]; do shift; done; shift; local c; for c in "$@"; do [[ $c == "\${words[CURRENT]}"* ]] && print -r -- "$c"; done; return 0; }
words=(${words.map((w) => `'${w}'`).join(" ")}); CURRENT=${words.length}
_simcel`;
  return sorted(await shell("zsh", ["-f", "-c", script], { ...env, HOME: root }));
}

const shells = { bash, zsh };

for (const [shell, complete] of Object.entries(shells))
  describe(`${shell}: the script, sourced in a real ${shell}`, () => {
    it("completes the commands and global flags, then each command's own flags", async () => {
      const first = await complete("simcel ");
      for (const word of ["plans", "pnl", "demand", "co2", "compare", "report", "doctor", "token", "completion"])
        expect(first).toContain(word);
      expect(first).toContain("--json");
      expect(await complete("simcel p")).toEqual(["plans", "pnl"]);
      const pnl = await complete("simcel pnl --");
      expect(pnl).toContain("--interval");
      expect(pnl).toContain("--color");
      expect(pnl).not.toContain("--group-by");
      expect(await complete("simcel completion ")).toEqual(["bash", "fish", "powershell", "zsh"]);
    });

    it("completes enum values from the spec, per command", async () => {
      expect(await complete("simcel pnl --interval ")).toEqual(["FY", "M"]);
      expect(await complete("simcel demand --interval ")).toEqual(["D", "FY", "M", "W"]);
      expect(await complete("simcel demand --group-by r")).toEqual(["region"]);
      expect(await complete("simcel co2 --group-by ")).toEqual(["dc", "region", "transport_mode"]);
      expect(await complete("simcel plans --color ")).toEqual(["always", "auto", "never"]);
      // a flag's value is not taken for the command
      expect(await complete("simcel --base-url http://x pnl --interval ")).toEqual(["FY", "M"]);
      // a value to type: nothing offered
      expect(await complete("simcel pnl --from ")).toEqual([]);
    });

    it("completes plan and scenario ids with one quick plans call, then from what it kept", async () => {
      const env = user();
      const plans = sandbox.plans.map((p) => p.id).sort();
      const before = sandbox.counts.byOperation.listPlans ?? 0;
      expect(await complete("simcel pnl --plan ", env)).toEqual(plans);
      expect(sandbox.counts.byOperation.listPlans).toBe(before + 1);
      // kept: the next TAB asks nothing
      const plan = sandbox.plans[1]!;
      const scenarios = plan.scenarios.map((s) => s.id).sort();
      expect(await complete(`simcel compare --plan ${plan.id} --base `, env)).toEqual(scenarios);
      expect(sandbox.counts.byOperation.listPlans).toBe(before + 1);
      // --scenarios is a comma list: the ids typed so far stay in front
      const [a, b] = scenarios as [string, string];
      expect(await complete(`simcel pnl --plan ${plan.id} --scenarios ${a},`, env)).toContain(`${a},${b}`);
    });

    it("offers no ids, and shows no error, when the API cannot answer", async () => {
      sandbox.fail({ operation: "listPlans", status: 503 });
      try {
        expect(await complete("simcel pnl --plan ", user())).toEqual([]);
        expect(await complete("simcel pnl --plan ", user({ SIMCEL_API_KEY: "" }))).toEqual([]);
      } finally {
        sandbox.clearFaults();
      }
    });
  });

describe("simcel completion (in-process)", () => {
  async function simcel(argv: string[], env: Record<string, string>) {
    const stdout = sink();
    const stderr = sink();
    const code = await run(argv, { env, stdout, stderr });
    return { code, stdout: stdout.text, stderr: stderr.text };
  }

  it("prints each shell's script, generated from the command table; anything else is a usage error", async () => {
    for (const shell of ["bash", "zsh", "fish", "powershell"]) {
      const r = await simcel(["completion", shell], {});
      expect([r.code, r.stderr]).toEqual([0, ""]);
      expect(r.stdout).toContain(`generated by \`simcel completion ${shell}\``);
      expect(r.stdout).toContain("transport_mode");
    }
    const fish = (await simcel(["completion", "fish"], {})).stdout;
    expect(fish).toContain('complete -c simcel -n "__fish_seen_subcommand_from demand" -l interval -xa "D W M FY"');
    expect((await simcel(["completion", "powershell"], {})).stdout).toContain("Register-ArgumentCompleter -Native");
    const none = await simcel(["completion"], {});
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^simcel completion: say which shell, one of bash, zsh, fish, powershell/);
    expect((await simcel(["completion", "tcsh"], {})).code).toBe(2);
  });

  it("simcel plans keeps the ids of its answer for the shell, in a 0600 file; never with the token cache off", async () => {
    const env = user();
    expect((await simcel(["plans"], env)).code).toBe(0);
    const kept = join(env.XDG_CACHE_HOME, "simcel", "completion-ids.json");
    expect(statSync(kept).mode & 0o777).toBe(0o600);
    const ids = await simcel(["completion", "__ids", "plans"], { ...env, SIMCEL_API_KEY: "" });
    expect(sorted(ids.stdout)).toEqual(sandbox.plans.map((p) => p.id).sort());
    const off = user({ SIMCEL_TOKEN_CACHE: "off" });
    await simcel(["plans"], off);
    expect(existsSync(join(off.XDG_CACHE_HOME, "simcel", "completion-ids.json"))).toBe(false);
  });
});
