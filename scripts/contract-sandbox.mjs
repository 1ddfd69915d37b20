#!/usr/bin/env node
// `node scripts/contract-sandbox.mjs [--no-build]`: the sandbox never drifts from the spec. It builds (unless
// --no-build), starts a sandbox
// (@simcel/sandbox, seed 1) in this process, and runs the WHOLE contract suite against it as a live run
// (SIMCEL_CONTRACT_BASE_URL + a sandbox API key) through `pnpm contract:proxy`'s validating Prism, which checks
// every request and answer against a closed copy of the spec. It writes vitest's JSON report to
// reports/vitest-sandbox.json and the violations to reports/contract-violations-sandbox.json, prints both
// counts, and exits 1 if a test failed, a file broke, or Prism saw one violation or more: an answer off the spec,
// or a request off the spec that the sandbox did not refuse (the suite's negative tests send a few on purpose —
// no bearer, a broken token body — and the sandbox must answer those with the spec's 401 or 400).
//
// The suite's own rules for live runs apply (scripts/test/contract-env.ts): tests that need Prism's `Prefer`
// tricks or the spec's example figures are skipped with their reason, and so are the client-credentials tests
// of a run signed in with an API key — a second pass signs in with a sandbox OAuth2 client and runs the files
// that hold those, so both sign-ins are checked too. A third pass (contract-sandbox-errors.mjs) sends what a
// live run never asks for: every refusal (400, 403, 404, 422, 429) and every documented error status of every
// operation, each checked for its status and its body validated by the same proxy.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { startContractProxy, writeViolationReport } from "./contract-proxy.mjs";
import { askEveryError } from "./contract-sandbox-errors.mjs";
import { repoRoot } from "./prism.mjs";
import { readVitestReport } from "./vitest-report.mjs";

const bin = (name) => resolve(repoRoot, "node_modules/.bin", name);
const reports = resolve(repoRoot, "reports");
const quiet = { TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1", REDOCLY_TELEMETRY: "off" };
/** The files with client-credentials tests (gated by `lacksCredential("clientCredentials")`). */
const CLIENT_CREDENTIAL_FILES = [
  "packages/auth/test/auth.contract.test.ts",
  "scripts/test/sdk.contract.test.ts",
  "scripts/test/spec.contract.test.ts",
  "packages/cli/test/cli.contract.test.ts",
];

/** Runs `command` to completion with `env`; resolves to its exit code. */
function run(command, args, env) {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: repoRoot, env, stdio: "inherit" });
    child.once("error", fail);
    child.once("close", (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

async function main() {
  const started = performance.now();
  // `pnpm test` builds first and runs this beside the tests: a second turbo build would restore dist/ from its
  // cache under their feet (files missing for a moment), so it passes --no-build
  if (!process.argv.includes("--no-build")) {
    const build = spawnSync(bin("turbo"), ["run", "build", "--output-logs=errors-only"], {
      cwd: repoRoot,
      env: { ...process.env, ...quiet },
      stdio: "inherit",
    });
    if (build.status !== 0) return build.status ?? 1;
  }
  const { startSandbox } = await import(resolve(repoRoot, "packages/sandbox/dist/index.js"));
  const sandbox = await startSandbox({ seed: 1 });
  const apiKey = sandbox.createApiKey({ scopes: ["insights:read", "plans:read"] });
  const client = sandbox.createClient({ scopes: ["insights:read", "plans:read"] });
  mkdirSync(reports, { recursive: true });
  // never a developer's own SIMCEL_* settings: only the sandbox's
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("SIMCEL_")));
  const passes = [
    {
      label: "API key",
      credential: { SIMCEL_API_KEY: apiKey },
      files: [],
      vitest: resolve(reports, "vitest-sandbox.json"),
      violations: resolve(reports, "contract-violations-sandbox.json"),
    },
    {
      label: "OAuth2 client credentials",
      credential: {
        SIMCEL_CLIENT_ID: client.clientId,
        SIMCEL_CLIENT_SECRET: client.clientSecret,
        SIMCEL_SCOPES: "insights:read plans:read",
      },
      files: CLIENT_CREDENTIAL_FILES,
      vitest: resolve(reports, "vitest-sandbox-client-credentials.json"),
      violations: resolve(reports, "contract-violations-sandbox-client-credentials.json"),
    },
  ];
  const outcome = [];
  try {
    for (const pass of passes) {
      rmSync(pass.vitest, { force: true });
      process.stderr.write(
        `\ncontract:sandbox: the contract suite against ${sandbox.url}, signed in with a sandbox ${pass.label}\n`,
      );
      const code = await run(
        process.execPath,
        [
          resolve(repoRoot, "scripts/contract-proxy.mjs"),
          `--report=${pass.violations}`,
          "--",
          bin("vitest"),
          "run",
          "--project",
          "contract",
          ...pass.files,
          "--reporter=default",
          "--reporter=json",
          `--outputFile.json=${pass.vitest}`,
        ],
        { ...base, ...quiet, SIMCEL_CONTRACT_BASE_URL: sandbox.url, ...pass.credential },
      );
      let tests;
      try {
        tests = readVitestReport(pass.vitest);
      } catch {
        tests = { passed: 0, failed: 0, skipped: 0, broken: [`no test report was written (${pass.vitest})`] };
      }
      const report = JSON.parse(readFileSync(pass.violations, "utf8"));
      // A request off the spec is the suite's doing (its negative tests: no bearer, a broken token body); the
      // sandbox's part is to refuse it as the spec says. One it answered with a 2xx, and any answer off the
      // spec, is the sandbox drifting.
      const drift = report.violations.filter((v) => v.side !== "request" || v.status < 400);
      const refused = report.violations.filter((v) => !drift.includes(v));
      const count = drift.reduce((sum, v) => sum + v.count, 0);
      outcome.push({ ...pass, code, tests, answers: report.answers, count, distinct: drift, refused });
    }
    // the refusals and error statuses the live suite never asks for, through the same validating proxy
    process.stderr.write(`\ncontract:sandbox: every refusal and documented error status of every operation\n`);
    const proxy = await startContractProxy({ upstream: sandbox.url });
    const path = resolve(reports, "contract-violations-sandbox-errors.json");
    let asked = { sent: [], wrong: [] };
    try {
      asked = await askEveryError(sandbox, proxy.url);
    } finally {
      const violations = proxy.violations();
      const exchanges = proxy.exchanges();
      const notes = await proxy.stop();
      writeViolationReport(path, {
        upstream: sandbox.url,
        violations,
        exchanges,
        notes,
        command: "scripts/contract-sandbox-errors.mjs",
        exitCode: asked.wrong.length ? 1 : 0,
      });
    }
    const report = JSON.parse(readFileSync(path, "utf8"));
    const drift = report.violations.filter((v) => v.side !== "request" || v.status < 400);
    outcome.push({
      label: "errors",
      code: 0,
      tests: {
        passed: asked.sent.length - asked.wrong.length,
        failed: asked.wrong.length,
        skipped: 0,
        broken: asked.wrong,
      },
      vitest: "(requests, each checked for its status)",
      violations: path,
      answers: report.answers,
      count: drift.reduce((sum, v) => sum + v.count, 0),
      distinct: drift,
      refused: report.violations.filter((v) => !drift.includes(v)),
    });
  } finally {
    await sandbox.close();
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  let ok = true;
  for (const o of outcome) {
    process.stdout.write(
      `contract:sandbox (${o.label}): ${o.tests.passed} passed, ${o.tests.failed} failed, ${o.tests.skipped} skipped → ${o.vitest}\n` +
        `contract:sandbox (${o.label}): ${o.answers} answers checked by Prism, ${o.count} violations (${o.distinct.length} distinct) → ${o.violations}\n`,
    );
    for (const v of o.distinct.slice(0, 10))
      process.stdout.write(
        `  ✖ ${v.operation ?? v.path} ${v.side} ${v.pointer ?? v.location} (answered ${v.status}): ${v.code} ${v.message} (×${v.count})\n`,
      );
    const refusedCount = o.refused.reduce((sum, v) => sum + v.count, 0);
    if (refusedCount)
      process.stdout.write(
        `contract:sandbox (${o.label}): and ${refusedCount} requests the suite sent off the spec on purpose, each refused as the spec says: ${o.refused
          .map((v) => `${v.operation} ${v.status} (${v.code}, ×${v.count})`)
          .join(", ")}\n`,
      );
    for (const b of o.tests.broken) process.stdout.write(`  ✖ ${b}\n`);
    if (o.code !== 0 || o.tests.failed > 0 || o.tests.passed === 0 || o.tests.broken.length || o.count > 0) ok = false;
  }
  process.stdout.write(`contract:sandbox: ${ok ? "the sandbox answers as the spec says" : "FAILED"} (${seconds} s)\n`);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`contract:sandbox: ${error instanceof Error ? error.stack : error}\n`);
    process.exit(1);
  },
);
