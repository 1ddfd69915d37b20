// Every command against the sandbox, for every class of failure: the exit code a script branches on, and under
// --json the one error object on stdout (the human line stays on stderr). In-process (run()) for speed; a few
// rows through the built process at the end, as a shell sees them.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../scripts/test/run-cli.js";
import { type FailOptions, type Sandbox, startSandbox } from "../../sandbox/src/index.js";
import { run } from "../src/run.js";
import { sink } from "./sink.js";

let sandbox: Sandbox;
let apiKey: string;
let closedPort: number;
let planId: string;
const home = mkdtempSync(join(tmpdir(), "simcel-exit-codes-"));

/** A loopback port nothing listens on: bound by the kernel's choice, then let go. */
async function freeClosedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 1 });
  apiKey = sandbox.createApiKey({ scopes: ["insights:read", "plans:read"] });
  planId = sandbox.plans[0]!.id;
  closedPort = await freeClosedPort();
});
afterAll(async () => {
  await sandbox.close();
  rmSync(home, { recursive: true, force: true });
});
afterEach(() => sandbox.clearFaults());

/** Every command that calls the API, with the arguments of an ordinary run. */
const commands = (): Record<string, string[]> => ({
  plans: ["plans"],
  pnl: ["pnl", "--plan", planId],
  demand: ["demand", "--plan", planId, "--interval", "M"],
  co2: ["co2", "--plan", planId],
  compare: ["compare", "--plan", planId],
  report: ["report", "--plan", planId, "--out", home],
  token: ["token"],
});

/** One class of failure: how to provoke it, and what the CLI must say. */
interface FailureCase {
  name: string;
  /** The fault on the insights routes (for every command but `token`); none for a closed port. */
  fault?: FailOptions;
  closedPort?: boolean;
  exit: number;
  code: string;
  status?: number;
  /** For `simcel token`, whose only request is the sign-in: the same failure on the token route. */
  token?: { exit: number; code: string; status?: number } | "skip";
}

const FAILURES: FailureCase[] = [
  {
    name: "401 (after the replay)",
    fault: { status: 401 },
    exit: 4,
    code: "authentication_failed",
    status: 401,
    token: { exit: 4, code: "token_request_rejected", status: 401 },
  },
  {
    name: "403",
    fault: { status: 403 },
    exit: 5,
    code: "permission_denied",
    status: 403,
    // a sign-in refused with 403 is a refused sign-in: authentication
    token: { exit: 4, code: "token_request_rejected", status: 403 },
  },
  {
    name: "404",
    fault: { status: 404 },
    exit: 3,
    code: "not_found",
    status: 404,
    token: { exit: 4, code: "token_request_rejected", status: 404 },
  },
  {
    name: "400",
    fault: { status: 400 },
    exit: 2,
    code: "invalid_request",
    status: 400,
    token: { exit: 4, code: "token_request_rejected", status: 400 },
  },
  {
    name: "422",
    fault: { status: 422 },
    exit: 2,
    code: "invalid_request",
    status: 422,
    token: { exit: 4, code: "token_request_rejected", status: 422 },
  },
  {
    name: "429",
    fault: { status: 429, retryAfterS: 0 },
    exit: 75,
    code: "rate_limited",
    status: 429,
    token: { exit: 75, code: "token_request_rejected", status: 429 },
  },
  {
    name: "503",
    fault: { status: 503, retryAfterS: 0 },
    exit: 75,
    code: "server_error",
    status: 503,
    token: { exit: 75, code: "token_request_rejected", status: 503 },
  },
  {
    // a static token, so the insights client itself meets the closed port (the token command signs in: its own row)
    name: "a closed port",
    closedPort: true,
    exit: 75,
    code: "connection_failed",
    token: { exit: 75, code: "token_request_failed" },
  },
  {
    name: "a timeout",
    fault: { kind: "hang" },
    exit: 75,
    code: "timeout",
    // the token request's own timeout is 30 s and not the CLI's to shorten: its class is the closed port's row
    token: "skip",
  },
];

/** Runs the CLI in-process with no retries (the class is the same after them), and a short timeout for the hang. */
async function simcel(argv: string[], env: Record<string, string>, timeoutMs = 10_000) {
  const stdout = sink();
  const stderr = sink();
  const exit = await run(argv, {
    env: { SIMCEL_TOKEN_CACHE: "off", XDG_CACHE_HOME: home, ...env },
    stdout,
    stderr,
    client: { timeoutMs, maxRetries: 0 },
  });
  return { exit, stdout: stdout.text, stderr: stderr.text };
}

const ALLOWED_KEYS = ["code", "status", "message", "requestId", "retryAfterMs", "hint"];

/** The one JSON object a failure prints under --json, checked against what the case expects. */
function expectErrorObject(stdout: string, stderr: string, expected: { code: string; status?: number | undefined }) {
  const parsed = JSON.parse(stdout) as { error: Record<string, unknown> };
  expect(Object.keys(parsed)).toEqual(["error"]);
  const { error } = parsed;
  expect(
    Object.keys(error).every((k) => ALLOWED_KEYS.includes(k)),
    Object.keys(error).join(),
  ).toBe(true);
  expect(error.code).toBe(expected.code);
  if (expected.status === undefined) expect(error).not.toHaveProperty("status");
  else expect(error.status).toBe(expected.status);
  for (const value of Object.values(error)) expect(value).not.toBeNull();
  // stderr keeps the human line, and it is the same words as the object's message
  expect(stderr.trimEnd().split("\n").at(-1)).toBe(error.message);
  return error;
}

describe("every command × every class of failure: exit code and --json error object", () => {
  for (const failure of FAILURES)
    describe(failure.name, () => {
      for (const command of Object.keys(commands()))
        it(`simcel ${command}`, async () => {
          const argv = commands()[command]!;
          const isToken = command === "token";
          const expected = isToken ? failure.token : failure;
          if (expected === "skip" || expected === undefined) return;
          let env: Record<string, string> = { SIMCEL_BASE_URL: sandbox.url, SIMCEL_API_KEY: apiKey };
          if (failure.closedPort)
            env = isToken
              ? { SIMCEL_BASE_URL: `http://127.0.0.1:${closedPort}`, SIMCEL_API_KEY: apiKey }
              : { SIMCEL_BASE_URL: `http://127.0.0.1:${closedPort}`, SIMCEL_TOKEN: "tok_test_closed_port" };
          if (failure.fault) sandbox.fail({ ...failure.fault, operation: isToken ? "token" : "api" });

          const timeoutMs = failure.fault?.kind === "hang" ? 300 : undefined;
          const human = await simcel(argv, env, timeoutMs);
          expect(human.exit, human.stderr).toBe(expected.exit);
          expect(human.stderr).toMatch(new RegExp(`^simcel ${command}: `, "m"));

          const machine = await simcel([...argv, "--json"], env, timeoutMs);
          expect(machine.exit, machine.stderr).toBe(expected.exit);
          const error = expectErrorObject(machine.stdout, machine.stderr, expected);
          // the sandbox names every answer: an API error carries its request id for support
          if (expected.status !== undefined && !isToken) expect(error.requestId).toMatch(/^req_/);
          if (expected.status === 429 || (expected.status === 503 && !isToken)) expect(error.retryAfterMs).toBe(0);
        });
    });

  it("a report that fails writes no file", () => {
    expect(readdirSync(home).filter((f) => f.endsWith(".html"))).toEqual([]);
  });
});

describe("usage mistakes and missing credentials, under --json too", () => {
  it("an unknown flag: exit 2, code usage, before any request", async () => {
    const before = sandbox.counts.api + sandbox.counts.token;
    const r = await simcel(["pnl", "--plan", planId, "--bogus", "--json"], { SIMCEL_BASE_URL: sandbox.url });
    expect(r.exit).toBe(2);
    expectErrorObject(r.stdout, r.stderr, { code: "usage" });
    expect(sandbox.counts.api + sandbox.counts.token).toBe(before);
  });

  it("a value the spec refuses: exit 2, code invalid_request", async () => {
    const r = await simcel(["pnl", "--plan", planId, "--interval", "W", "--json"], {
      SIMCEL_BASE_URL: sandbox.url,
      SIMCEL_API_KEY: apiKey,
    });
    expect(r.exit).toBe(2);
    expectErrorObject(r.stdout, r.stderr, { code: "invalid_request" });
  });

  it("no command at all: exit 2, code usage (the help is for people, not for --json)", async () => {
    const r = await simcel(["--json"], {});
    expect(r.exit).toBe(2);
    expectErrorObject(r.stdout, r.stderr, { code: "usage" });
  });

  it("no credential: exit 4, code config_invalid", async () => {
    const r = await simcel(["plans", "--json"], { SIMCEL_BASE_URL: sandbox.url });
    expect(r.exit).toBe(4);
    expectErrorObject(r.stdout, r.stderr, { code: "config_invalid" });
  });

  it("a server that echoes the key and token: neither reaches the --json error object", async () => {
    sandbox.fail({ operation: "api", kind: "echo", status: 403, text: (r) => `key ${r.apiKey} token ${r.token}` });
    const r = await simcel(["plans", "--json"], { SIMCEL_BASE_URL: sandbox.url, SIMCEL_API_KEY: apiKey });
    expect(r.exit).toBe(5);
    const error = expectErrorObject(r.stdout, r.stderr, { code: "permission_denied", status: 403 });
    expect(error.message).toContain("[redacted]");
    expect(r.stdout + r.stderr).not.toContain(apiKey);
    expect(r.stdout + r.stderr).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
  });

  it("a failure without --json prints nothing on stdout", async () => {
    sandbox.fail({ operation: "api", status: 404 });
    const r = await simcel(["plans"], { SIMCEL_BASE_URL: sandbox.url, SIMCEL_API_KEY: apiKey });
    expect(r.exit).toBe(3);
    expect(r.stdout).toBe("");
  });
});

describe("through the real process (the built dist/cli.js)", () => {
  const env = () => ({ SIMCEL_BASE_URL: sandbox.url, SIMCEL_API_KEY: apiKey, SIMCEL_TOKEN_CACHE: "off" });
  const rows: Array<[string, FailOptions | undefined, string[], number, string]> = [
    ["404", { operation: "api", status: 404 }, ["pnl", "--plan", "p"], 3, "not_found"],
    ["429, retried then given up", { operation: "api", status: 429, retryAfterS: 0 }, ["plans"], 75, "rate_limited"],
    ["403", { operation: "api", status: 403 }, ["demand", "--plan", "p"], 5, "permission_denied"],
    ["refused sign-in", { operation: "token", status: 401 }, ["token"], 4, "token_request_rejected"],
  ];
  for (const [name, fault, argv, exit, code] of rows)
    it(`${name}: exit ${exit}, ${code}`, async () => {
      if (fault) sandbox.fail(fault);
      const r = await runCli([...argv, "--json"], env());
      expect(r.exit, r.stderr).toBe(exit);
      expectErrorObject(r.stdout, r.stderr, {
        code,
        status: fault?.kind === undefined ? (fault as { status: number }).status : undefined,
      });
    });

  it("a closed port: exit 75 from the shell", async () => {
    const r = await runCli(["plans", "--json"], {
      SIMCEL_BASE_URL: `http://127.0.0.1:${closedPort}`,
      SIMCEL_TOKEN: "tok_test_closed_port",
    });
    expect(r.exit, r.stderr).toBe(75);
    expectErrorObject(r.stdout, r.stderr, { code: "connection_failed" });
  });
});
