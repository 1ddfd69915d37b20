// The whole CLI as a function of (argv, environment, streams) → exit code, so tests can run it
// in-process with an injected fetch, and `cli.ts` is only the process glue.
import { readFileSync } from "node:fs";
import { createAuthMiddleware, credentialFromEnv, type EnvCredential, SimcelAuthConfigError } from "@simcel/auth";
import {
  compareScenarios,
  createInsightsClient,
  type DemandForecastParams,
  defaultBaseUrl,
  type InsightsClient,
  operations,
  type PnlSummaryParams,
  type SustainabilityParams,
} from "@simcel/insights";
import { parseCommandLine } from "./args.js";
import { COMMANDS } from "./commands.js";
import { describeError } from "./describe-error.js";
import { EXIT, UsageError } from "./errors.js";
import { commandHelp, globalHelp } from "./help.js";
import { readTokenClaims } from "./jwt.js";
import { withSpinner } from "./spinner.js";
import { createStyler, type OutStream } from "./style.js";
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

const toIso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/** Runs `simcel` with `argv` (without node and script) and resolves to its exit code. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  let command: string | undefined;
  let baseUrl: string | undefined;
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
    const env = { ...io.env, ...(string("base-url") ? { SIMCEL_BASE_URL: string("base-url") } : {}) };
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
    const print = (body: unknown, human: () => string) =>
      io.stdout.write(json ? `${JSON.stringify(body, null, 2)}\n` : human());
    const spin = <T>(label: string, task: () => Promise<T>) => withSpinner(io.stderr, label, task);

    if (command === "token") {
      const credential = requireCredential();
      const token = await spin("Signing in…", () => credential.getToken());
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
        ...(values["show-token"] === true ? { token: token.token } : {}),
      };
      print(report, () => renderToken(report, context()));
      return EXIT.ok;
    }

    const client: InsightsClient = createInsightsClient({
      baseUrl,
      middleware: [
        credential
          ? createAuthMiddleware({ credential })
          : {
              onRequest: () => {
                requireCredential();
              },
            },
      ],
      ...(io.fetch ? { fetch: io.fetch } : {}),
    });
    // simcel report (issue 12): everything else is in src/report/, loaded only here (its chart
    // libraries would add ≈ 170 ms to the start of every other command).
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
    if (command === "plans") {
      const body = await spin("Loading plans…", () => client.listPlans());
      print(body, () => renderPlans(body, context()));
      return EXIT.ok;
    }

    const planId = string("plan");
    if (!planId) throw new UsageError(`simcel ${command}: --plan ID is required; list plans with: simcel plans`);
    // Each flag given becomes its API parameter (from the command table), and is validated by
    // the insights client's checks, which are generated from the spec.
    const query: Record<string, string | string[]> = { planId };
    for (const [flag, spec] of Object.entries(COMMANDS[command]?.flags ?? {})) {
      const value = string(flag);
      if (!value || !spec.param || spec.param === "baseScenarioId") continue;
      query[spec.param] = spec.param === "scenarioIds" ? value.split(",").map((s) => s.trim()) : value;
    }

    if (command === "pnl") {
      const body = await spin("Loading P&L summary…", () => client.getPnlSummary(query as PnlSummaryParams));
      print(body, () => renderPnl(body, context()));
    } else if (command === "demand") {
      const body = await spin("Loading demand forecast…", () =>
        client.getDemandForecast(query as DemandForecastParams),
      );
      print(body, () => renderDemand(body, context()));
    } else if (command === "co2") {
      io.stderr.write(
        "note: SIMCEL documents the sustainability endpoint as coming soon; its shape may still change\n",
      );
      const body = await spin("Loading CO2…", () => client.getSustainability(query as SustainabilityParams));
      print(body, () => renderCo2(body, context(), string("group-by") ?? "dc"));
    } else if (command === "compare") {
      let base = string("base");
      if (!base) {
        // The P&L response carries no flags: the plan says which scenario is the committed one.
        const plan = await spin("Loading plan…", () => client.getPlan(planId));
        const pick = (flag: string) => plan.scenarios.find((s) => (s.flags as string[]).includes(flag));
        base = (pick("committed") ?? pick("primary") ?? plan.scenarios[0])?.id;
        if (!base) throw new UsageError(`simcel compare: plan ${planId} has no scenarios to compare`);
      }
      // The base must be in the summary to compare against it.
      const ids = query.scenarioIds as string[] | undefined;
      if (ids) {
        query.scenarioIds = [base, ...ids.filter((s) => s !== base)];
        const max = operations.getPnlSummary.query.scenarioIds.maxItems;
        if (query.scenarioIds.length > max)
          throw new UsageError(
            `simcel compare: --scenarios and the base ${base} make ${query.scenarioIds.length} scenarios, the API takes at most ${max}: name at most ${max - 1} besides the base`,
          );
      }
      const params = { ...query, interval: "FY" } as PnlSummaryParams;
      const body = await spin("Loading P&L summary…", () => client.getPnlSummary(params));
      const comparison = compareScenarios(body, { baseScenarioId: base });
      print(comparison, () => renderComparison(comparison, body, context()));
    }
    return EXIT.ok;
  } catch (error) {
    const report = describeError(error, command, baseUrl);
    io.stderr.write(`${report.line}\n`);
    return report.exitCode;
  }
}
