#!/usr/bin/env node
// simcel-sandbox: a SIMCEL sandbox in its own process. It prints the URL and a ready API key, and serves until
// it is stopped (Ctrl-C, SIGTERM).
import { parseArgs } from "node:util";
import { SimcelSandboxError } from "./errors.js";
import { startSandbox } from "./sandbox.js";

const USAGE = `simcel-sandbox — a SIMCEL you can run: seeded plans, real sign-in and scopes, faults on demand

Usage: simcel-sandbox [--port N] [--seed N] [--host ADDRESS]

  --port N          port to listen on (default 4011; 0 picks a free one)
  --seed N          seed of the plans, figures and keys (default 1): the same seed, the same sandbox
  --host ADDRESS    address to listen on (default 127.0.0.1)
  -h, --help        this text
  -V, --version     the version

It prints SIMCEL_BASE_URL and SIMCEL_API_KEY to use with the SDK, the simcel CLI or your own code,
then serves until stopped. Faults are set from code: import { startSandbox } from "@simcel/sandbox".
`;

/** Exit codes by class, as simcel and simcel-mcp have them: 2 a flag to fix, 75 (EX_TEMPFAIL) retry later. */
function fail(message: string, exitCode = 2): never {
  process.stderr.write(`simcel-sandbox: ${message}; see simcel-sandbox --help\n`);
  process.exit(exitCode);
}

function whole(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value)) fail(`--${name} must be a whole number, got "${text}"`);
  return value;
}

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: "string" },
      seed: { type: "string" },
      host: { type: "string" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "V" },
    },
    strict: true,
  }));
} catch (error) {
  fail((error as Error).message.replace(/\. To specify.*$/s, ""));
}
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (values.version) {
  const { readFileSync } = await import("node:fs");
  process.stdout.write(`${JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version}\n`);
  process.exit(0);
}

const port = whole("port", values.port as string | undefined, 4011);
const seed = whole("seed", values.seed as string | undefined, 1);
try {
  const sandbox = await startSandbox({ port, seed, host: (values.host as string | undefined) ?? "127.0.0.1" });
  const key = sandbox.createApiKey({ scopes: ["insights:read", "plans:read"] });
  const plans = sandbox.plans.map((p) => `  ${p.id}  ${p.name} (${p.currency}, ${p.scenarios.length} scenarios)`);
  process.stdout.write(
    `SIMCEL sandbox (seed ${seed}) listening on ${sandbox.url}\n\n` +
      `  export SIMCEL_BASE_URL=${sandbox.url}\n` +
      `  export SIMCEL_API_KEY=${key}\n\n` +
      `The key's scopes: insights:read plans:read. Its plans:\n${plans.join("\n")}\n\n` +
      "Invented data for testing, not SIMCEL's. Stop with Ctrl-C.\n",
  );
  const stop = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
} catch (error) {
  // a port in use may be free in a moment (a previous sandbox still closing): temporary
  if (error instanceof SimcelSandboxError)
    fail(error.message.replace(/^\[@simcel\/sandbox\] /, ""), / is in use/.test(error.message) ? 75 : 2);
  throw error;
}
