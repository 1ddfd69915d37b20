// The fault matrix, process side: the built `simcel` (packages/cli/dist/cli.js, on the built libraries) run as a
// real process against the rig's sandbox (scripts/test/rig.ts), one row per case, with SIMCEL_LOG=debug so every log line is
// checked too. Each row states the exit code and the stderr line the issue-9 contract asks for, the exact token
// and API request counts, and for every row: the process exits by itself (no handle keeps it alive), no
// unhandled rejection reaches Node, and no line of stdout or stderr holds the key, the client secret or any
// token the server issued, in any encoding, whole or cut.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Sandbox, SandboxOptions } from "../../packages/sandbox/src/index.js";
import { listOperations } from "../spec-tools.mjs";
import { type Count, countOk, filler, type MatrixRow, rigSecrets, showCount, writeReport } from "./fault-matrix.js";
import { RIG_SECRETS, startRig } from "./rig.js";
import { type CliRun, cliPath, EXIT_LIMIT_MS, runCli } from "./run-cli.js";
import { basicCredentials, basicCredentialsRaw, findLeaks, leakNeedles, secretForms } from "./secret-forms.js";

const plansExample = listOperations().find((o) => o.operationId === "listPlans")?.responses[200]?.examples.twoPlans as {
  plans: Record<string, unknown>[];
};

interface CliCase {
  name: string;
  defect?: string;
  credential?: "apiKey" | "clientCredentials";
  server?: SandboxOptions;
  setup?: (server: Sandbox) => void;
  /** Arguments of `simcel`; default `plans`. */
  args?: string[];
  /** The exit code, or the codes allowed when the contract leaves a choice. */
  exit: number | number[];
  /** Texts the last stderr line (the error line) must contain / must not contain. */
  lastLineIncludes?: (server: Sandbox) => string[];
  lastLineExcludes?: string[];
  tokenRequests: Count;
  apiRequests: Count;
  check?: (server: Sandbox, run: CliRun) => string[];
}

const lastLine = (text: string) => text.trimEnd().split("\n").at(-1) ?? "";
const notUnexpected = ["unexpected error", "Cannot read properties", "Invalid time value"];

const tokenEcho = (form: keyof ReturnType<typeof secretForms>): CliCase => ({
  name: `API 401 echoes the token (${form})`,
  defect: "1",
  setup: (s) =>
    s.fail({
      operation: "api",
      kind: "echo",
      status: 401,
      text: (r) => `token ${secretForms(r.token ?? "")[form]} is not valid`,
    }),
  exit: 4,
  lastLineExcludes: notUnexpected,
  tokenRequests: 2,
  apiRequests: 2,
});
const secretEcho = (
  name: string,
  text: (r: { body: string; clientId: string; clientSecret: string }) => string,
): CliCase => ({
  name: `token 400 echoes the client secret (${name})`,
  defect: "2",
  credential: "clientCredentials",
  setup: (s) => s.fail({ operation: "token", kind: "echo", status: 400, text }),
  exit: 4,
  lastLineIncludes: () => ["sign-in failed"],
  tokenRequests: 1,
  apiRequests: 0,
});

const cases: CliCase[] = [
  {
    name: "healthy: plans",
    exit: 0,
    tokenRequests: 1,
    apiRequests: 1,
    check: (s, run) => (run.stdout.includes(s.plans[0]!.name) ? [] : ["the plans table lacks the plan's name"]),
  },
  {
    name: "healthy: plans --json prints the API's body",
    args: ["plans", "--json"],
    exit: 0,
    tokenRequests: 1,
    apiRequests: 1,
    check: (s, run) => {
      try {
        return JSON.stringify(JSON.parse(run.stdout)) === JSON.stringify({ plans: s.plans })
          ? []
          : ["stdout ≠ the body"];
      } catch {
        return ["stdout is not JSON"];
      }
    },
  },
  {
    name: "healthy: token (without --show-token the token is not printed)",
    args: ["token"],
    exit: 0,
    tokenRequests: 1,
    apiRequests: 0,
  },
  {
    name: "SIMCEL_LOG=debug logs the calls (to stderr, without secrets)",
    defect: "hooks/logs",
    args: ["plans", "--json"],
    exit: 0,
    tokenRequests: 1,
    apiRequests: 1,
    check: (_s, run) => (run.stderr.trim() ? [] : ["SIMCEL_LOG=debug printed no log line"]),
  },
  {
    name: "token 401 (spec body)",
    setup: (s) => s.fail({ operation: "token", kind: "status", status: 401 }),
    exit: 4,
    lastLineIncludes: () => ["sign-in failed", "Invalid API key"],
    tokenRequests: 1,
    apiRequests: 0,
  },
  {
    name: "token 503 always: says sign-in failed, not a timeout",
    defect: "9",
    setup: (s) => s.fail({ operation: "token", kind: "status", status: 503 }),
    exit: 75,
    lastLineIncludes: () => ["sign-in failed"],
    lastLineExcludes: ["timed out", ...notUnexpected],
    tokenRequests: 3,
    apiRequests: 0,
  },
  {
    name: "token reset mid-body, next 1: retried",
    defect: "4",
    setup: (s) => s.fail({ operation: "token", kind: "resetMidBody", times: 1 }),
    exit: 0,
    tokenRequests: 2,
    apiRequests: 1,
  },
  {
    name: "simcel token with expiresIn 1e13: no crash (a capped expiry, or a typed sign-in error)",
    defect: "5",
    args: ["token"],
    setup: (s) => s.fail({ operation: "token", kind: "tokenBody", patch: { expiresIn: 1e13 } }),
    exit: [0, 1],
    tokenRequests: 1,
    apiRequests: 0,
    check: (_s, run) =>
      notUnexpected.some((t) => run.stderr.includes(t))
        ? [`crashed: ${lastLine(run.stderr).slice(0, 120)}`]
        : run.exit === 1 && !lastLine(run.stderr).includes("sign-in failed")
          ? ["exit 1 without saying the sign-in failed"]
          : [],
  },
  {
    name: "token 401 RFC 6749 invalid_client: the description is shown",
    defect: "6",
    credential: "clientCredentials",
    setup: (s) =>
      s.fail({
        operation: "token",
        kind: "oauthError",
        status: 401,
        error: "invalid_client",
        description: "client authentication failed",
      }),
    exit: 4,
    lastLineIncludes: () => ["sign-in failed", "client authentication failed"],
    tokenRequests: 1,
    apiRequests: 0,
  },
  {
    name: "token 307 to another origin: a redirect, named, at once",
    defect: "14",
    setup: (s) => s.fail({ operation: "token", kind: "redirect", status: 307, to: "other-origin" }),
    exit: 2,
    lastLineIncludes: (s) => ["sign-in failed", s.otherOrigin.url],
    tokenRequests: 1,
    apiRequests: 0,
  },
  secretEcho("raw form body", (r) => `cannot parse body: ${r.body}`),
  secretEcho("percent", (r) => `client_secret ${secretForms(r.clientSecret).percent} unknown`),
  secretEcho("json", (r) => `client_secret ${secretForms(r.clientSecret).json} unknown`),
  secretEcho("Basic, id:secret", (r) => `Basic ${basicCredentialsRaw(r.clientId, r.clientSecret)} refused`),
  secretEcho("Basic, RFC 6749 form-encoded", (r) => `Basic ${basicCredentials(r.clientId, r.clientSecret)} refused`),
  {
    name: "token 401 text body with the key across the 200-character cut",
    defect: "3",
    setup: (s) =>
      s.fail({ operation: "token", kind: "echo", status: 401, raw: true, text: (r) => `${filler(175)}${r.apiKey}` }),
    exit: 4,
    lastLineIncludes: () => ["sign-in failed"],
    tokenRequests: 1,
    apiRequests: 0,
  },
  {
    name: "API 401 always: the token is refused",
    setup: (s) => s.fail({ operation: "api", kind: "status", status: 401 }),
    exit: 4,
    lastLineIncludes: () => ["rejected the token"],
    tokenRequests: 2,
    apiRequests: 2,
  },
  tokenEcho("raw"),
  tokenEcho("percent"),
  tokenEcho("json"),
  tokenEcho("base64"),
  {
    name: "API 500 text body with the token across the 200-character cut",
    defect: "3",
    setup: (s) =>
      s.fail({
        operation: "api",
        kind: "echo",
        status: 500,
        raw: true,
        headers: { "retry-after": "0" },
        text: (r) => `${filler(175)}${r.token}`,
      }),
    exit: 75,
    lastLineExcludes: notUnexpected,
    tokenRequests: 1,
    apiRequests: 3,
  },
  {
    name: "API 403 echoes the key",
    defect: "1",
    setup: (s) =>
      s.fail({ operation: "api", kind: "echo", status: 403, text: (r) => `key ${r.apiKey} lacks plans:read` }),
    exit: 5,
    lastLineIncludes: () => ["permission denied", "plans:read"],
    tokenRequests: 1,
    apiRequests: 1,
  },
  {
    name: "API 503 next 1: retried",
    setup: (s) => s.fail({ operation: "api", kind: "status", status: 503, times: 1 }),
    exit: 0,
    tokenRequests: 1,
    apiRequests: 2,
  },
  {
    name: "API reset mid-body, always",
    defect: "4",
    setup: (s) => s.fail({ operation: "api", kind: "resetMidBody" }),
    exit: 75,
    lastLineIncludes: () => ["cannot reach"],
    tokenRequests: 1,
    apiRequests: 3,
  },
  {
    name: "API 200 {} for plans --json: an error, and on stdout only the error object",
    defect: "8",
    args: ["plans", "--json"],
    setup: (s) => s.fail({ operation: "api", kind: "json", body: {} }),
    exit: 1,
    lastLineIncludes: () => ["plans"],
    lastLineExcludes: notUnexpected,
    tokenRequests: 1,
    apiRequests: 1,
    check: (_s, run) => {
      try {
        return JSON.parse(run.stdout).error?.code === "response_invalid" ? [] : [`stdout: ${run.stdout.slice(0, 60)}`];
      } catch {
        return [`stdout is not one JSON object: ${run.stdout.slice(0, 60)}`];
      }
    },
  },
  {
    name: "API 200 {} for plans (table)",
    defect: "8",
    setup: (s) => s.fail({ operation: "api", kind: "json", body: {} }),
    exit: 1,
    lastLineExcludes: notUnexpected,
    tokenRequests: 1,
    apiRequests: 1,
  },
  {
    name: "API 200 plan without scenarios: compare",
    defect: "8",
    args: ["compare", "--plan", "plan_9xKz2"],
    setup: (s) =>
      s.fail({
        operation: "listPlans",
        kind: "json",
        body: { plans: plansExample.plans.map(({ scenarios: _, ...p }) => p) },
      }),
    exit: 1,
    lastLineIncludes: () => ["scenarios"],
    lastLineExcludes: notUnexpected,
    tokenRequests: 1,
    apiRequests: 1,
  },
  {
    name: "API 302 to another origin: refused, the origin named",
    defect: "7",
    setup: (s) => s.fail({ operation: "api", kind: "redirect", to: "other-origin" }),
    exit: 2,
    lastLineIncludes: (s) => [s.otherOrigin.url],
    tokenRequests: 1,
    apiRequests: 1,
    check: (s) =>
      s.otherOrigin.requests.length ? [`the other origin got ${s.otherOrigin.requests.length} request(s)`] : [],
  },
];

const rows: MatrixRow[] = [];
afterAll(() => {
  const path = writeReport("fault-matrix-cli.md", "Fault matrix: the simcel process", rows);
  console.log(
    `fault matrix (cli): ${rows.filter((r) => !r.violations.length).length}/${rows.length} as expected → ${path}`,
  );
});

describe("fault matrix: the simcel process", () => {
  it("runs the built CLI (build first: pnpm build)", () => {
    expect(existsSync(cliPath)).toBe(true);
  });

  for (const c of cases)
    it(
      c.name,
      async () => {
        const server = await startRig(c.server);
        c.setup?.(server);
        const { apiKey, clientId, clientSecret } = RIG_SECRETS;
        const credentialEnv: Record<string, string> =
          c.credential === "clientCredentials"
            ? { SIMCEL_CLIENT_ID: clientId, SIMCEL_CLIENT_SECRET: clientSecret }
            : { SIMCEL_API_KEY: apiKey };
        // the CLI keeps its token between runs in a sealed file store: one fresh cache directory per case (never
        // the developer's ~/.cache), so each run starts cold, and what the store wrote is scanned for secrets too
        const home = mkdtempSync(join(tmpdir(), "simcel-rig-home-"));
        const run = await runCli(c.args ?? ["plans"], {
          ...credentialEnv,
          SIMCEL_BASE_URL: server.url,
          SIMCEL_LOG: "debug",
          HOME: home,
          XDG_CACHE_HOME: join(home, ".cache"),
        });
        const stored = readdirSync(home, { recursive: true, withFileTypes: true })
          .filter((entry) => entry.isFile())
          .map((entry) => readFileSync(join(entry.parentPath, entry.name), "latin1"));
        rmSync(home, { recursive: true, force: true });
        const { token: tokenRequests, api: apiRequests } = server.counts;
        const secrets = rigSecrets(server);
        await server.close();

        const violations = c.check?.(server, run) ?? [];
        if (run.signal)
          violations.push(`did not exit within ${EXIT_LIMIT_MS / 1000} s (killed): a hang or a handle left open`);
        else if (![c.exit].flat().includes(run.exit as number))
          violations.push(`exit ${run.exit}, expected ${[c.exit].flat().join(" or ")}`);
        const line = lastLine(run.stderr);
        for (const text of c.lastLineIncludes?.(server) ?? [])
          if (!line.includes(text)) violations.push(`error line lacks ${JSON.stringify(text)}`);
        for (const text of c.lastLineExcludes ?? [])
          if (line.includes(text)) violations.push(`error line says ${JSON.stringify(text)}`);
        if (/Unhandled|triggerUncaughtException|UnhandledPromiseRejection/.test(run.stderr))
          violations.push("an unhandled rejection reached Node");
        if (!countOk(tokenRequests, c.tokenRequests))
          violations.push(`${tokenRequests} token requests, expected ${showCount(c.tokenRequests)}`);
        if (!countOk(apiRequests, c.apiRequests))
          violations.push(`${apiRequests} API requests, expected ${showCount(c.apiRequests)}`);
        const needles = leakNeedles(secrets);
        const leaks = new Set(
          [...run.stdout.split("\n"), ...run.stderr.split("\n")].flatMap((text) => findLeaks(text, needles)),
        );
        if (leaks.size) violations.push(`secrets printed: ${[...leaks].slice(0, 4).join(", ")}`);
        const kept = new Set(stored.flatMap((text) => findLeaks(text, needles)));
        if (kept.size) violations.push(`secrets in the token cache's files: ${[...kept].slice(0, 4).join(", ")}`);

        rows.push({
          case: `simcel ${(c.args ?? ["plans"]).join(" ")}: ${c.name}`,
          defect: c.defect ?? "",
          expected: `exit ${[c.exit].flat().join(" or ")}`,
          // the report is pasted into notes: a line that leaks is described, not copied
          outcome: `exit ${run.signal ?? run.exit}: ${
            run.exit === 0 && !run.signal
              ? ""
              : findLeaks(line, needles).length
                ? "(error line holds a secret)"
                : line.slice(0, 160)
          }`,
          tokenRequests: `${tokenRequests} (${showCount(c.tokenRequests)})`,
          apiRequests: `${apiRequests} (${showCount(c.apiRequests)})`,
          notes: `${(run.ms / 1000).toFixed(1)} s`,
          violations,
        });
        expect(violations).toEqual([]);
      },
      EXIT_LIMIT_MS + 10_000,
    );
});
