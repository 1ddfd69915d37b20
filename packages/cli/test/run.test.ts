// The CLI in-process: a static SIMCEL_TOKEN (no token call) and an injected fetch that answers
// with the spec's own examples, so these tests need no server and no network.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { listOperations, loadSpec } from "../../../scripts/spec-tools.mjs";
import { run } from "../src/run.js";
import { sink } from "./sink.js";

const spec = loadSpec();
const operations = listOperations(spec) as Array<{
  path: string;
  responses: Record<string, { examples: Record<string, unknown> }>;
}>;
const example = (path: string, status = "200", name?: string) => {
  const examples = operations.find((o) => o.path === path)?.responses[status]?.examples ?? {};
  return name ? examples[name] : Object.values(examples)[0];
};

// A JWT whose payload is {"sub":"demo","scope":"insights:read plans:read"} (the spec's example token).
const TOKEN =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJkZW1vIiwic2NvcGUiOiJpbnNpZ2h0czpyZWFkIHBsYW5zOnJlYWQifQ.ZGVtby1zaWduYXR1cmU";
const NOW = Date.parse("2025-07-01T08:15:00Z");

/** Runs the CLI; `answer` may override the response per path (status + body). */
async function cli(
  argv: string[],
  options: {
    env?: Record<string, string | undefined>;
    answer?: (url: URL) => { status: number; body: unknown } | undefined;
    tty?: boolean;
    stderrTty?: boolean;
    /** Delays each response by this many ms (on whatever clock is installed). */
    delayMs?: number;
  } = {},
) {
  const requests: Request[] = [];
  const stdout = sink(options.tty);
  const stderr = sink(options.stderrTty);
  const fetch = async (request: Request) => {
    requests.push(request);
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    const url = new URL(request.url);
    const path = url.pathname.replace(/^\/api/, "");
    const custom = options.answer?.(url);
    const status = custom?.status ?? 200;
    const body = custom ? custom.body : example(path);
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  };
  // the CLI's cache (tokens, the plan ids completions offer) goes to a folder of the test's, never the machine's home
  const env = {
    XDG_CACHE_HOME: CACHE_HOME,
    ...(options.env ?? { SIMCEL_TOKEN: TOKEN, SIMCEL_BASE_URL: "https://api.example.test/api" }),
  };
  const code = await run(argv, { env, stdout, stderr, fetch, now: () => NOW });
  return { code, stdout: stdout.text, stderr: stderr.text, requests };
}

const CACHE_HOME = mkdtempSync(join(tmpdir(), "simcel-run-test-"));

describe("simcel (in-process)", () => {
  it("plans: one table row per scenario, the bearer token sent to the configured base URL", async () => {
    const r = await cli(["plans"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout.split("\n")[0]).toMatch(/^PLAN\s+PLAN NAME\s+CURRENCY\s+SCENARIO\s+SCENARIO NAME\s+FLAGS$/);
    expect(r.stdout).toMatch(/plan_9xKz2\s+FY2025 Annual Plan\s+USD\s+scen_abc\s+Committed\s+committed, primary/);
    expect(r.stdout).toMatch(/\n\s+scen_px3\s+Price increase \+3%\s+what-if\n/);
    expect(r.requests[0]?.url).toBe("https://api.example.test/api/insights/v1/plans");
    expect(r.requests[0]?.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
  });

  it("--json prints the API body itself and nothing else on stdout", async () => {
    const r = await cli(["plans", "--json"]);
    expect(JSON.parse(r.stdout)).toEqual(example("/insights/v1/plans"));
  });

  it("pnl: passes each flag as its query parameter and shows thousands, percents and the data age", async () => {
    const r = await cli([
      "pnl",
      "--plan",
      "plan_9xKz2",
      "--scenarios",
      "scen_abc, scen_px3",
      "--interval",
      "FY",
      "--from",
      "2025-01-01",
      "--to",
      "2025-12-31",
      "--currency",
      "EUR",
    ]);
    expect(r.code).toBe(0);
    const query = Object.fromEntries(new URL(r.requests[0]!.url).searchParams);
    expect(query).toEqual({
      planId: "plan_9xKz2",
      scenarioIds: "scen_abc,scen_px3",
      interval: "FY",
      dateFrom: "2025-01-01",
      dateTo: "2025-12-31",
      currency: "EUR",
    });
    expect(r.stdout).toContain("generated 2025-06-30 08:15 UTC (24 h ago)");
    expect(r.stdout).toMatch(/Gross FIE sales\s+12,500,000\s+12,600,000/);
    expect(r.stdout).toMatch(/EBIT %\s+30\.0 %\s+30\.5 %/);
  });

  it("pnl with monthly data shows one row per scenario and period, as the API gives them", async () => {
    const monthly = example("/insights/v1/pnl-summary", "200", "monthly");
    const r = await cli(["pnl", "--plan", "plan_9xKz2", "--interval", "M"], {
      answer: () => ({ status: 200, body: monthly }),
    });
    expect(r.stdout).toMatch(/Committed\s+2025-01\s+1,000,000\s+120,000\s+880,000/);
    expect(r.stdout).toMatch(/Committed\s+2025-02\s+1,100,000/);
  });

  it("demand: groups by the chosen dimension and shows a null forecast accuracy as a dash", async () => {
    const byRegion = example("/insights/v1/demand-forecast", "200", "byRegion");
    const r = await cli(["demand", "--plan", "plan_9xKz2", "--group-by", "region", "--interval", "W"], {
      answer: () => ({ status: 200, body: byRegion }),
    });
    expect(new URL(r.requests[0]!.url).searchParams.get("groupBy")).toBe("region");
    expect(new URL(r.requests[0]!.url).searchParams.get("interval")).toBe("W");
    expect(r.stdout).toMatch(/SCENARIO\s+PERIOD\s+GROUP\s+VOLUME\s+VALUE \(USD\)\s+FILL RATE\s+FORECAST ACCURACY/);
    expect(r.stdout).toMatch(/Committed\s+2025-01\s+North\s+101,000\s+555,500\s+97\.5 %\s+—/);
  });

  it("co2: warns on stderr that the endpoint is coming soon, keeps stdout pure JSON with --json", async () => {
    const r = await cli(["co2", "--plan", "plan_9xKz2", "--json"]);
    expect(r.stderr).toContain("coming soon");
    expect(JSON.parse(r.stdout)).toEqual(example("/insights/v1/sustainability"));
    const table = await cli(["co2", "--plan", "plan_9xKz2", "--group-by", "transport_mode"]);
    expect(table.stdout).toMatch(/SCENARIO\s+TRANSPORT_MODE\s+INBOUND/);
  });

  it("compare: without --base looks the plan up and compares against its committed scenario", async () => {
    const r = await cli(["compare", "--plan", "plan_9xKz2", "--scenarios", "scen_px3"]);
    expect(r.code).toBe(0);
    expect(r.requests.map((q) => new URL(q.url).pathname)).toEqual([
      "/api/insights/v1/plans",
      "/api/insights/v1/pnl-summary",
    ]);
    const query = new URL(r.requests[1]!.url).searchParams;
    expect(query.get("scenarioIds")).toBe("scen_abc,scen_px3");
    expect(query.get("interval")).toBe("FY");
    expect(r.stdout).toContain("base: Committed, scen_abc");
    expect(r.stdout).toMatch(/EBIT\s+3,300,000\s+3,355,000\s+\+55,000\s+\+1\.7 %/);
    expect(r.stdout).toMatch(/EBIT %\s+30\.0 %\s+30\.5 %\s+\+0\.5 pp\s+—/);
  });

  it("compare --base skips the plan lookup; --json prints the comparison", async () => {
    const r = await cli(["compare", "--plan", "plan_9xKz2", "--base", "scen_px3", "--json"]);
    expect(r.requests).toHaveLength(1);
    const out = JSON.parse(r.stdout);
    expect(out.baseScenarioId).toBe("scen_px3");
    expect(out.rows[0].scenarioId).toBe("scen_abc");
  });

  it("compare: --scenarios that leave no room for the base is a usage error before any P&L request", async () => {
    const r = await cli(["compare", "--plan", "plan_9xKz2", "--scenarios", "scen_act,scen_fcb,scen_px3"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "simcel compare: --scenarios and the base scen_abc make 4 scenarios, the API takes at most 3: name at most 2 besides the base\n",
    );
    expect(r.requests.map((q) => new URL(q.url).pathname)).toEqual(["/api/insights/v1/plans"]);
  });

  it("compare with a --base missing from the summary is a usage error naming --base", async () => {
    const r = await cli(["compare", "--plan", "plan_9xKz2", "--base", "scen_zzz"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^simcel compare: --base must be one of the summary's scenarios: scen_abc, scen_px3/);
  });

  it("token: kind, expiry and scopes from the JWT, never the token itself without --show-token", async () => {
    const r = await cli(["token"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Credential\s+static token \(SIMCEL_TOKEN\)/);
    expect(r.stdout).toMatch(/Scopes\s+insights:read plans:read/);
    expect(r.stdout).toMatch(/Token\s+Bearer, expiry unknown\n/);
    expect(r.stdout).not.toContain(TOKEN);
    const json = JSON.parse((await cli(["token", "--json"])).stdout);
    expect(json).toMatchObject({ kind: "static", scopes: ["insights:read", "plans:read"], subject: "demo" });
    expect(json.expiresAt).toBeNull();
    expect(json).not.toHaveProperty("token");
    const shown = await cli(["token", "--show-token", "--json"]);
    expect(JSON.parse(shown.stdout).token).toBe(TOKEN);
  });

  it("token: a static JWT's exp claim is shown as its expiry", async () => {
    const payload = Buffer.from(JSON.stringify({ exp: NOW / 1000 + 7200 })).toString("base64url");
    const r = await cli(["token"], { env: { SIMCEL_TOKEN: `eyJhbGciOiJub25lIn0.${payload}.c2ln` } });
    expect(r.stdout).toMatch(/Token\s+Bearer, expires 2025-07-01 10:15 UTC \(in 2 h\)/);
    expect(r.stdout).toMatch(/Scopes\s+unknown \(the token carries no scope claim\)/);
  });

  it("shows a spinner on a TTY stderr while a call takes over 300 ms, and erases it before the table", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "setInterval", "clearTimeout", "clearInterval"] });
    try {
      const pending = cli(["plans"], { stderrTty: true, delayMs: 1000 });
      await vi.advanceTimersByTimeAsync(1000);
      const r = await pending;
      expect(r.stderr.startsWith("\r⠋ Loading plans…\r⠙ Loading plans…")).toBe(true);
      expect(r.stderr.endsWith("Loading plans…\r\x1b[K")).toBe(true);
      expect(r.stdout).toMatch(/^PLAN/);
      const fast = cli(["plans"], { stderrTty: true, delayMs: 100 });
      await vi.advanceTimersByTimeAsync(100);
      expect((await fast).stderr).toBe("");
    } finally {
      vi.useRealTimers();
    }
  });

  it("a bad --base-url is a usage error that names --base-url", async () => {
    const r = await cli(["plans", "--base-url", "notaurl"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^simcel plans: --base-url must be an absolute URL/);
    expect(r.requests).toHaveLength(0);
  });

  it("a plain-http base URL off loopback is refused before any credential is sent: exit 2", async () => {
    const r = await cli(["plans", "--base-url", "http://api.example.test"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "simcel plans: refusing to send credentials to http://api.example.test: use an https base URL (plain http only to loopback such as 127.0.0.1)\n",
    );
    expect(r.requests.every((q) => !q.headers.has("authorization"))).toBe(true);
  });

  it("--base-url overrides SIMCEL_BASE_URL", async () => {
    const r = await cli(["plans", "--base-url", "https://other.example.test"]);
    expect(r.requests[0]?.url).toBe("https://other.example.test/insights/v1/plans");
  });

  it("simcel pnl --help --bogus shows pnl's help and exits 0; help lists the environment once, a command only what it reads", async () => {
    const r = await cli(["pnl", "--help", "--bogus"]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toMatch(/^simcel pnl — /);
    expect(r.stdout).not.toContain("Environment:");
    expect(r.stdout).toMatch(/^Reads: SIMCEL_API_KEY, .*SIMCEL_BASE_URL.*\(see simcel --help\)$/m);
    const global = await cli(["--help"]);
    expect(global.stdout.match(/Environment:/g)).toHaveLength(1);
    expect(global.stdout).toMatch(/^ +75 +temporary: /m);
    expect((await cli(["-V", "--help"])).stdout).toMatch(/^simcel — /);
  });

  it("colours headers on a TTY only, and never with NO_COLOR", async () => {
    expect((await cli(["plans"], { tty: true })).stdout).toContain("\x1b[1mPLAN");
    const noColor = await cli(["plans"], { tty: true, env: { SIMCEL_TOKEN: TOKEN, NO_COLOR: "1" } });
    expect(noColor.stdout).not.toContain("\x1b[");
  });
});

describe("simcel errors and exit codes (in-process)", () => {
  it("missing credentials: exit 4 (authentication), names the variables to set, no request", async () => {
    const r = await cli(["plans"], { env: {} });
    expect(r.code).toBe(4);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      "simcel plans: no credential in the environment: set SIMCEL_API_KEY, or SIMCEL_CLIENT_ID and SIMCEL_CLIENT_SECRET, or SIMCEL_TOKEN\n",
    );
    expect(r.requests).toHaveLength(0);
  });

  it("a flag mistake is reported before missing credentials, so one run tells what to fix first", async () => {
    const r = await cli(["pnl", "--plan", "plan_9xKz2", "--scenarios", "a,b,c,d"], { env: {} });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^simcel pnl: --scenarios accepts at most 3 ids/);
    const noPlan = await cli(["demand"], { env: {} });
    expect(noPlan.stderr).toBe("simcel demand: --plan ID is required; list plans with: simcel plans\n");
    const badUrl = await cli(["plans", "--base-url", "ftp://example.test"], { env: {} });
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toBe("simcel plans: --base-url must be an http(s) URL such as https://app.simcel.io/api\n");
    expect([...r.requests, ...noPlan.requests, ...badUrl.requests]).toHaveLength(0);
  });

  it("4 scenarios: exit 2 before any request, naming --scenarios", async () => {
    const r = await cli(["pnl", "--plan", "plan_9xKz2", "--scenarios", "a,b,c,d"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^simcel pnl: --scenarios accepts at most 3 ids .*; see simcel pnl --help\n$/);
    expect(r.requests).toHaveLength(0);
  });

  it("--from after --to, a bad date or interval: exit 2 naming the flags", async () => {
    const dates = await cli(["demand", "--plan", "p", "--from", "2025-03-01", "--to", "2025-01-31"]);
    expect(dates.code).toBe(2);
    expect(dates.stderr).toMatch(/^simcel demand: --from must not be after --to/);
    const bad = await cli(["pnl", "--plan", "p", "--to", "2025-02-30"]);
    expect(bad.stderr).toMatch(/^simcel pnl: --to must be a calendar date YYYY-MM-DD/);
    const interval = await cli(["pnl", "--plan", "p", "--interval", "W"]);
    expect(interval.stderr).toMatch(/^simcel pnl: --interval must be one of: M, FY/);
    expect([bad.code, interval.code]).toEqual([2, 2]);
  });

  it("a data command without --plan is a usage error pointing at simcel plans", async () => {
    const r = await cli(["demand"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("simcel demand: --plan ID is required; list plans with: simcel plans\n");
  });

  it("403: exit 5 (permission) and the line names the missing scope", async () => {
    const r = await cli(["pnl", "--plan", "plan_9xKz2"], {
      answer: () => ({ status: 403, body: example("/insights/v1/pnl-summary", "403") }),
    });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/^simcel pnl: permission denied: the credential lacks the scope insights:read;/);
  });

  it("404: exit 3 (not found) with the server's message and where to look", async () => {
    const r = await cli(["pnl", "--plan", "plan_xxx"], {
      answer: () => ({ status: 404, body: example("/insights/v1/pnl-summary", "404") }),
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^simcel pnl: not found: .*Plan plan_xxx not found.*; list the plans/);
  });

  it("compare on a plan the token cannot see: exit 3, not found", async () => {
    const r = await cli(["compare", "--plan", "plan_nope"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^simcel compare: not found: .*plan_nope/);
  });

  it("a server-side 422 is a usage error (exit 2)", async () => {
    const r = await cli(["pnl", "--plan", "plan_9xKz2"], {
      answer: () => ({ status: 422, body: example("/insights/v1/pnl-summary", "422") }),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "dateFrom must be before dateTo".replace("dateFrom", "--from").replace("dateTo", "--to"),
    );
  });

  it("unknown command or flag: exit 2 with a hint", async () => {
    const command = await cli(["plan"]);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command "plan" (did you mean "plans"?)');
    const flag = await cli(["plans", "--jsn"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe("simcel plans: unknown flag --jsn (did you mean --json?); see simcel plans --help\n");
  });

  it("--help and --version work everywhere, exit 0, and need no credentials", async () => {
    const help = await cli(["--help"], { env: {} });
    expect(help.code).toBe(0);
    for (const name of ["plans", "pnl", "demand", "co2", "compare", "token"])
      expect(help.stdout).toContain(`  ${name}`);
    const pnlHelp = await cli(["pnl", "--help"], { env: {} });
    expect(pnlHelp.stdout).toContain("Usage: simcel pnl --plan ID");
    expect(pnlHelp.stdout).toContain("--interval FY|M");
    const version = await cli(["demand", "--version"], { env: {} });
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
  });

  it("bare simcel prints help on stderr and exits 2", async () => {
    const r = await cli([], { env: {} });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Usage: simcel <command>");
  });
});

describe("hardening: what the CLI prints", () => {
  const OPAQUE = "tok_FAKE_cli_opaque_0123456789";
  const env = { SIMCEL_TOKEN: OPAQUE, SIMCEL_BASE_URL: "https://api.example.test/api" };

  it("a token the API echoes in its error never reaches stderr, in any encoding", async () => {
    for (const form of [OPAQUE, encodeURIComponent(`x ${OPAQUE}`), btoa(`id:${OPAQUE}`)]) {
      const r = await cli(["plans"], {
        env,
        answer: () => ({
          status: 401,
          body: { statusCode: 401, error: "Unauthorized", message: `token ${form} is not valid` },
        }),
      });
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/^simcel plans: the API rejected the token: 401 Unauthorized: token .*\[redacted\]/);
      expect(r.stderr).not.toContain("FAKE");
    }
  });

  it("a 200 the spec does not allow is exit 1 naming the field, never {} with exit 0", async () => {
    for (const argv of [["plans"], ["plans", "--json"]]) {
      const r = await cli(argv, { answer: () => ({ status: 200, body: {} }) });
      expect(r.code).toBe(1);
      // with --json, only the error object: never the invalid body
      if (argv.includes("--json")) expect(JSON.parse(r.stdout).error.code).toBe("response_invalid");
      else expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(
        /^simcel plans: the API answered something this SDK's spec does not allow: .*\/plans should be present/,
      );
    }
  });

  it("a redirect to another origin is refused with a line naming it", async () => {
    const requests: string[] = [];
    const stdout = sink();
    const stderr = sink();
    const fetch = async (request: Request) => {
      requests.push(request.url);
      return new Response(null, { status: 302, headers: { location: "https://elsewhere.test/x" } });
    };
    const code = await run(["plans"], { env, stdout, stderr, fetch });
    // the base URL to change: a usage mistake
    expect(code).toBe(2);
    expect(stderr.text).toMatch(
      /redirected to https:\/\/elsewhere\.test: only https:\/\/api\.example\.test is followed/,
    );
    expect(requests).toHaveLength(1);
  });

  it("SIMCEL_LOG=debug logs each request on stderr, redacted; stdout stays data only", async () => {
    const r = await cli(["plans", "--json"], { env: { ...env, SIMCEL_LOG: "debug" } });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^\S+Z simcel debug token refreshed in \d+ ms, no known expiry \{"kind":"static","background":false\}\n\S+Z simcel debug listPlans: GET \/insights\/v1\/plans → 200 in \d+ ms\n$/,
    );
    expect(JSON.parse(r.stdout)).toEqual(example("/insights/v1/plans"));
    // a level that is not one is said once, and the command still runs
    const bad = await cli(["plans"], { env: { ...env, SIMCEL_LOG: "loud" } });
    expect(bad.code).toBe(0);
    expect(bad.stderr).toBe(
      'simcel: SIMCEL_LOG must be one of debug, info, warn, error or off (got "loud"); logging is off\n',
    );
  });

  it("--show-token prints the token, because it was asked to", async () => {
    const r = await cli(["token", "--show-token"], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(OPAQUE);
  });
});
