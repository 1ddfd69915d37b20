// Issue 16, part 3, through the process: the built `simcel` (dist/cli.js) spawned against a loopback API whose
// names, ids, flags, currencies, periods, group keys, times, token claims and error messages carry control and
// bidi characters (scripts/test/untrusted-text.ts). For every command: no such character reaches stdout, stderr
// or the HTML file as itself, the escaped form is shown where the value is, and --json gives back exactly the
// API's strings.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliRun, runCli } from "../../../scripts/test/run-cli.js";
import {
  dangerousIn,
  FORGED_NAME,
  HOSTILE,
  HOSTILE_BODIES,
  HOSTILE_MESSAGE,
  HOSTILE_SHOWN,
  type HostileApi,
  PLAN_ID,
  startHostileApi,
} from "../../../scripts/test/untrusted-text.js";

/** `text` with the hostile suffix as safeText shows it. */
const shown = (text: string) => `${text}${HOSTILE_SHOWN}`;

let api: HostileApi;
let home: string;
beforeAll(async () => {
  api = await startHostileApi();
  home = mkdtempSync(join(tmpdir(), "simcel-untrusted-"));
});
afterAll(async () => {
  await api?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

/** The built CLI with a throwaway HOME, no token kept between runs and the hostile API's credential. */
const simcel = (args: string[], env: Record<string, string> = {}): Promise<CliRun> =>
  runCli(args, {
    HOME: home,
    XDG_CACHE_HOME: join(home, ".cache"),
    SIMCEL_TOKEN_CACHE: "off",
    ...api.env,
    ...env,
  });

/** What every run must hold to: no dangerous code point but the newlines between lines, and no secret. */
function expectSafe(run: CliRun): void {
  expect(dangerousIn(run.stdout, ["\n"]), "a dangerous code point on stdout").toEqual([]);
  expect(dangerousIn(run.stderr, ["\n"]), "a dangerous code point on stderr").toEqual([]);
  expect(run.stdout + run.stderr).not.toContain("FAKE");
}

const lastLine = (text: string) => text.trimEnd().split("\n").at(-1) ?? "";

describe("simcel shows API text escaped", () => {
  it("plans: names, ids, flags and currencies escaped, one line per row, columns aligned on what is shown", async () => {
    const run = await simcel(["plans"]);
    expect(run.exit).toBe(0);
    expectSafe(run);
    for (const text of [
      shown("plan_x"),
      shown("Other plan "),
      shown("Lone "),
      shown("archived"),
      shown("Plan "),
      shown("US"),
      shown("Committed "),
      shown("scen_base"),
      `Forged \\\\x1b ${HOSTILE_SHOWN}`,
    ])
      expect(run.stdout).toContain(text);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(1 + 1 + 3); // header, plan_x's scenario, plan_h1's three
    const column = lines[0]!.indexOf("PLAN NAME");
    expect(lines[1]!.indexOf("Other plan")).toBe(column);
    expect(lines[2]!.indexOf("Plan ")).toBe(column);
  });

  it.each([
    ["plans", "listPlans"],
    ["pnl", "getPnlSummary"],
    ["demand", "getDemandForecast"],
    ["co2", "getSustainability"],
  ] as const)("%s --json is exactly the API's body, its strings read back unchanged", async (command, route) => {
    const run = await simcel([command, ...(command === "plans" ? [] : ["--plan", PLAN_ID]), "--json"]);
    expect(run.exit).toBe(0);
    expectSafe(run);
    // C0 as JSON escapes it; C1 and the bidi characters as \u escapes too
    for (const jsonEscape of [
      "\\u001b[2J",
      "\\u0007",
      "\\u009b",
      "\\u0085",
      "\\u007f",
      "\\u202e",
      "\\u2066",
      "\\u200f",
    ])
      expect(run.stdout).toContain(jsonEscape);
    expect(JSON.parse(run.stdout)).toEqual(HOSTILE_BODIES[route]);
  });

  it("pnl: the meta line, scenario names and ids, periods and the no-output line escaped", async () => {
    const run = await simcel(["pnl", "--plan", PLAN_ID]);
    expect(run.exit).toBe(0);
    expectSafe(run);
    const [meta] = run.stdout.split("\n");
    expect(meta).toBe(
      `P&L summary · ${shown("plan_h1")} · ${shown("US")} · FY · generated 2025-06-30 08:15 UTC (${meta!.split("(")[1]}`,
    );
    for (const text of [
      shown("Committed "),
      shown("scen_base"),
      shown("scen_px"),
      `Forged \\\\x1b ${HOSTILE_SHOWN}`,
      shown("Monthly "),
      shown("2025-01"),
      `${shown("Empty ")} (${shown("scen_empty")}): no computed output`,
    ])
      expect(run.stdout).toContain(text);
  });

  it("demand: group keys, periods, the currency in a header and an unreadable generatedAt escaped", async () => {
    const run = await simcel(["demand", "--plan", PLAN_ID]);
    expect(run.exit).toBe(0);
    expectSafe(run);
    for (const text of [
      shown("DC Lyon "),
      shown("2025-01"),
      `VALUE (${shown("US")})`,
      `generated ${shown("2025-06-30T08:15:00Z")}`,
      shown("Monthly "),
    ])
      expect(run.stdout).toContain(text);
  });

  it("co2: scenario names and group keys escaped", async () => {
    const run = await simcel(["co2", "--plan", PLAN_ID]);
    expect(run.exit).toBe(0);
    expectSafe(run);
    expect(run.stdout).toContain(shown("Committed "));
    expect(run.stdout).toContain(shown("DC Lyon "));
  });

  it("compare: the base and the compared scenarios escaped; --json keeps the exact strings", async () => {
    const run = await simcel(["compare", "--plan", PLAN_ID]);
    expect(run.exit).toBe(0);
    expectSafe(run);
    expect(run.stdout).toContain(`base: ${shown("Committed ")}, ${shown("scen_base")}`);
    expect(run.stdout).toContain(`Forged \\\\x1b ${HOSTILE_SHOWN}`);
    const json = await simcel(["compare", "--plan", PLAN_ID, "--json"]);
    expect(json.exit).toBe(0);
    expectSafe(json);
    const comparison = JSON.parse(json.stdout);
    expect(comparison.baseScenarioName).toBe(`Committed ${HOSTILE}`);
    expect(comparison.currency).toBe(`US${HOSTILE}`);
    expect(comparison.rows.map((r: { scenarioName: string }) => r.scenarioName)).toEqual([FORGED_NAME]);
  });

  it("token: the token's subject and scopes escaped; --json keeps them exactly", async () => {
    const run = await simcel(["token"]);
    expect(run.exit).toBe(0);
    expectSafe(run);
    const subject = run.stdout.split("\n").find((line) => line.startsWith("Subject"));
    expect(subject).toMatch(/^Subject +svc /);
    expect(subject?.endsWith(shown("svc "))).toBe(true);
    expect(run.stdout).toContain(`insights:read plans:read ${shown("x")}`);
    const json = await simcel(["token", "--json"]);
    expect(json.exit).toBe(0);
    expectSafe(json);
    const report = JSON.parse(json.stdout);
    expect(report.subject).toBe(`svc ${HOSTILE}`);
    expect(report.scopes).toEqual(["insights:read", "plans:read", `x${HOSTILE}`]);
  });

  it("doctor: the plan id, the token's claims, the differences from the spec and the bug report escaped", async () => {
    const run = await simcel(["doctor"]);
    expect([0, 1]).toContain(run.exit);
    expectSafe(run);
    expect(run.stdout).toContain(`Read operations on plan ${shown("plan_x")}`);
    expect(run.stdout).toContain(shown("x"));
    // a difference quotes what the API sent: JSON-quoted first (C0 as \u001b), then shown through safeText
    expect(run.stdout).toContain("\\u202e");
    expect(run.stdout).toContain("\\\\u001b[2J");
    const json = await simcel(["doctor", "--json"]);
    expectSafe(json);
    expect(JSON.parse(json.stdout).plan.id).toBe(`plan_x${HOSTILE}`);
  });

  it("report: the HTML file shows every API string escaped, charts included; stdout and stderr are safe", async () => {
    const out = join(home, "report.html");
    const run = await simcel(["report", "--plan", PLAN_ID, "--out", out]);
    expect(run.exit).toBe(0);
    expectSafe(run);
    const html = readFileSync(out, "utf8");
    expect(dangerousIn(html, ["\n"]), "a dangerous code point in the HTML").toEqual([]);
    for (const text of [
      `<h1>${shown("Plan ")}</h1>`,
      shown("Committed "),
      shown("scen_base"),
      `Forged \\\\x1b ${HOSTILE_SHOWN}`,
      shown("2025-01"),
      shown("DC Lyon "),
      shown("US"),
    ])
      expect(html).toContain(text);
    // inside the SVG too: tick labels, tooltips, <title> and <desc>
    const svg = [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0]).join("");
    for (const text of [shown("DC Lyon "), shown("2025-01"), shown("Committed "), `EBIT (${shown("US")})`])
      expect(svg).toContain(text);
  });

  it("error lines: a 404, a 400 and a refused sign-in whose message holds control and bidi characters", async () => {
    // the reason (`error`) and the message both hostile
    const body = { statusCode: 404, error: `Not Found${HOSTILE}`, message: HOSTILE_MESSAGE };
    api.failNext("getPnlSummary", { kind: "json", status: 404, body });
    const notFound = await simcel(["pnl", "--plan", PLAN_ID]);
    expect(notFound.exit).toBe(3);
    expectSafe(notFound);
    expect(lastLine(notFound.stderr)).toMatch(/^simcel pnl: not found: /);
    expect(lastLine(notFound.stderr)).toContain(`${shown("Not Found")}: ${shown("Plan not found: ")}`);

    api.failNext("getDemandForecast", { kind: "status", status: 400, message: HOSTILE_MESSAGE });
    const invalid = await simcel(["demand", "--plan", PLAN_ID]);
    expect(invalid.exit).toBe(2);
    expectSafe(invalid);
    expect(lastLine(invalid.stderr)).toContain(shown("Plan not found: "));

    api.failNext("token", { kind: "status", status: 401, message: HOSTILE_MESSAGE });
    const refused = await simcel(["plans"]);
    expect(refused.exit).toBe(4);
    expectSafe(refused);
    expect(lastLine(refused.stderr)).toContain("sign-in failed");
    expect(lastLine(refused.stderr)).toContain(shown("Plan not found: "));
  });

  it("report: a section that fails with a hostile message says so escaped, on stderr and in the page", async () => {
    api.failNext("getDemandForecast", { kind: "status", status: 404, message: HOSTILE_MESSAGE });
    const out = join(home, "partial.html");
    const run = await simcel(["report", "--plan", PLAN_ID, "--out", out, "--json"]);
    // a partial report exits with its failure's class: 3 for the 404
    expect(run.exit).toBe(3);
    expectSafe(run);
    expect(run.stderr).toContain(shown("Plan not found: "));
    expect(JSON.parse(run.stdout).failures[0].line).toContain(HOSTILE_MESSAGE);
    const html = readFileSync(out, "utf8");
    expect(dangerousIn(html, ["\n"])).toEqual([]);
    expect(html).toContain(shown("Plan not found: "));
  });

  it("SIMCEL_LOG=warn: the SDK's warnings quoting what the API sent are escaped on stderr", async () => {
    const run = await simcel(["plans", "--json"], { SIMCEL_LOG: "warn" });
    expect(run.exit).toBe(0);
    expectSafe(run);
    expect(run.stderr).toMatch(/simcel warn listPlans: the response differs from the spec/);
    expect(run.stderr).toContain("\\u202e");
  });
});
