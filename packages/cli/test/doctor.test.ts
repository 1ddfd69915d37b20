// `simcel doctor` in-process against the planted SIMCEL (a sandbox whose answers differ from our spec in
// named drifts): its table and --json output (snapshots, with the port and versions masked and a
// fixed clock, so latencies read 0 ms and the clock skew is exact), its exit codes, and that no key,
// secret or token shows in anything it prints.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  DOCTOR_REALITY,
  PLANTED_CLIENT,
  PLANTED_KEYS,
  type Planted,
  startPlanted,
} from "../../../scripts/test/planted.js";
import type { Drift } from "../../sandbox/src/index.js";
import { cliVersion, run } from "../src/run.js";
import { sink } from "./sink.js";

const cacheHome = mkdtempSync(join(tmpdir(), "simcel-doctor-cache-"));
afterAll(() => rmSync(cacheHome, { recursive: true, force: true }));

const NOW = Date.parse("2025-07-01T08:15:00Z");
/** Two minutes behind NOW: the planted server's clock in these tests. */
const SERVER_DATE = "Tue, 01 Jul 2025 08:13:00 GMT";

let planted: Planted | undefined;
afterEach(async () => {
  await planted?.close();
  planted = undefined;
});

async function doctor(
  argv: string[],
  options: {
    drifts?: Drift[];
    /** The environment, given the started server (its URL; it may be asked for a token first). */
    env?: (url: string, server: Planted) => Record<string, string> | Promise<Record<string, string>>;
    date?: string;
    legacyPaths?: boolean;
    /** The fetch of every call, given the started server (to stand it in for another host). */
    fetch?: (server: Planted) => (request: Request) => Promise<Response>;
  } = {},
) {
  planted = await startPlanted({
    drifts: options.drifts ?? DOCTOR_REALITY,
    date: options.date ?? SERVER_DATE,
    legacyPaths: options.legacyPaths ?? false,
  });
  const url = planted.url;
  const stdout = sink();
  const stderr = sink();
  const code = await run(["doctor", ...argv], {
    // the CLI's token cache goes to a folder of this file's, never the machine's ~/.cache
    env: {
      XDG_CACHE_HOME: cacheHome,
      ...((await options.env?.(url, planted)) ?? { SIMCEL_API_KEY: PLANTED_KEYS.full, SIMCEL_BASE_URL: url }),
    },
    stdout,
    stderr,
    now: () => NOW,
    ...(options.fetch && { fetch: options.fetch(planted) }),
  });
  const mask = (text: string) =>
    text
      .replaceAll(url, "http://127.0.0.1:<port>")
      .replaceAll(`@simcel/cli ${cliVersion()}`, "@simcel/cli <version>")
      .replaceAll(`"cli": "${cliVersion()}"`, `"cli": "<version>"`)
      .replaceAll(process.version, "<node>")
      .replaceAll(`${process.platform} ${process.arch}`, "<platform>");
  return { code, stdout: stdout.text, stderr: stderr.text, out: mask(stdout.text), planted };
}

/** Every secret a run could have seen: the keys and client secret, and each token the server issued. */
const secretsOf = (p: Planted) => [...Object.values(PLANTED_KEYS), PLANTED_CLIENT.secret, ...p.tokens];

describe("simcel doctor against a SIMCEL that differs from the spec", () => {
  it("table: configuration, sign-in, access, each read operation, each difference, a paste block; exit 1", async () => {
    const r = await doctor([]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    expect(r.out).toMatchSnapshot();
    // the sign-in happened once, and each read operation was called once
    expect(r.planted.requests).toEqual([
      "POST /auth/v1/token",
      "GET /insights/v1/plans",
      "GET /insights/v1/pnl-summary",
      "GET /insights/v1/demand-forecast",
      "GET /insights/v1/sustainability",
    ]);
  });

  it("--json: the same findings for machines; exit 1", async () => {
    const r = await doctor(["--json"]);
    expect(r.code).toBe(1);
    expect(r.out).toMatchSnapshot();
    const report = JSON.parse(r.out);
    expect(report).toMatchObject({ ok: false, problems: 1, warnings: 5 });
    expect(report.spec.map((d: { operations: string[]; pointer: string }) => [d.operations, d.pointer])).toEqual([
      [["getDemandForecast"], "/scenarios/0/series/0/fillRate"],
      [["listPlans"], "/plans/0/owner"],
      [["listPlans"], "/plans/0/scenarios/1/flags/0"],
      [["getPnlSummary", "getDemandForecast"], "/scenarios/0/scenarioColor"],
      [["getPnlSummary", "getDemandForecast", "getSustainability"], "/planId"],
    ]);
  });

  it("no key, secret or token in any output: table, --json, with SIMCEL_LOG=debug, by API key and by client secret", async () => {
    const runs = [
      await doctor([]),
      await doctor(["--json"], {
        env: (url) => ({ SIMCEL_API_KEY: PLANTED_KEYS.full, SIMCEL_BASE_URL: url, SIMCEL_LOG: "debug" }),
      }),
      await doctor([], {
        env: (url) => ({
          SIMCEL_CLIENT_ID: PLANTED_CLIENT.id,
          SIMCEL_CLIENT_SECRET: PLANTED_CLIENT.secret,
          SIMCEL_BASE_URL: url,
          SIMCEL_LOG: "debug",
        }),
      }),
    ];
    for (const r of runs) {
      const printed = r.stdout + r.stderr;
      expect(r.planted.tokens.length).toBeGreaterThan(0);
      for (const secret of secretsOf(r.planted)) expect(printed).not.toContain(secret);
      expect(printed).not.toContain("FAKE");
      expect(printed).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
    }
    // debug logging did run (and went to stderr, redacted like everything else)
    expect(runs[1]?.stderr).toMatch(/simcel debug listPlans: GET \/insights\/v1\/plans → 200/);
  });
});

describe("simcel doctor: exit codes and what it says", () => {
  it("a SIMCEL exactly as the spec says, clocks in step: all good, exit 0", async () => {
    const r = await doctor([], { drifts: [], date: new Date(NOW).toUTCString() });
    expect(r.code).toBe(0);
    expect(r.out).toContain("Clock           in step with the server");
    expect(r.out).toMatch(/getSustainability\s+200\s+0 ms\s+ok\n/);
    expect(r.out).toContain("Result: all good (exit 0)");
    expect(r.out).not.toContain("Where the API differs");
  });

  it("a key without insights:read: what it cannot do, each refusal as its scopes say; exit 1", async () => {
    const r = await doctor([], {
      drifts: [],
      env: (url) => ({ SIMCEL_API_KEY: PLANTED_KEYS.plansOnly, SIMCEL_BASE_URL: url }),
    });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/getPnlSummary\s+insights:read\s+NO\n/);
    expect(r.out).toMatch(
      /getDemandForecast\s+403\s+0 ms\s+REFUSED: refused: the key lacks insights:read, as its scopes say/,
    );
    expect(r.out).toContain(
      "✖ the key lacks the scope insights:read: getPnlSummary, getDemandForecast and getSustainability will be refused; use a key granted insights:read",
    );
    expect(r.out).toContain("Result: 1 problem, 1 warning (exit 1)");
  });

  it("OAuth2 client credentials: the client-credentials endpoint, and a token answer in snake_case is a warning", async () => {
    const r = await doctor(["--json"], {
      drifts: ["tokenSnakeCase"],
      env: (url) => ({
        SIMCEL_CLIENT_ID: PLANTED_CLIENT.id,
        SIMCEL_CLIENT_SECRET: PLANTED_CLIENT.secret,
        SIMCEL_BASE_URL: url,
      }),
    });
    const report = JSON.parse(r.out);
    expect(report.configuration).toMatchObject({
      credential: "clientCredentials",
      variables: ["SIMCEL_CLIENT_ID", "SIMCEL_CLIENT_SECRET", "SIMCEL_BASE_URL"],
    });
    expect(report.signIn).toMatchObject({
      endpoint: "POST http://127.0.0.1:<port>/oauth/v1/token",
      status: 200,
      expiresIn: 3600,
      tokenType: "Bearer",
      scopes: ["insights:read", "plans:read"],
    });
    // the SDK reads RFC 6749's snake_case too, so the calls work: the spec's camelCase is what is wrong here
    expect(report.spec.map((d: Record<string, unknown>) => [d.operations, d.pointer, d.actual, d.severity])).toEqual([
      [["issueClientCredentialsToken"], "/accessToken", "missing", "warning"],
      [["issueClientCredentialsToken"], "/expiresIn", "missing", "warning"],
      [["issueClientCredentialsToken"], "/access_token", "present", "warning"],
      [["issueClientCredentialsToken"], "/expires_in", "present", "warning"],
      [["issueClientCredentialsToken"], "/token_type", "present", "warning"],
    ]);
    expect(r.code).toBe(0);
  });

  it("--plan names the plan; one the key cannot see is a problem per data operation", async () => {
    const r = await doctor(["--plan", "plan_nope"], { drifts: [] });
    expect(r.code).toBe(1);
    expect(r.out).toContain("Read operations on plan plan_nope (--plan)");
    expect(r.out).toMatch(/getPnlSummary\s+404\s+0 ms\s+ERROR: not found: 404 Not Found: Plan plan_nope not found/);
  });

  it("no credential: a configuration problem naming the variables to set; exit 1", async () => {
    const r = await doctor([], { env: (url) => ({ SIMCEL_BASE_URL: url }) });
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      "✖ configuration: no credential in the environment: set SIMCEL_API_KEY, or SIMCEL_CLIENT_ID and SIMCEL_CLIENT_SECRET, or SIMCEL_TOKEN",
    );
    expect(r.planted.requests).toEqual([]);
  });

  it("a key the server refuses: the sign-in problem, and nothing else called; exit 1", async () => {
    const r = await doctor([], {
      env: (url) => ({ SIMCEL_API_KEY: "sk_test_FAKE_unknown_key", SIMCEL_BASE_URL: url }),
    });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Token endpoint {2}POST http:\/\/127\.0\.0\.1:<port>\/auth\/v1\/token → 401 in 0 ms/);
    expect(r.out).toMatch(/✖ sign-in failed: .*401.*Invalid API key/);
    expect(r.planted.requests).toEqual(["POST /auth/v1/token"]);
    expect(r.stdout).not.toContain("FAKE");
  });

  it("a token already issued (SIMCEL_TOKEN): no token request, the JWT's scopes and expiry, a note saying so", async () => {
    let token = "";
    const r = await doctor(["--json"], {
      drifts: [],
      date: new Date(NOW).toUTCString(),
      // a token issued before the doctor runs, as a user's SIMCEL_TOKEN would be
      env: async (url) => {
        const answer = await fetch(`${url}/auth/v1/token`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ apiKey: PLANTED_KEYS.full }),
        });
        token = ((await answer.json()) as { accessToken: string }).accessToken;
        return { SIMCEL_TOKEN: token, SIMCEL_BASE_URL: url };
      },
    });
    expect(r.code, r.stdout).toBe(0);
    // the one token request is the test's own: the doctor asked for none
    expect(r.planted.requests.filter((q) => q.startsWith("POST"))).toHaveLength(1);
    expect(r.planted.requests.filter((q) => q.startsWith("GET"))).toHaveLength(4);
    const report = JSON.parse(r.stdout);
    expect(report.configuration.credential).toBe("static");
    // the sandbox's JWT carries `exp`: an hour after it was issued, on the clock the doctor shares with it here
    expect(report.signIn).toMatchObject({ endpoint: null, scopes: ["insights:read", "plans:read"], expiresIn: 3600 });
    expect(report.findings).toContainEqual({
      severity: "note",
      message:
        "SIMCEL_TOKEN holds a token already issued: the sign-in itself (API key or client credentials) was not tried",
    });
    expect(r.stdout).not.toContain(token);
  });

  it("usage mistakes exit 2: a bad --base-url, an unknown flag", async () => {
    const bad = await doctor(["--base-url", "not a url"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("simcel doctor: --base-url must be an http(s) URL such as https://app.simcel.io/api\n");
    const flag = await doctor(["--plann", "x"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/^simcel doctor: unknown flag --plann \(did you mean --plan\?\)/);
  });
});

describe("simcel doctor: SIMCEL's two layouts (today's app.simcel.io/api, the older docs' api.simcel.io)", () => {
  const LAYOUTS =
    "SIMCEL's older layout (https://api.simcel.io, API-key exchange at POST /auth/token), not today's (https://app.simcel.io/api, POST /auth/v1/token, the one the SDK uses)";
  /** A fetch that sends every request for `host` to the started server instead: it stands in for that host. */
  const standIn = (host: string) => (p: Planted) => (request: Request) =>
    globalThis.fetch(new Request(request.url.replace(host, p.url), request));

  it("a server with the older layout: one problem naming both layouts and the fix, no key sent to the probe; exit 1", async () => {
    const inStep = new Date(NOW).toUTCString();
    const r = await doctor(["--json"], { drifts: [], legacyPaths: true, date: inStep });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(report.signIn).toMatchObject({ endpoint: "POST http://127.0.0.1:<port>/auth/v1/token", status: 404 });
    expect(report.problems).toBe(1);
    expect(report.findings).toEqual([
      {
        severity: "problem",
        message: `${report.signIn.error}; the server at http://127.0.0.1:<port> answers POST /auth/token but not POST /auth/v1/token: it has ${LAYOUTS}; point the SDK at today's API: set SIMCEL_BASE_URL=https://app.simcel.io/api, or leave it unset for production`,
      },
    ]);
    // the sign-in, then the two probes, each with an empty body: the key went only where the SDK sends it
    expect(r.planted.requests).toEqual(["POST /auth/v1/token", "POST /auth/v1/token", "POST /auth/token"]);
    expect(r.planted.sandbox.requests.slice(1).map((q) => q.body)).toEqual(["{}", "{}"]);
    const table = await doctor([], { drifts: [], legacyPaths: true, date: inStep });
    expect(table.out).toContain("✖ sign-in failed: token request rejected with HTTP 404 Not Found");
    expect(table.out).toContain("answers POST /auth/token but not POST /auth/v1/token");
    expect(table.stdout).not.toContain(PLANTED_KEYS.full);
  });

  it("today's layout, at the root and under /api: all good, and a 404 from the token route alone is not called the older layout", async () => {
    for (const base of [(p: Planted) => p.url, (p: Planted) => p.sandbox.apiUrl]) {
      const r = await doctor([], {
        drifts: [],
        date: new Date(NOW).toUTCString(),
        env: (_url, p) => ({ SIMCEL_API_KEY: PLANTED_KEYS.full, SIMCEL_BASE_URL: base(p) }),
      });
      expect(r.code, r.out).toBe(0);
      expect(r.out).toContain("Result: all good (exit 0)");
      expect(r.out).not.toContain("older layout");
    }
    const notFound = await doctor(["--json"], {
      drifts: [],
      date: new Date(NOW).toUTCString(),
      env: (url, p) => {
        p.sandbox.fail({ operation: "exchangeApiKey", status: 404, times: 1 });
        return { SIMCEL_API_KEY: PLANTED_KEYS.full, SIMCEL_BASE_URL: url };
      },
    });
    const report = JSON.parse(notFound.out);
    expect(report.findings).toEqual([{ severity: "problem", message: report.signIn.error }]);
    expect(notFound.out).not.toContain("older layout");
  });

  it("a base URL on api.simcel.io: named with both layouts and the fix — a problem when the sign-in fails there, a warning when it works", async () => {
    const legacy = await doctor(["--json"], {
      drifts: [],
      legacyPaths: true,
      date: new Date(NOW).toUTCString(),
      env: () => ({ SIMCEL_API_KEY: PLANTED_KEYS.full, SIMCEL_BASE_URL: "https://api.simcel.io" }),
      fetch: standIn("https://api.simcel.io"),
    });
    expect(legacy.code).toBe(1);
    const failed = JSON.parse(legacy.out);
    expect(failed.findings).toEqual([
      {
        severity: "problem",
        message: `${failed.signIn.error}; https://api.simcel.io is on api.simcel.io, the host of ${LAYOUTS}; set SIMCEL_BASE_URL=https://app.simcel.io/api, or leave it unset for production`,
      },
    ]);
    const working = await doctor(["--json", "--base-url", "https://api.simcel.io"], {
      drifts: [],
      date: new Date(NOW).toUTCString(),
      env: () => ({ SIMCEL_API_KEY: PLANTED_KEYS.full }),
      fetch: standIn("https://api.simcel.io"),
    });
    expect(working.code, working.out).toBe(0);
    expect(JSON.parse(working.out).findings).toEqual([
      {
        severity: "warning",
        message: `https://api.simcel.io is on api.simcel.io, the host of ${LAYOUTS}; pass --base-url https://app.simcel.io/api, or leave it out for production`,
      },
    ]);
  });
});
