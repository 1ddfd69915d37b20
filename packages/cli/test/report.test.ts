// `simcel report` in-process: a static SIMCEL_TOKEN and an injected fetch answering with the spec's
// own examples (or the answer a test gives), so nothing here needs a server. The HTML is read back
// with linkedom, the DOM the charts are drawn with.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scenarioColors } from "@simcel/commands/charts";
import { chooseBaseScenario } from "@simcel/insights";
import { parseHTML } from "linkedom";
import { afterAll, describe, expect, it } from "vitest";
import { listOperations, loadSpec } from "../../../scripts/spec-tools.mjs";
import { defaultReportName } from "../src/report/index.js";
import { run } from "../src/run.js";
import { sink } from "./sink.js";

const spec = loadSpec();
const operations = listOperations(spec) as Array<{
  path: string;
  responses: Record<string, { examples: Record<string, unknown> }>;
}>;
const example = (path: string, name?: string) => {
  const examples = operations.find((o) => o.path === path)?.responses["200"]?.examples ?? {};
  return structuredClone(name ? examples[name] : Object.values(examples)[0]) as Record<string, unknown>;
};

const TOKEN = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJkZW1vIn0.c2ln";
const NOW = Date.parse("2025-07-01T08:15:00Z");
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "simcel-report-test-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

type Answer = { status: number; body: unknown } | undefined;

/** Runs `simcel report …`; `answer` may replace the response of a path (without /api). */
async function report(argv: string[], answer: (path: string, url: URL) => Answer = () => undefined) {
  const requests: URL[] = [];
  const stdout = sink();
  const stderr = sink();
  const fetch = async (request: Request) => {
    const url = new URL(request.url);
    requests.push(url);
    const path = url.pathname.replace(/^\/api/, "");
    const custom = answer(path, url);
    return new Response(JSON.stringify(custom ? custom.body : example(path)), {
      status: custom?.status ?? 200,
      headers: { "content-type": "application/json" },
    });
  };
  const env = { SIMCEL_TOKEN: TOKEN, SIMCEL_BASE_URL: "https://api.example.test/api" };
  const code = await run(["report", ...argv], { env, stdout, stderr, fetch, now: () => NOW });
  return { code, stdout: stdout.text, stderr: stderr.text, requests, paths: requests.map((u) => u.pathname) };
}

/** Runs the report into a fresh folder and reads the one file written, if any. */
async function reportToFile(argv: string[], answer?: (path: string, url: URL) => Answer) {
  const dir = tempDir();
  const r = await report([...argv, "--out", dir], answer);
  const files = readdirSync(dir);
  const html = files.length === 1 ? readFileSync(join(dir, files[0]!), "utf8") : undefined;
  const document = html ? parseHTML(html).document : undefined;
  return { ...r, dir, files, html, document };
}

const error = (status: number, error: string, message: string) => ({
  status,
  body: { statusCode: status, error, message },
});

/** The text of the first match, white space collapsed as a browser shows it. */
const text = (document: Document | undefined, selector: string) =>
  document?.querySelector(selector)?.textContent?.replace(/\s+/g, " ").trim();

describe("simcel report", () => {
  it("writes one file named simcel-<plan>-<date>.html from the plan, the FY P&L, the monthly demand and the CO2", async () => {
    const r = await reportToFile(["--plan", "plan_9xKz2"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.files).toEqual(["simcel-plan_9xKz2-2025-07-01.html"]);
    expect(r.stderr).toMatch(
      new RegExp(
        `^simcel report: wrote ${join(r.dir, r.files[0]!).replace(/[.]/g, "\\.")} \\(\\d+\\.\\d KiB, 7 charts; data \\d+ ms, render \\d+ ms\\)\\n$`,
      ),
    );
    expect(r.stdout).toBe("");
    expect(r.paths).toEqual([
      "/api/insights/v1/plans",
      "/api/insights/v1/pnl-summary",
      "/api/insights/v1/demand-forecast",
      "/api/insights/v1/sustainability",
    ]);
    const [, pnl, demand, co2] = r.requests;
    expect(pnl!.searchParams.get("interval")).toBe("FY");
    expect(demand!.searchParams.get("interval")).toBe("M");
    expect(co2!.searchParams.get("interval")).toBe("FY");
    const d = r.document!;
    expect(text(d, "h1")).toBe("FY2025 Annual Plan");
    // Header: freshness with its age, scenarios with flags, the base marked, the scenario left out said so.
    expect(d.querySelector(".meta")?.textContent).toContain("2025-06-30 08:15 UTC (24 h ago)");
    expect(d.querySelector('.chip[data-scenario="scen_abc"]')?.textContent).toMatch(
      /Committed.*base.*committed.*primary/,
    );
    expect(d.querySelector('.chip[data-scenario="scen_px3"]')?.textContent).toContain("what-if");
    expect(d.querySelector('.chip[data-scenario="scen_fcb"]')?.textContent).toContain("not in this report");
    // Two bridges (Committed → each other scenario), the demand's three charts, CO2's two.
    expect([...d.querySelectorAll("svg[data-chart]")].map((s) => s.getAttribute("data-chart"))).toEqual([
      "bridge",
      "bridge",
      "demand-volume",
      "fill-rate",
      "forecast-accuracy",
      "co2-summary",
      "co2-breakdown",
    ]);
    expect(text(d, '[data-figure="bridge"][data-scenario="scen_px3"] figcaption')).toContain(
      "EBIT 3,300,000 → 3,355,000 USD (+55,000, +1.7 %)",
    );
  });

  it("shows percentage KPIs as percentages with deltas in points and no delta %", async () => {
    const { document: d } = await reportToFile(["--plan", "plan_9xKz2"]);
    const cell = (kpi: string, col: string) =>
      text(d, `td[data-kpi="${kpi}"][data-scenario="scen_px3"][data-col="${col}"]`);
    expect(cell("ebitPercent", "value")).toBe("30.5 %");
    expect(cell("ebitPercent", "delta")).toBe("+0.5 pp");
    expect(cell("ebitPercent", "ratio")).toBe("—");
    expect(cell("cogsPercent", "delta")).toBe("-1.0 pp");
    expect(cell("ebit", "delta")).toBe("+55,000");
    expect(cell("ebit", "ratio")).toBe("+1.7 %");
    expect(text(d, 'td[data-kpi="ebitPercent"][data-scenario="scen_abc"]')).toBe("30.0 %");
  });

  it("--scenarios puts the base first, as simcel compare does, and sends the same filters to every endpoint", async () => {
    const r = await reportToFile([
      "--plan",
      "plan_9xKz2",
      "--scenarios",
      "scen_px3, scen_act",
      "--from",
      "2025-01-01",
      "--to",
      "2025-06-30",
      "--currency",
      "EUR",
      "--group-by",
      "region",
    ]);
    expect(r.code, r.stderr).toBe(0);
    for (const url of r.requests.slice(1)) {
      expect(url.searchParams.get("scenarioIds")).toBe("scen_abc,scen_px3,scen_act");
      expect(url.searchParams.get("dateFrom")).toBe("2025-01-01");
      expect(url.searchParams.get("dateTo")).toBe("2025-06-30");
    }
    expect(r.requests[1]!.searchParams.get("currency")).toBe("EUR");
    expect(r.requests[3]!.searchParams.get("currency")).toBeNull();
    expect(r.requests[3]!.searchParams.get("groupBy")).toBe("region");
    expect(r.document!.querySelector(".meta")?.textContent).toContain("2025-01-01 → 2025-06-30");
  });

  it("--base picks the bridge's start; the default base follows compare: committed, then primary, then the first", async () => {
    const r = await reportToFile(["--plan", "plan_9xKz2", "--base", "scen_act"]);
    expect(r.code, r.stderr).toBe(0);
    const bridges = [...r.document!.querySelectorAll('[data-figure="bridge"]')].map((f) =>
      f.getAttribute("data-scenario"),
    );
    expect(bridges).toEqual(["scen_abc", "scen_px3"]);
    const plan = (flags: string[][]) => ({
      id: "p",
      name: "P",
      currency: "USD",
      scenarios: flags.map((f, i) => ({ id: `s${i}`, name: `S${i}`, flags: f as never })),
    });
    expect(chooseBaseScenario(plan([["actual"], ["primary"], ["committed"]]))?.id).toBe("s2");
    expect(chooseBaseScenario(plan([["actual"], ["primary"], []]))?.id).toBe("s1");
    expect(chooseBaseScenario(plan([["actual"], []]))?.id).toBe("s0");
    expect(chooseBaseScenario(plan([]))?.id).toBeUndefined();
  });

  it("--out - writes the HTML to stdout and nothing else", async () => {
    const r = await report(["--plan", "plan_9xKz2", "--out", "-"]);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith("<!doctype html>")).toBe(true);
    expect(r.stdout.trimEnd().endsWith("</html>")).toBe(true);
    expect(r.stderr).toMatch(/wrote stdout/);
  });

  it("--json prints what was written, section by section", async () => {
    const dir = tempDir();
    const r = await report(["--plan", "plan_9xKz2", "--out", join(dir, "r.html"), "--json"]);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      path: join(dir, "r.html"),
      charts: 7,
      sections: { pnl: "ok", demand: "ok", co2: "ok" },
      failures: [],
    });
    expect(out.bytes).toBe(readFileSync(join(dir, "r.html")).length);
  });

  it("is self-contained: no script, no external reference, a CSP that forbids any load", async () => {
    const { html, document: d } = await reportToFile(["--plan", "plan_9xKz2"]);
    expect(html).not.toMatch(/<script|<link|<iframe|<object|<embed|<img|@import|url\(/i);
    expect(html).not.toMatch(/\s(src|href|xlink:href|action)=/i);
    expect(html).not.toMatch(/https?:\/\/(?!api\.example\.test)(?!www\.w3\.org\/2000\/svg")/);
    expect(d!.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute("content")).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
    );
    // Every chart is named for screen readers by its <title> and <desc>.
    for (const svg of d!.querySelectorAll("svg[data-chart]")) {
      expect(svg.getAttribute("role")).toBe("img");
      const [title, desc] = svg.getAttribute("aria-labelledby")!.split(" ");
      expect(d!.getElementById(title!)?.tagName.toLowerCase()).toBe("title");
      expect(d!.getElementById(desc!)?.textContent?.length).toBeGreaterThan(20);
    }
  });

  it("escapes what the API says: a scenario name cannot inject markup", async () => {
    const evil = `<img src=x onerror=alert(1)>"'&`;
    const rename = (body: unknown) => {
      for (const s of (body as { scenarios: Array<{ scenarioName: string; scenarioColor?: string }> }).scenarios) {
        s.scenarioName = evil;
        s.scenarioColor = `red;background:url(https://evil.example)`;
      }
      return body;
    };
    const { code, html } = await reportToFile(["--plan", "plan_9xKz2"], (path) =>
      path === "/insights/v1/plans" ? undefined : { status: 200, body: rename(example(path)) },
    );
    expect(code).toBe(0);
    expect(html).not.toContain("<img");
    expect(html).not.toContain("evil.example");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("a plan without scenarios: a report that says so, after the plan request only", async () => {
    const plans = { plans: [{ id: "plan_empty", name: "Empty plan", currency: "EUR", scenarios: [] }] };
    const r = await reportToFile(["--plan", "plan_empty"], (path) =>
      path === "/insights/v1/plans" ? { status: 200, body: plans } : undefined,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.paths).toEqual(["/api/insights/v1/plans"]);
    expect(r.document!.querySelectorAll("svg[data-chart]")).toHaveLength(0);
    expect(text(r.document, "#bridge .note")).toBe("Nothing to show: plan plan_empty has no scenarios.");
  });

  it("a single scenario: no bridge (it needs two), the P&L of that one scenario, one line per demand chart", async () => {
    const only = (body: Record<string, unknown>) => ({
      ...body,
      scenarios: (body.scenarios as Array<{ scenarioId: string }>).filter((s) => s.scenarioId === "scen_abc"),
    });
    const r = await reportToFile(["--plan", "plan_9xKz2", "--scenarios", "scen_abc"], (path) =>
      path === "/insights/v1/plans" ? undefined : { status: 200, body: only(example(path)) },
    );
    expect(r.code, r.stderr).toBe(0);
    const d = r.document!;
    expect(text(d, "#bridge .note")).toMatch(/Only the base scenario, Committed, has figures/);
    expect(d.querySelectorAll('svg[data-chart="bridge"]')).toHaveLength(0);
    expect(text(d, 'td[data-kpi="ebit"][data-scenario="scen_abc"]')).toBe("3,300,000");
    expect(d.querySelectorAll('svg[data-chart="demand-volume"] g[aria-label="line"] path')).toHaveLength(1);
    // The only scenario is not the actual one: accuracy is explained, not drawn.
    expect(d.querySelector("#demand")?.textContent).toContain("no scenario of this report is flagged actual");
  });

  it("a long CO2 breakdown: the chart keeps the 12 largest groups (so it prints whole), the table all of them", async () => {
    const co2 = example("/insights/v1/sustainability") as { scenarios: Array<{ breakdown: unknown[] }> };
    co2.scenarios[0]!.breakdown = Array.from({ length: 30 }, (_, i) => ({ groupKey: `DC ${i}`, totalCO2: i * 10 }));
    const r = await reportToFile(["--plan", "plan_9xKz2"], (path) =>
      path === "/insights/v1/sustainability" ? { status: 200, body: co2 } : undefined,
    );
    expect(r.code, r.stderr).toBe(0);
    const labels = [
      ...r.document!.querySelectorAll('svg[data-chart="co2-breakdown"] g[aria-label="fy-axis tick label"] text'),
    ].map((t) => t.textContent);
    expect(labels).toEqual(Array.from({ length: 12 }, (_, i) => `DC ${29 - i}`));
    expect(r.document!.querySelectorAll('table[data-table="co2-breakdown"] tbody tr')).toHaveLength(30);
    expect(text(r.document, '[data-figure="co2-breakdown"] figcaption')).toContain("the 12 largest of 30");
  });

  it("a base the P&L does not return: the bridge section says so, the rest is drawn, exit 1", async () => {
    const withoutBase = (body: Record<string, unknown>) => ({
      ...body,
      scenarios: (body.scenarios as Array<{ scenarioId: string }>).filter((s) => s.scenarioId !== "scen_abc"),
    });
    const r = await reportToFile(["--plan", "plan_9xKz2"], (path) =>
      path === "/insights/v1/pnl-summary" ? { status: 200, body: withoutBase(example(path)) } : undefined,
    );
    expect(r.code).toBe(1);
    expect(text(r.document, '#bridge [data-status="failed"]')).toMatch(
      /--base must be one of the summary's scenarios: scen_px3, scen_act/,
    );
    expect(text(r.document, "#pnl .note")).toBe("The P&L could not be read: see the EBIT bridge above.");
    expect(r.document!.querySelectorAll('svg[data-chart="demand-volume"]')).toHaveLength(1);
  });

  it("CO2 not there yet (404): one line in its section, the rest of the report, exit 0", async () => {
    const r = await reportToFile(["--plan", "plan_9xKz2"], (path) =>
      path === "/insights/v1/sustainability"
        ? error(404, "Not Found", "Cannot GET /insights/v1/sustainability")
        : undefined,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(text(r.document, '#co2 [data-status="unavailable"]')).toBe(
      "CO2 is not available yet: SIMCEL documents the sustainability endpoint as coming soon (the API answered 404).",
    );
    expect(r.document!.querySelectorAll("svg[data-chart]")).toHaveLength(5);
    expect(r.stderr).toContain("simcel report: CO2: not available yet (the API answered 404");
  });

  it("a section that fails is stated in the section; the partial report is still written, exit 5 as its 403", async () => {
    const r = await reportToFile(["--plan", "plan_9xKz2"], (path) =>
      path === "/insights/v1/demand-forecast"
        ? error(403, "Forbidden", "Insufficient scope: insights:read required")
        : undefined,
    );
    expect(r.code).toBe(5);
    expect(r.files).toHaveLength(1);
    const failure = text(r.document, '#demand [data-status="failed"]');
    expect(failure).toContain("This section could not be built.");
    expect(failure).toContain("permission denied");
    expect(failure).toContain("insights:read");
    expect(r.document!.querySelectorAll('svg[data-chart="bridge"]')).toHaveLength(2);
    expect(r.stderr).toMatch(/^simcel report: Monthly demand: permission denied: /m);
    expect(r.stderr).toMatch(/wrote a PARTIAL report /);
  });

  it("when no section can be read, writes nothing and exits 5 (the 403) with the typed error's line", async () => {
    const r = await reportToFile(["--plan", "plan_9xKz2"], (path) =>
      path === "/insights/v1/plans" ? undefined : error(403, "Forbidden", "Insufficient scope: insights:read required"),
    );
    expect(r.code).toBe(5);
    expect(r.files).toEqual([]);
    expect(r.stderr).toMatch(/^simcel report: permission denied: the credential lacks the scope insights:read/);
  });

  it("an unknown plan: exit 3, the not-found line, no file", async () => {
    const r = await reportToFile(["--plan", "plan_nope"]);
    expect(r.code).toBe(3);
    expect(r.files).toEqual([]);
    expect(r.stderr).toMatch(/^simcel report: not found: .*plan_nope.*simcel plans\n$/);
  });

  it("a --base that is not a scenario of the plan: exit 2 naming the plan's scenarios, no file", async () => {
    const r = await reportToFile(["--plan", "plan_9xKz2", "--base", "scen_zzz"]);
    expect(r.code).toBe(2);
    expect(r.files).toEqual([]);
    expect(r.stderr).toBe(
      "simcel report: --base scen_zzz is not a scenario of plan plan_9xKz2; its scenarios: scen_abc, scen_px3, scen_act, scen_fcb\n",
    );
  });

  it.each([
    [[], /^simcel report: --plan ID is required/],
    [["--plan", "plan_9xKz2", "--from", "2025-02-30"], /^simcel report: --from must be a calendar date/],
    [
      ["--plan", "plan_9xKz2", "--from", "2025-03-01", "--to", "2025-01-01"],
      /^simcel report: --from must not be after --to/,
    ],
    [["--plan", "plan_9xKz2", "--currency", "usd"], /^simcel report: --currency must match/],
    [
      ["--plan", "plan_9xKz2", "--group-by", "sku"],
      /^simcel report: --group-by must be one of: dc, region, transport_mode/,
    ],
    [["--plan", "plan_9xKz2", "--scenarios", "a,b,c,d"], /^simcel report: --scenarios accepts at most 3 ids/],
    [["--plan", "plan_9xKz2", "--scenarios", "a,b,c", "--base", "d"], /make 4 scenarios, the API takes at most 3/],
    [
      ["--plan", "plan_9xKz2", "--out", "/nonexistent-dir-simcel/r.html"],
      /the folder \/nonexistent-dir-simcel does not exist/,
    ],
    [["--plan", "plan_9xKz2", "--out", "-", "--json"], /--json cannot: choose one/],
    [["--plan", "plan_9xKz2", "--interval", "M"], /^simcel report: unknown flag --interval/],
  ])("usage error %j: exit 2 before any request", async (argv, line) => {
    const r = await report(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(line);
    expect(r.requests).toEqual([]);
  });
});

describe("a plan id outside the alphabet our spec guessed", () => {
  it("is not refused: the API is asked, and its answer decides (here: no such plan, exit 3, no file)", async () => {
    const r = await reportToFile(["--plan", "../bad id"]);
    expect(r.code).toBe(3);
    expect(r.paths).toEqual(["/api/insights/v1/plans"]);
    expect(r.stderr).toMatch(/^simcel report: not found: .*\.\.\/bad id/);
    expect(r.files).toEqual([]);
  });

  it("never names another folder in the default file name", () => {
    expect(defaultReportName("../../etc/x y", Date.parse("2025-07-01T00:00:00Z"))).toBe(
      "simcel-______etc_x_y-2025-07-01.html",
    );
  });
});

describe("scenario colours", () => {
  it("keeps valid API colours, replaces missing, invalid or repeated ones from the colour-blind-safe palette", () => {
    const colors = scenarioColors([
      { id: "a", color: "#1f77b4" },
      { id: "b", color: "red" },
      { id: "c", color: "#1F77B4" },
      { id: "d" },
    ]);
    expect([...colors.values()]).toEqual(["#1F77B4", "#0072B2", "#E69F00", "#009E73"]);
  });
});

describe("default file name", () => {
  it("does not exist before the run and is dated by the clock in UTC", async () => {
    const dir = tempDir();
    expect(existsSync(join(dir, "simcel-plan_9xKz2-2025-07-01.html"))).toBe(false);
    await report(["--plan", "plan_9xKz2", "--out", dir]);
    expect(existsSync(join(dir, "simcel-plan_9xKz2-2025-07-01.html"))).toBe(true);
    expect(readdirSync(dir)).toHaveLength(1);
  });
});
