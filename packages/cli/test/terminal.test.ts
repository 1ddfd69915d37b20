// The terminal conventions: colour by --color, FORCE_COLOR, NO_COLOR and TERM=dumb; no spinner on a dumb terminal;
// widths in terminal columns (CJK, emoji); tables fitted to a terminal's width and unchanged when piped. The last
// part runs the built CLI in a real pseudo-terminal (util-linux `script`) at 80 columns.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliPath } from "../../../scripts/test/run-cli.js";
import { type Sandbox, startSandbox } from "../../sandbox/src/index.js";
import { run } from "../src/run.js";
import { colorEnabled } from "../src/style.js";
import { displayWidth, renderTable } from "../src/table.js";
import { sink } from "./sink.js";

const CJK = "東京 DC 計画";
const ESC = "\x1b[";

let sandbox: Sandbox;
let apiKey: string;
let planId: string;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 1 });
  apiKey = sandbox.createApiKey({ scopes: ["insights:read", "plans:read"] });
  planId = sandbox.plans[0]!.id;
});
afterAll(() => sandbox.close());

/** The plans the sandbox serves, the first renamed to a CJK name and the second to one with an emoji. */
const renamedPlans = () => ({
  plans: sandbox.plans.map((p, i) =>
    i === 0 ? { ...p, name: CJK } : i === 1 ? { ...p, name: `Growth 🚀 ${p.name}` } : p,
  ),
});

/** The CLI in-process; `tty` makes stdout (and stderr, if asked) a terminal of `columns` columns. */
async function simcel(argv: string[], env: Record<string, string> = {}, tty?: { columns?: number; stderr?: boolean }) {
  const stdout = Object.assign(sink(tty !== undefined), { columns: tty?.columns ?? 80 });
  const stderr = sink(tty?.stderr === true);
  const code = await run(argv, {
    env: { SIMCEL_BASE_URL: sandbox.url, SIMCEL_API_KEY: apiKey, SIMCEL_TOKEN_CACHE: "off", ...env },
    stdout,
    stderr,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe("colour", () => {
  const tty = { isTTY: true, write: () => true };
  const pipe = { isTTY: false, write: () => true };
  const cases: Array<[string, typeof tty, Record<string, string>, "auto" | "always" | "never", boolean]> = [
    ["a terminal", tty, {}, "auto", true],
    ["a pipe", pipe, {}, "auto", false],
    ["FORCE_COLOR=1 on a pipe", pipe, { FORCE_COLOR: "1" }, "auto", true],
    ["FORCE_COLOR=3 on a pipe", pipe, { FORCE_COLOR: "3" }, "auto", true],
    ["FORCE_COLOR empty on a pipe", pipe, { FORCE_COLOR: "" }, "auto", true],
    ["FORCE_COLOR=0 on a terminal", tty, { FORCE_COLOR: "0" }, "auto", false],
    ["FORCE_COLOR=false on a terminal", tty, { FORCE_COLOR: "false" }, "auto", false],
    ["FORCE_COLOR=1 over NO_COLOR", pipe, { FORCE_COLOR: "1", NO_COLOR: "1" }, "auto", true],
    ["NO_COLOR on a terminal", tty, { NO_COLOR: "1" }, "auto", false],
    ["TERM=dumb on a terminal", tty, { TERM: "dumb" }, "auto", false],
    ["--color=always on a pipe", pipe, {}, "always", true],
    ["--color=always over NO_COLOR and TERM=dumb", pipe, { NO_COLOR: "1", TERM: "dumb" }, "always", true],
    ["--color=never over FORCE_COLOR", tty, { FORCE_COLOR: "1" }, "never", false],
  ];
  for (const [name, stream, env, mode, on] of cases)
    it(`${name}: ${on ? "on" : "off"}`, () => {
      expect(colorEnabled(stream, env, mode)).toBe(on);
    });

  it("reaches the output: FORCE_COLOR=1 and --color=always colour a pipe; TERM=dumb and --color=never do not", async () => {
    expect((await simcel(["plans"], { FORCE_COLOR: "1" })).stdout).toContain(`${ESC}1mPLAN`);
    expect((await simcel(["plans", "--color=always"])).stdout).toContain(`${ESC}1mPLAN`);
    expect((await simcel(["plans", "--color", "always"], { NO_COLOR: "1" })).stdout).toContain(ESC);
    expect((await simcel(["plans"], { TERM: "dumb" }, {})).stdout).not.toContain(ESC);
    expect((await simcel(["plans", "--color=never"], {}, {})).stdout).not.toContain(ESC);
    expect((await simcel(["plans", "--no-color"], {}, {})).stdout).not.toContain(ESC);
    expect((await simcel(["plans"], {}, {})).stdout).toContain(ESC);
  });

  it("--color takes auto, always or never: anything else is a usage error", async () => {
    const r = await simcel(["plans", "--color=sometimes"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('simcel plans: --color must be auto, always, never (got "sometimes")\n');
  });

  it("TERM=dumb: no spinner codes on a terminal's stderr, even for a slow call", async () => {
    sandbox.fail({ operation: "listPlans", kind: "latency", ms: 450 });
    try {
      const smart = await simcel(["plans"], {}, { stderr: true });
      expect(smart.stderr).toContain("\r\x1b[K");
      const dumb = await simcel(["plans"], { TERM: "dumb" }, { stderr: true });
      expect(dumb.code).toBe(0);
      expect(dumb.stderr).toBe("");
    } finally {
      sandbox.clearFaults();
    }
  });
});

describe("widths and fitting", () => {
  it("a CJK name and an emoji line up: widths are terminal columns", async () => {
    sandbox.fail({ operation: "listPlans", kind: "json", body: renamedPlans() });
    try {
      const r = await simcel(["plans"]);
      const lines = r.stdout
        .split("\n")
        .filter((l) => l.includes(" USD ") || l.includes(" EUR ") || l.includes(" GBP "));
      const currencyAt = lines.map((l) => displayWidth(l.slice(0, l.search(/ (USD|EUR|GBP) /))));
      expect(new Set(currencyAt).size).toBe(1);
      expect(r.stdout).toContain(CJK);
    } finally {
      sandbox.clearFaults();
    }
  });

  it("a table too wide for maxWidth elides its name columns, then lists rows vertically", () => {
    const rows = [["A very long plan name that goes on", "12,500,000"]];
    const fitted = renderTable(rows, { header: ["NAME", "VALUE"], align: ["l", "r"], maxWidth: 24, flex: [0] });
    expect(fitted).toBe(`NAME${" ".repeat(15)}VALUE\nA very long…  12,500,000\n`);
    const vertical = renderTable(rows, { header: ["NAME", "VALUE"], maxWidth: 16, flex: [0] });
    // names are cut to the line, figures never
    expect(vertical).toBe("NAME   A very l…\nVALUE  12,500,000\n");
    // no maxWidth (piped): the natural width, whatever it is
    expect(renderTable(rows, { header: ["NAME", "VALUE"] })).toBe(
      "NAME                                VALUE\nA very long plan name that goes on  12,500,000\n",
    );
  });

  it("compare on an 80-column terminal: no line wider than 80; piped, the same command keeps its natural width", async () => {
    const terminal = await simcel(["compare", "--plan", planId], {}, { columns: 80 });
    expect(terminal.code, terminal.stderr).toBe(0);
    const widest = Math.max(...terminal.stdout.split("\n").map(displayWidth));
    expect(widest).toBeLessThanOrEqual(80);
    const piped = await simcel(["compare", "--plan", planId]);
    expect(Math.max(...piped.stdout.split("\n").map(displayWidth))).toBeGreaterThan(80);
  });
});

/** Runs the built CLI in a real pseudo-terminal of `columns` columns, and resolves to what the terminal showed. */
function inPty(args: string[], columns: number, env: Record<string, string>): Promise<string> {
  const quoted = [process.execPath, cliPath, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qec", `stty cols ${columns} rows 50; ${quoted}`, "/dev/null"], {
      env: { PATH: process.env.PATH ?? "", TERM: "xterm-256color", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d;
    });
    child.on("error", reject);
    child.on("close", () => resolve(out.replaceAll("\r\n", "\n")));
  });
}

describe("in a real terminal (script, 80 columns)", () => {
  const env = () => ({
    SIMCEL_BASE_URL: sandbox.url,
    SIMCEL_API_KEY: apiKey,
    SIMCEL_TOKEN_CACHE: "off",
    NO_COLOR: "1",
  });

  it("a CJK plan name lines up with the others", async () => {
    sandbox.fail({ operation: "listPlans", kind: "json", body: renamedPlans() });
    try {
      const shown = await inPty(["plans"], 80, env());
      const lines = shown.split("\n").filter((l) => / (USD|EUR|GBP) /.test(l));
      expect(
        lines.some((l) => l.includes(CJK)),
        shown,
      ).toBe(true);
      const currencyAt = lines.map((l) => displayWidth(l.slice(0, l.search(/ (USD|EUR|GBP) /))));
      expect(new Set(currencyAt).size, shown).toBe(1);
      for (const line of shown.split("\n")) expect(displayWidth(line)).toBeLessThanOrEqual(80);
    } finally {
      sandbox.clearFaults();
    }
  }, 30_000);

  it("compare prints no line wider than 80 columns", async () => {
    const shown = await inPty(["compare", "--plan", planId], 80, env());
    expect(shown).toContain("DELTA");
    for (const line of shown.split("\n")) expect(displayWidth(line), line).toBeLessThanOrEqual(80);
  }, 30_000);
});
