// The whole CLI as a function of (argv, environment, streams) → exit code, so tests can run it
// in-process with an injected fetch, and `cli.ts` is only the process glue.
import { readFileSync } from "node:fs";
import {
  createAuthMiddleware,
  createTokenCache,
  credentialFromEnv,
  type EnvCredential,
  type Logger,
  redactSecrets,
  SimcelAuthConfigError,
} from "@simcel/auth";
import {
  type ClientCall,
  type CompareOutcome,
  createLineLogger,
  OPERATIONS,
  readTokenClaims,
  safeJson,
  safeText,
} from "@simcel/commands";
import {
  createInsightsClient,
  type DemandForecast,
  defaultBaseUrl,
  type InsightsClient,
  operations,
  type PlansResponse,
  type PnlSummary,
  type Sustainability,
} from "@simcel/insights";
import { parseCommandLine } from "./args.js";
import { COMMANDS } from "./commands.js";
import { describeError } from "./describe-error.js";
import { EXIT, UsageError } from "./errors.js";
import { commandHelp, globalHelp } from "./help.js";
import { type CliSandbox, startCliSandbox, wantsSandbox } from "./sandbox.js";
import { withSpinner } from "./spinner.js";
import { createStyler, type OutStream } from "./style.js";
import { runTokenCache } from "./token-cache.js";
import { renderCo2 } from "./views/co2.js";
import { renderComparison } from "./views/compare.js";
import type { ViewContext } from "./views/context.js";
import { renderDemand } from "./views/demand.js";
import { renderPlans } from "./views/plans.js";
import { renderPnl } from "./views/pnl.js";
import { renderToken, type TokenReport } from "./views/token.js";

/** Everything the CLI touches outside itself. */
export interface CliIo {
  /** Environment variables (credentials, SIMCEL_BASE_URL, NO_COLOR). */
  env: Record<string, string | undefined>;
  stdout: OutStream;
  stderr: OutStream;
  /** The fetch for API calls (token calls use `globalThis.fetch`); default `globalThis.fetch`. */
  fetch?: (request: Request) => Promise<Response>;
  /** The clock, for the generatedAt age and token expiry. */
  now?: () => number;
}

/** The version of @simcel/cli, read from its package.json (one directory above src/ and dist/). */
export function cliVersion(): string {
  return JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version;
}

/** What the spinner says while each API call runs. */
const LOADING: Record<ClientCall, string> = {
  listPlans: "Loading plans…",
  getPlan: "Loading plan…",
  getPnlSummary: "Loading P&L summary…",
  getDemandForecast: "Loading demand forecast…",
  getSustainability: "Loading CO2…",
};

/** How a command's outcome is printed: `--json` (the API's body, or the comparison) and as tables. */
interface View {
  json(outcome: unknown): unknown;
  human(outcome: unknown, context: ViewContext, params: Record<string, string | string[]>): string;
}
const view = <T>(
  json: (o: T) => unknown,
  human: (o: T, c: ViewContext, p: Record<string, string | string[]>) => string,
) => ({ json, human }) as View;
const co2Default = OPERATIONS.co2.parameters.find((p) => p.name === "groupBy")?.facts.default;

/** The CLI-only presentation of each operation of the command table. */
const VIEWS: Record<string, View> = {
  plans: view<PlansResponse>((b) => b, renderPlans),
  pnl: view<PnlSummary>((b) => b, renderPnl),
  demand: view<DemandForecast>((b) => b, renderDemand),
  co2: view<Sustainability>(
    (b) => b,
    (b, c, p) => renderCo2(b, c, (p.groupBy as string | undefined) ?? co2Default),
  ),
  compare: view<CompareOutcome>(
    (o) => o.comparison,
    (o, c) => renderComparison(o.comparison, o.summary, c),
  ),
};

const toIso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/**
 * Runs `simcel` with `argv` (without node and script) and resolves to its exit code. Every line it
 * prints passes through `redactSecrets`: no key, secret or token the process has used can show, whatever
 * a server echoes (only `simcel token --show-token` prints the token, because it was asked to).
 */
export async function run(argv: string[], cliIo: CliIo): Promise<number> {
  let sandbox: CliSandbox | undefined;
  try {
    return await runCommand(argv, cliIo, (started) => {
      sandbox = started;
    });
  } finally {
    await sandbox?.close();
  }
}

async function runCommand(argv: string[], cliIo: CliIo, onSandbox: (sandbox: CliSandbox) => void): Promise<number> {
  let command: string | undefined;
  let baseUrl: string | undefined;
  let showToken = false;
  const redacting = (stream: OutStream): OutStream => ({
    write: (chunk: string) => stream.write(showToken ? chunk : redactSecrets(chunk)),
    ...(stream.isTTY !== undefined && { isTTY: stream.isTTY }),
  });
  const io: CliIo = { ...cliIo, stdout: redacting(cliIo.stdout), stderr: redacting(cliIo.stderr) };
  try {
    const parsed = parseCommandLine(argv);
    command = parsed.command;
    const { values } = parsed;
    if (values.version) {
      io.stdout.write(`${cliVersion()}\n`);
      return EXIT.ok;
    }
    if (values.help) {
      io.stdout.write(command ? commandHelp(command) : globalHelp());
      return EXIT.ok;
    }
    if (!command) {
      io.stderr.write(globalHelp());
      return EXIT.usage;
    }
    const string = (name: string) => (typeof values[name] === "string" ? (values[name] as string) : undefined);
    const lines = createLineLogger({
      level: io.env.SIMCEL_LOG,
      debug: io.env.DEBUG,
      name: "simcel",
      write: (line) => io.stderr.write(line),
      redact: redactSecrets,
      ...(io.now && { now: io.now }),
    });
    if (lines.warning) io.stderr.write(`${lines.warning}\n`);
    const logger: Logger | undefined = Object.keys(lines.logger).length > 0 ? lines.logger : undefined;
    let env = { ...io.env, ...(string("base-url") ? { SIMCEL_BASE_URL: string("base-url") } : {}) };
    const sandboxed = wantsSandbox(values.sandbox === true, io.env);
    if (sandboxed) {
      if (string("base-url"))
        throw new UsageError(`simcel ${command}: --sandbox and --base-url do not go together: the sandbox is the API`);
      const started = await startCliSandbox(io.env);
      onSandbox(started);
      env = started.env;
      io.stderr.write("note: --sandbox: a local SIMCEL sandbox with invented data (seed 1), not your account\n");
    }
    // simcel doctor reports a missing or broken credential as a finding rather than failing on it; all of
    // it is in src/doctor/, loaded only here.
    if (command === "doctor")
      return await (await import("./doctor/index.js")).runDoctor({
        values,
        env,
        stdout: io.stdout,
        stderr: io.stderr,
        fetch: io.fetch,
        now: io.now ?? Date.now,
        version: cliVersion(),
        logger,
        style: createStyler(io.stdout, io.env),
      });
    // A missing credential is reported when a command first needs a token, so that flag mistakes
    // (checked locally, without the network) are reported first.
    let credential: EnvCredential | undefined;
    let credentialError: unknown;
    try {
      credential = credentialFromEnv(env);
    } catch (error) {
      // The user typed --base-url, not SIMCEL_BASE_URL: name what they typed.
      if (error instanceof SimcelAuthConfigError && error.setting === "SIMCEL_BASE_URL" && string("base-url"))
        throw new UsageError(
          `simcel ${command}: ${error.message.replace(/^\[@simcel\/auth\] /, "").replace("SIMCEL_BASE_URL", "--base-url")}`,
        );
      if (!(error instanceof SimcelAuthConfigError) || error.setting === "SIMCEL_BASE_URL") throw error;
      credentialError = error;
    }
    const requireCredential = (): EnvCredential => {
      if (!credential) throw credentialError;
      return credential;
    };
    baseUrl = credential?.baseUrl ?? env.SIMCEL_BASE_URL ?? defaultBaseUrl;
    if (!/^https?:\/\/./.test(baseUrl))
      throw new UsageError(
        `simcel ${command}: ${string("base-url") ? "--base-url" : "SIMCEL_BASE_URL"} must be an http(s) URL such as ${defaultBaseUrl}`,
      );
    const json = values.json === true;
    const now = io.now ?? Date.now;
    const context = (): ViewContext => ({ style: createStyler(io.stdout, io.env), nowMs: now() });
    // --json: the API's body exactly (safeJson only writes C1 and bidi characters as \u escapes); for people,
    // the views show every API string through safeText.
    const print = (body: unknown, human: () => string) =>
      io.stdout.write(json ? `${safeJson(body, null, 2)}\n` : human());
    const spin = <T>(label: string, task: () => Promise<T>) => withSpinner(io.stderr, label, task);

    // the token kept between runs (a sealed file store), unless turned off
    const between = credential && !sandboxed ? runTokenCache(io.env, values["no-token-cache"] === true) : undefined;

    if (command === "token") {
      const credential = requireCredential();
      let from: "cache" | "endpoint" | undefined;
      const cache = createTokenCache(credential, {
        ...(logger && { logger }),
        ...(between && { store: between.store }),
        hooks: { onTokenRefresh: (event) => (from = event.source === "store" ? "cache" : "endpoint") },
      });
      const token = await spin("Signing in…", () => cache.getToken());
      const claims = readTokenClaims(token.token);
      const report: TokenReport = {
        kind: credential.kind,
        source: credential.variables.filter((v) => v !== "SIMCEL_BASE_URL").join(", "),
        baseUrl: credential.baseUrl,
        tokenType: token.tokenType,
        // A static token has no known expiry; its JWT `exp` claim, if any, is the best we know.
        expiresAt: toIso(Number.isFinite(token.expiresAt) ? token.expiresAt : claims?.expiresAt),
        scopes: claims?.scopes ?? null,
        subject: claims?.sub ?? null,
        tokenFrom:
          credential.kind === "static"
            ? "SIMCEL_TOKEN"
            : from === "cache"
              ? `the token cache (${between?.dir})`
              : "the token endpoint",
        ...(values["show-token"] === true ? { token: token.token } : {}),
      };
      showToken = values["show-token"] === true;
      print(report, () => renderToken(report, context()));
      return EXIT.ok;
    }

    const client: InsightsClient = createInsightsClient({
      baseUrl,
      middleware: [
        credential
          ? createAuthMiddleware({
              credential,
              ...(logger && { logger }),
              ...(between && { store: between.store }),
            })
          : {
              onRequest: () => {
                requireCredential();
              },
            },
      ],
      ...(io.fetch ? { fetch: io.fetch } : {}),
      ...(logger && { logger }),
    });
    // simcel report: everything else is in src/report/, loaded only here (its chart libraries would
    // add ≈ 170 ms to the start of every other command).
    if (command === "report")
      return await (await import("./report/index.js")).runReport({
        values,
        client,
        stdout: io.stdout,
        stderr: io.stderr,
        now,
        baseUrl,
        version: cliVersion(),
      });

    const spec = COMMANDS[command];
    const operation = spec?.operation;
    if (!operation) throw new UsageError(`simcel: unknown command "${command}"; see simcel --help`);
    // Each flag given becomes its API parameter (from the command table), and is validated by the
    // insights client's checks, which are generated from the spec. A required flag is checked here
    // first so the message names the flag and where its value comes from.
    const params: Record<string, string | string[]> = {};
    for (const p of operation.parameters) {
      const value = string(p.flag);
      if (!value) {
        if (p.required)
          throw new UsageError(
            `simcel ${command}: --${p.flag} ${p.value} is required${p.name === "planId" ? "; list plans with: simcel plans" : ""}`,
          );
        continue;
      }
      params[p.name] = p.facts.type === "array" ? value.split(",").map((s) => s.trim()) : value;
    }

    if (operation.availability === "coming-soon") {
      const { method, path } = operations[operation.operationId];
      io.stderr.write(`note: SIMCEL documents ${method} ${path} as coming soon; its shape may still change\n`);
    }
    const outcome = await operation.run(client, params, { step: (call, task) => spin(LOADING[call], task) });
    const view = VIEWS[operation.command];
    if (!view) throw new Error(`simcel ${command}: no view`);
    print(view.json(outcome), () => view.human(outcome, context(), params));
    return EXIT.ok;
  } catch (error) {
    const report = describeError(error, command, baseUrl);
    // the line may quote the server: redacted, then shown through safeText (it stays one line)
    io.stderr.write(`${safeText(redactSecrets(report.line))}\n`);
    return report.exitCode;
  }
}
