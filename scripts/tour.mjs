#!/usr/bin/env node
// `pnpm start`: a short guided tour of the simcel CLI. Without SIMCEL credentials it starts a SIMCEL sandbox
// (@simcel/sandbox: invented plans and figures from seed 1, real sign-in and scopes) in this process on a free
// loopback port and signs in with a sandbox API key through the real key-exchange flow; with credentials it
// tours SIMCEL_BASE_URL (or production) and never starts one. Each step runs the built CLI as a child process,
// exactly as a user would type it. (`pnpm mock` serves the spec's examples with Prism instead.)
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "./prism.mjs";

const cli = resolve(repoRoot, "packages/cli/dist/cli.js");
const sandboxModule = resolve(repoRoot, "packages/sandbox/dist/index.js");
const CREDENTIAL_VARIABLES = ["SIMCEL_API_KEY", "SIMCEL_CLIENT_ID", "SIMCEL_CLIENT_SECRET", "SIMCEL_TOKEN"];

/** Any credential variable set means "use my account": never fall back to the sandbox then. */
function hasCredentials(env) {
  return CREDENTIAL_VARIABLES.some((name) => env[name]?.trim());
}

/** The first plan and up to three of its scenarios, the committed one first (the comparison's base). */
function pickTour(plansBody) {
  const plan = plansBody.plans?.[0];
  if (!plan) return undefined;
  const committed = plan.scenarios.filter((s) => s.flags.includes("committed"));
  const others = plan.scenarios.filter((s) => !s.flags.includes("committed"));
  return { planId: plan.id, scenarioIds: [...committed, ...others].slice(0, 3).map((s) => s.id) };
}

let sandbox;
let child;
/** The sandbox tour's token cache: a throwaway directory, so nothing of a demo lands in the user's home. */
let cacheDir;
let stopping = false;

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  if (sandbox) {
    await sandbox.close();
    process.stderr.write(`simcel tour: stopped the sandbox at ${sandbox.url}\n`);
  }
  if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  process.exit(code);
}

/**
 * Runs the CLI; resolves to its exit code, its stdout when `capture` is set, and its stderr (which
 * is still shown as it comes) when `teeStderr` is set.
 */
function simcel(args, env, capture = false, teeStderr = false) {
  return new Promise((done, fail) => {
    child = spawn(process.execPath, [cli, ...args], {
      cwd: repoRoot,
      env,
      stdio: ["ignore", capture ? "pipe" : "inherit", teeStderr ? "pipe" : "inherit"],
    });
    let out = "";
    let err = "";
    child.stdout?.on("data", (chunk) => {
      out += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      err += chunk;
      process.stderr.write(chunk);
    });
    child.once("error", fail);
    child.once("close", (code, signal) => done({ code: code ?? (signal ? 1 : 0), out, err }));
  });
}

async function main() {
  if (!existsSync(cli)) {
    process.stderr.write(`simcel tour: ${cli} is missing: build first (pnpm build), or run \`pnpm start\`\n`);
    return 1;
  }
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => shutdown(signal === "SIGINT" ? 130 : 143));

  let env;
  if (hasCredentials(process.env)) {
    env = { ...process.env };
    const target = env.SIMCEL_BASE_URL?.trim() || "https://app.simcel.io/api";
    process.stderr.write(`simcel tour: using your SIMCEL credentials against ${target}\n`);
  } else {
    if (!existsSync(sandboxModule)) {
      process.stderr.write(
        `simcel tour: ${sandboxModule} is missing: build first (pnpm build), or run \`pnpm start\`\n`,
      );
      return 1;
    }
    const { startSandbox } = await import(pathToFileURL(sandboxModule).href);
    sandbox = await startSandbox({ seed: 1 });
    // Only the sandbox's key and URL: a stray SIMCEL_* variable must not reach the sandbox tour.
    env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("SIMCEL_")));
    cacheDir = mkdtempSync(join(tmpdir(), "simcel-tour-cache-"));
    Object.assign(env, {
      // SIMCEL's shape (…/api), so the tour runs on the same URLs as code written against app.simcel.io/api
      SIMCEL_BASE_URL: sandbox.apiUrl,
      SIMCEL_API_KEY: sandbox.createApiKey({ scopes: ["insights:read", "plans:read"] }),
      XDG_CACHE_HOME: cacheDir,
    });
    process.stderr.write(
      `simcel tour: no SIMCEL credentials set (SIMCEL_API_KEY, or SIMCEL_CLIENT_ID + SIMCEL_CLIENT_SECRET, or SIMCEL_TOKEN),\n` +
        `simcel tour: so this tour uses the SIMCEL SANDBOX (@simcel/sandbox) at ${sandbox.url}: plans and figures invented from seed ${sandbox.seed},\n` +
        "simcel tour: not real data; sign-in is the real key exchange with a sandbox key. (`pnpm mock` serves the spec's examples instead.)\n",
    );
  }

  const out = (text) => process.stdout.write(text);
  const STEPS = 6;
  let step = 0;
  const run = async (title, args, teeStderr = false) => {
    step += 1;
    out(`\n━━ ${step}/${STEPS}  ${title}\n$ simcel ${args.join(" ")}\n\n`);
    const result = await simcel(args, env, false, teeStderr);
    if (result.code !== 0)
      throw Object.assign(new Error(`step ${step} (simcel ${args.join(" ")}) failed with exit ${result.code}`), {
        code: result.code,
      });
    return result;
  };

  out("SIMCEL CLI tour: every step below is the simcel command, as you would type it.\n");
  await run("Sign in and see who you are", ["token"]);
  const listed = await simcel(["plans", "--json"], env, true);
  if (listed.code !== 0)
    throw Object.assign(new Error(`simcel plans --json failed with exit ${listed.code}`), { code: listed.code });
  const tour = pickTour(JSON.parse(listed.out));
  await run("Plans, their scenarios and flags", ["plans"]);
  if (!tour) {
    out("\nNo plan is visible to this credential: the tour ends here.\n");
    return 0;
  }
  const scenarios = tour.scenarioIds.length ? ["--scenarios", tour.scenarioIds.join(",")] : [];
  await run("P&L summary of up to three scenarios of the first plan", ["pnl", "--plan", tour.planId, ...scenarios]);
  await run("Comparison against the committed scenario", ["compare", "--plan", tour.planId, ...scenarios]);
  await run("Monthly demand forecast", ["demand", "--plan", tour.planId, "--interval", "M", ...scenarios]);
  // The report goes to reports/ (git-ignored) unless SIMCEL_TOUR_REPORT_DIR names another folder.
  const reportDir = process.env.SIMCEL_TOUR_REPORT_DIR?.trim() || "reports";
  mkdirSync(resolve(repoRoot, reportDir), { recursive: true });
  const report = await run(
    "A one-file HTML report: EBIT bridge, P&L comparison, monthly demand, CO2",
    ["report", "--plan", tour.planId, ...scenarios, "--out", reportDir],
    true,
  );
  const written = /wrote (\S+) /.exec(report.err)?.[1];
  if (written) out(`\nThe report is ${written}\nOpen it in any browser: it loads nothing from the network.\n`);
  out("\nTour done. Next: node packages/cli/dist/cli.js --help (or `simcel --help` once @simcel/cli is installed).\n");
  return 0;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  // After Ctrl-C the interrupted step fails too: that is not news worth a line.
  if (!stopping) process.stderr.write(`simcel tour: ${error.message}\n`);
  code = error.code ?? 1;
}
await shutdown(code);
