// The built `simcel` as a real process against the Prism mock of the spec: table output
// (snapshots), --json bodies validated against the spec's schemas, exit codes and error lines.
// Prism never answers 403 or 404 by itself, so those go through a loopback proxy that adds
// `Prefer: code=…` to the API calls (not to the token exchange).
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
// Brings in the globalSetup's `ProvidedContext` typing of inject("simcelBaseUrl").
import type {} from "../../../scripts/prism-global-setup.js";
import { createSpecAjv, loadSpec, validateResponse } from "../../../scripts/spec-tools.mjs";

const baseUrl = inject("simcelBaseUrl");
const cliPath = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const spec = loadSpec();
const ajv = createSpecAjv(spec);
const FAKE_KEY = "sk_test_FAKE_do_not_use";

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI with only the given environment (plus PATH), never the developer's SIMCEL_*. */
function simcel(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      // no token kept between runs unless a test asks (the token-cache tests give it a directory of their own)
      { env: { PATH: process.env.PATH ?? "", SIMCEL_TOKEN_CACHE: "off", ...env }, timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

const mockEnv = () => ({ SIMCEL_BASE_URL: baseUrl, SIMCEL_API_KEY: FAKE_KEY });

/** Makes output independent of time and port: the generatedAt age, token expiry and base URL. */
const normalise = (text: string) =>
  text
    .replaceAll(baseUrl, "<base-url>")
    .replace(/\((\d+ days|\d+ h|\d+ min) ago\)/g, "(<age>)")
    .replace(/expires \d{4}-\d\d-\d\d \d\d:\d\d UTC \(in \d+ min\)/, "expires <time> (in <n> min)");

let proxy: Server;
let proxyUrl: string;
beforeAll(async () => {
  // Forwards to Prism; `/code-NNN/...` adds `Prefer: code=NNN` to insights calls only.
  proxy = createServer((req, res) => {
    const match = /^\/code-(\d{3})(\/.*)$/.exec(req.url ?? "");
    const path = match ? match[2]! : (req.url ?? "/");
    const headers = { ...req.headers };
    if (match && path.startsWith("/insights/")) headers.prefer = `code=${match[1]}`;
    const target = new URL(path, baseUrl);
    const upstream = request(target, { method: req.method, headers: { ...headers, host: target.host } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((listening) => proxy.listen(0, "127.0.0.1", listening));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((closed) => proxy.close(closed));
});

describe("simcel against the mock", () => {
  it("is built (run the build first: pnpm build)", () => {
    expect(existsSync(cliPath)).toBe(true);
  });

  const tables: Array<[string, string[]]> = [
    ["plans", ["plans"]],
    [
      "pnl",
      ["pnl", "--plan", "plan_9xKz2", "--scenarios", "scen_abc,scen_px3", "--from", "2025-01-01", "--to", "2025-12-31"],
    ],
    ["demand", ["demand", "--plan", "plan_9xKz2", "--interval", "M"]],
    ["co2", ["co2", "--plan", "plan_9xKz2", "--group-by", "dc"]],
    ["compare", ["compare", "--plan", "plan_9xKz2"]],
    ["token", ["token"]],
    ["help", ["--help"]],
    ["compare --help", ["compare", "--help"]],
  ];
  for (const [name, args] of tables) {
    it(`${name}: table output (snapshot), exit 0`, async () => {
      const r = await simcel(args, mockEnv());
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).not.toContain("\x1b[");
      expect(normalise(r.stdout)).toMatchSnapshot();
    });
  }

  const bodies: Array<[string, string[], string]> = [
    ["plans", ["plans"], "listPlans"],
    ["pnl", ["pnl", "--plan", "plan_9xKz2", "--interval", "M"], "getPnlSummary"],
    ["demand", ["demand", "--plan", "plan_9xKz2", "--group-by", "region"], "getDemandForecast"],
    ["co2", ["co2", "--plan", "plan_9xKz2"], "getSustainability"],
  ];
  for (const [name, args, operationId] of bodies) {
    it(`${name} --json: stdout is exactly the API body, valid against the spec's ${operationId} schema`, async () => {
      const r = await simcel([...args, "--json"], mockEnv());
      expect(r.code, r.stderr).toBe(0);
      const body = JSON.parse(r.stdout);
      expect(validateResponse(spec, ajv, operationId, 200, body)).toEqual([]);
    });
  }

  it("compare --json: the comparison's stable shape", async () => {
    const r = await simcel(["compare", "--plan", "plan_9xKz2", "--json"], mockEnv());
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).sort()).toEqual(["baseScenarioId", "baseScenarioName", "currency", "interval", "rows"]);
    expect(out.baseScenarioId).toBe("scen_abc");
    expect(out.rows[0].kpis.find((k: { kpi: string }) => k.kpi === "ebit")).toEqual({
      kpi: "ebit",
      percent: false,
      base: 3_300_000,
      value: 3_355_000,
      delta: 55_000,
      deltaRatio: 55_000 / 3_300_000,
    });
  });

  it("token with OAuth2 client credentials from the environment", async () => {
    const r = await simcel(["token", "--json"], {
      SIMCEL_BASE_URL: baseUrl,
      SIMCEL_CLIENT_ID: "cli_test_client",
      SIMCEL_CLIENT_SECRET: "FAKE-secret-do-not-use",
      SIMCEL_SCOPES: "insights:read plans:read",
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      kind: "clientCredentials",
      source: "SIMCEL_CLIENT_ID, SIMCEL_CLIENT_SECRET, SIMCEL_SCOPES",
    });
    expect(r.stdout).not.toContain("FAKE-secret");
  });

  it("a reader that closes the pipe early (| head) ends the CLI quietly, not with a stack trace", async () => {
    const child = spawn(process.execPath, [cliPath, "plans"], {
      env: { PATH: process.env.PATH ?? "", ...mockEnv() },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (c) => {
      stderr += c;
    });
    const code = await new Promise((done) => child.once("close", done));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });

  it("token --json: kind, expiry and scopes from the real API-key exchange, and no token", async () => {
    const r = await simcel(["token", "--json"], mockEnv());
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ kind: "apiKey", tokenType: "Bearer", scopes: ["insights:read", "plans:read"] });
    expect(Date.parse(out.expiresAt) - Date.now()).toBeGreaterThan(3_500_000);
    expect(r.stdout).not.toMatch(/eyJ/);
    expect(r.stdout + r.stderr).not.toContain(FAKE_KEY);
    const shown = await simcel(["token", "--json", "--show-token"], mockEnv());
    expect(JSON.parse(shown.stdout).token).toMatch(/^eyJ/);
  });
});

describe("simcel error lines and exit codes", () => {
  it("missing credentials: exit 2 and the variables to set", async () => {
    const r = await simcel(["plans"], { SIMCEL_BASE_URL: baseUrl });
    expect(r).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "simcel plans: no credential in the environment: set SIMCEL_API_KEY, or SIMCEL_CLIENT_ID and SIMCEL_CLIENT_SECRET, or SIMCEL_TOKEN\n",
    });
  });

  it("unknown command: exit 2 with a hint", async () => {
    const r = await simcel(["pnll"], mockEnv());
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'simcel: unknown command "pnll" (did you mean "pnl"?); commands: plans, pnl, demand, co2, compare, report, token; see simcel --help\n',
    );
  });

  it("unknown flag: exit 2 with a hint", async () => {
    const r = await simcel(["pnl", "--plan", "plan_9xKz2", "--senarios", "a"], mockEnv());
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("simcel pnl: unknown flag --senarios (did you mean --scenarios?); see simcel pnl --help\n");
  });

  it("4 scenarios: exit 2 naming --scenarios", async () => {
    const r = await simcel(["pnl", "--plan", "plan_9xKz2", "--scenarios", "a,b,c,d"], mockEnv());
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'simcel pnl: --scenarios accepts at most 3 ids (got ["a","b","c","d"]); see simcel pnl --help\n',
    );
  });

  it("--from after --to: exit 2 naming both flags", async () => {
    const r = await simcel(["demand", "--plan", "plan_9xKz2", "--from", "2025-06-01", "--to", "2025-01-31"], mockEnv());
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'simcel demand: --from must not be after --to (2025-01-31) (got "2025-06-01"); see simcel demand --help\n',
    );
  });

  it("a 404 plan: exit 1 with the API's message", async () => {
    const r = await simcel(["pnl", "--plan", "plan_xxx"], { ...mockEnv(), SIMCEL_BASE_URL: `${proxyUrl}/code-404` });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^simcel pnl: not found: 404 Not Found: Plan plan_xxx not found or you do not have access .*; list the plans and scenarios you can read with: simcel plans\n$/,
    );
  });

  it("a plan the token cannot see, looked up by compare: exit 1, not found", async () => {
    const r = await simcel(["compare", "--plan", "plan_unknown"], mockEnv());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^simcel compare: not found: .*plan_unknown/);
  });

  it("a 403: exit 1 and the scope to ask for", async () => {
    const r = await simcel(["demand", "--plan", "plan_9xKz2"], {
      ...mockEnv(),
      SIMCEL_BASE_URL: `${proxyUrl}/code-403`,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^simcel demand: permission denied: the credential lacks the scope insights:read; use an API key or client granted insights:read/,
    );
    const plans = await simcel(["plans"], { ...mockEnv(), SIMCEL_BASE_URL: `${proxyUrl}/code-403` });
    expect(plans.stderr).toMatch(/lacks the scope plans:read/);
  });

  it("an unreachable API: exit 1 naming the base URL", async () => {
    const r = await simcel(["token"], { SIMCEL_BASE_URL: "http://127.0.0.1:9", SIMCEL_API_KEY: FAKE_KEY });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^simcel token: sign-in failed: token request failed/);
    expect(r.stderr).not.toContain(FAKE_KEY);
  });
});
