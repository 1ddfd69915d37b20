// What `simcel doctor` finds out, as data: the configuration it read, the sign-in, what the key may do,
// one call of each read operation, and every place where what the API said differs from the spec.
// Everything goes through the typed clients exactly as any command's calls do; the only addition is
// a watching `fetch` (the clients' own injection point) that notes each exchange's status, timing,
// `Date` header and 2xx body, so every body can be held against the spec in full.
import {
  createAuthMiddleware,
  createTokenCache,
  credentialFromEnv,
  type EnvCredential,
  type Logger,
  SimcelAuthConfigError,
} from "@simcel/auth";
import { readTokenClaims, tokenOperations, tokenShapes } from "@simcel/commands";
import {
  checkResponse,
  createInsightsClient,
  defaultBaseUrl,
  type InsightsClient,
  type Mismatch,
  operations,
  PermissionDeniedError,
  ResponseValidationError,
  type Shape,
  SimcelApiError,
  type SpecMismatchEvent,
  shapes,
} from "@simcel/insights";
import { describeError } from "../describe-error.js";
import { UsageError } from "../errors.js";

/** How bad a finding is: a problem makes `simcel doctor` exit 1; warnings and notes do not. */
export type Severity = "problem" | "warning" | "note";

/** The read operations, in the order they are called: every GET of the spec. */
export type ReadOperation = "listPlans" | "getPnlSummary" | "getDemandForecast" | "getSustainability";

/** One call each, as a user's code makes it: the plan's defaults, nothing else. */
const CALLS: Record<ReadOperation, (client: InsightsClient, planId: string) => Promise<unknown>> = {
  listPlans: (c) => c.listPlans(),
  getPnlSummary: (c, planId) => c.getPnlSummary({ planId }),
  getDemandForecast: (c, planId) => c.getDemandForecast({ planId }),
  getSustainability: (c, planId) => c.getSustainability({ planId }),
};
const READ_OPERATIONS = Object.keys(CALLS) as ReadOperation[];
/** Answers of an endpoint the spec marks `coming-soon` that mean "not there yet" rather than "broken". */
const NOT_THERE_YET = [404, 501];
/** Past this, clock skew is worth a warning: data ages and JWT expiry times shown are off by as much. */
const SKEW_WARNING_S = 60;

/** A difference between what the API does and the spec, once however many operations and rows show it. */
export interface SpecDifference {
  /** The operations it showed in: insights operation ids, or the token operation of the sign-in. */
  operations: string[];
  /** `response`: a field of a body; `request`: a parameter the SDK sent (the API's own plan id, say). */
  direction: "request" | "response";
  /** JSON pointer of the first place it was seen. */
  pointer: string;
  expected: string;
  actual: string;
  /** The spec only inferred this (`x-simcel-inferred`). */
  inferred: boolean;
  /** `problem` when the SDK's calls fail on it (documented structure); otherwise `warning`. */
  severity: Severity;
  /** In how many places of the answers (each row of a list, each operation). */
  count: number;
}

/** One call of one read operation. */
export interface OperationResult {
  operation: ReadOperation;
  method: string;
  path: string;
  /** The HTTP status of the last exchange; null when none was made. */
  status: number | null;
  /** From sending the request to the end of its body, in ms; null when none was made. */
  latencyMs: number | null;
  outcome: "ok" | "fails" | "refused" | "coming-soon" | "error" | "skipped";
  /** Why, for anything but `ok`. */
  detail?: string;
}

/** Everything `simcel doctor` found; the `--json` output. */
export interface DoctorReport {
  /** No problem found (exit 0). */
  ok: boolean;
  problems: number;
  warnings: number;
  versions: { cli: string; node: string; platform: string };
  configuration: {
    /** The environment variables the credential was built from: names only. */
    variables: string[];
    /** `--base-url` was given (it overrides SIMCEL_BASE_URL). */
    baseUrlFlag: boolean;
    credential: "apiKey" | "clientCredentials" | "static" | null;
    baseUrl: string;
    /** The spec's production server. */
    production: boolean;
    /** This machine's clock against the server's `Date` header; null when no answer carried one. */
    clock: { serverDate: string; skewSeconds: number } | null;
  };
  signIn: {
    /** `POST <url>` of the token request; null for a static token (SIMCEL_TOKEN). */
    endpoint: string | null;
    status: number | null;
    latencyMs: number | null;
    /** Seconds the token is valid for, as issued; null when unknown. */
    expiresIn: number | null;
    tokenType: string | null;
    /** From the JWT's `scope` (or `scp`) claim; null when the token does not say. */
    scopes: string[] | null;
    error?: string;
  } | null;
  /** Each read operation's scope (from the spec) and whether the token's scopes grant it (null: unknown). */
  access: { operation: ReadOperation; scope: string; granted: boolean | null }[];
  /** The plan the data operations were called on. */
  plan: { id: string; source: "--plan" | "first plan" } | null;
  operations: OperationResult[];
  spec: SpecDifference[];
  findings: { severity: Severity; message: string }[];
}

/** What `diagnose` needs from the CLI. */
export interface DiagnoseInput {
  /** The environment (credentials, SIMCEL_BASE_URL), `--base-url` already applied. */
  env: Record<string, string | undefined>;
  /** `--base-url` was given. */
  baseUrlFlag: boolean;
  /** `--plan`, if given. */
  planId?: string | undefined;
  /** The fetch for every call (token and API); default `globalThis.fetch`. */
  fetch?: ((request: Request) => Promise<Response>) | undefined;
  /** The clock (epoch ms), for latencies and the skew against the server's `Date`. */
  now: () => number;
  /** The CLI's version. */
  version: string;
  /** SIMCEL_LOG's logger, handed to the clients. */
  logger?: Logger | undefined;
}

/** One request and its answer, as the watching fetch saw it. */
interface Exchange {
  url: URL;
  method: string;
  status: number | null;
  latencyMs: number;
  /** The clock when the request went out and when its answer was read. */
  sentAt: number;
  answeredAt: number;
  date: string | null;
  /** The parsed 2xx JSON body. */
  body?: unknown;
}

/** A fetch that records every exchange, body included; the clients see the response untouched. */
function watchingFetch(fetch: (request: Request) => Promise<Response>, now: () => number) {
  const exchanges: Exchange[] = [];
  const watched = async (request: Request): Promise<Response> => {
    const sentAt = now();
    const exchange: Exchange = {
      url: new URL(request.url),
      method: request.method,
      status: null,
      latencyMs: 0,
      sentAt,
      answeredAt: sentAt,
      date: null,
    };
    exchanges.push(exchange);
    try {
      const response = await fetch(request);
      exchange.status = response.status;
      exchange.date = response.headers.get("date");
      if (response.ok) {
        // read a copy to the end: the time is the whole answer's, and the body is held against the spec
        const text = await response
          .clone()
          .text()
          .catch(() => "");
        try {
          exchange.body = JSON.parse(text);
        } catch {}
      }
      return response;
    } finally {
      exchange.answeredAt = now();
      exchange.latencyMs = Math.round(exchange.answeredAt - sentAt);
    }
  };
  return { exchanges, fetch: watched };
}

/** `a, b and c`. */
const andList = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;

/** The one line the CLI would print for `error`, without its `simcel doctor:` start. */
const describe = (error: unknown, baseUrl: string) =>
  describeError(error, "doctor", baseUrl).line.replace(/^simcel doctor: /, "");

/**
 * Collects differences: one entry per fact (where, what the spec expects, how sure it is), however many
 * rows and operations show it, keeping the first pointer and value seen. Problems come first.
 */
function differenceList() {
  const byFact = new Map<string, SpecDifference>();
  const add = (operation: string, d: Omit<SpecDifference, "operations" | "count">) => {
    const key = `${d.direction} ${d.pointer.replace(/\/\d+(?=\/|$)/g, "/-")} ${d.expected} ${d.inferred} ${d.severity}`;
    const known = byFact.get(key);
    if (!known) byFact.set(key, { operations: [operation], ...d, count: 1 });
    else {
      known.count++;
      if (!known.operations.includes(operation)) known.operations.push(operation);
    }
  };
  return {
    /** The mismatches of one answer of `operation`; with `canFail`, documented structure is a problem. */
    response(operation: string, found: Mismatch[], canFail: boolean) {
      for (const m of found)
        add(operation, {
          direction: "response",
          pointer: m.pointer,
          expected: m.expected,
          actual: m.actual,
          inferred: m.inferred,
          severity: m.fatal && canFail ? "problem" : "warning",
        });
    },
    /** A parameter the SDK sent although it breaks a rule the spec only inferred. */
    request(event: SpecMismatchEvent) {
      add(event.operation, {
        direction: "request",
        pointer: event.pointer,
        expected: event.expected,
        actual: event.actual,
        inferred: true,
        severity: "warning",
      });
    },
    list: () =>
      [...byFact.values()].sort((a, b) => Number(b.severity === "problem") - Number(a.severity === "problem")),
  };
}

/**
 * Runs the diagnosis. Never throws for what it finds (a refused key, a broken answer, a missing
 * variable are findings); throws `UsageError` only for a `--base-url` that is not a URL.
 */
export async function diagnose(input: DiagnoseInput): Promise<DoctorReport> {
  const { env, now, logger } = input;
  const findings: DoctorReport["findings"] = [];
  const differences = differenceList();
  const problem = (message: string) => findings.push({ severity: "problem", message });
  const warning = (message: string) => findings.push({ severity: "warning", message });
  const note = (message: string) => findings.push({ severity: "note", message });
  const watch = watchingFetch(input.fetch ?? ((request) => globalThis.fetch(request)), now);

  const report: DoctorReport = {
    ok: false,
    problems: 0,
    warnings: 0,
    versions: { cli: input.version, node: process.version, platform: `${process.platform} ${process.arch}` },
    configuration: {
      variables: [],
      baseUrlFlag: input.baseUrlFlag,
      credential: null,
      baseUrl: env.SIMCEL_BASE_URL?.trim() || defaultBaseUrl,
      production: false,
      clock: null,
    },
    signIn: null,
    access: READ_OPERATIONS.map((operation) => ({ operation, scope: operations[operation].scope, granted: null })),
    plan: null,
    operations: READ_OPERATIONS.map((operation) => ({
      operation,
      method: operations[operation].method,
      path: operations[operation].path,
      status: null,
      latencyMs: null,
      outcome: "skipped",
    })),
    spec: [],
    findings,
  };
  const finish = () => {
    report.spec = differences.list();
    const spec = report.spec;
    const clockFrom = watch.exchanges.find((e) => e.date && !Number.isNaN(Date.parse(e.date)));
    if (clockFrom?.date) {
      const skewSeconds = Math.round(
        (Date.parse(clockFrom.date) - (clockFrom.sentAt + clockFrom.answeredAt) / 2) / 1000,
      );
      report.configuration.clock = { serverDate: clockFrom.date, skewSeconds };
      // the Date header has whole seconds: a second or two either way is no skew
      if (Math.abs(skewSeconds) >= SKEW_WARNING_S)
        warning(
          `this machine's clock is ${Math.abs(skewSeconds)} s ${skewSeconds > 0 ? "behind" : "ahead of"} the server's: ages of data and token expiry times shown are off by as much`,
        );
    }
    const all = [...findings.map((f) => f.severity), ...spec.map((d) => d.severity)];
    report.problems = all.filter((s) => s === "problem").length;
    report.warnings = all.filter((s) => s === "warning").length;
    report.ok = report.problems === 0;
    return report;
  };

  // Configuration: the credential exactly as every command reads it.
  let credential: EnvCredential;
  try {
    credential = credentialFromEnv(env, { fetch: watch.fetch });
  } catch (error) {
    if (error instanceof SimcelAuthConfigError && error.setting === "SIMCEL_BASE_URL" && input.baseUrlFlag)
      throw new UsageError(`simcel doctor: --base-url must be an http(s) URL such as ${defaultBaseUrl}`);
    problem(`configuration: ${describe(error, report.configuration.baseUrl)}`);
    return finish();
  }
  const { baseUrl } = credential;
  Object.assign(report.configuration, {
    // with --base-url, SIMCEL_BASE_URL is the flag's value, not a variable the user set
    variables: credential.variables.filter((v) => !(input.baseUrlFlag && v === "SIMCEL_BASE_URL")),
    credential: credential.kind,
    baseUrl,
    production: baseUrl === defaultBaseUrl,
  });

  // Sign-in: one token request through a token cache, which the API calls then reuse.
  const cache = createTokenCache(credential, logger ? { logger } : {});
  const auth = createAuthMiddleware({ cache, ...(logger && { logger }) });
  const requestSide: SpecMismatchEvent[] = [];
  const client = createInsightsClient({
    baseUrl,
    middleware: [auth],
    fetch: watch.fetch,
    // a doctor reports what happened, not what a retry hid
    maxRetries: 0,
    hooks: { onSpecMismatch: (event) => event.direction === "request" && requestSide.push(event) },
    ...(logger && { logger }),
  });
  try {
    const startedEpoch = Date.now();
    const started = now();
    let token: Awaited<ReturnType<typeof cache.getToken>>;
    try {
      token = await cache.getToken();
    } catch (error) {
      const exchange = watch.exchanges.at(-1);
      report.signIn = {
        endpoint: exchange ? `${exchange.method} ${exchange.url.origin}${exchange.url.pathname}` : null,
        status: exchange?.status ?? null,
        latencyMs: Math.round(now() - started),
        expiresIn: null,
        tokenType: null,
        scopes: null,
        error: describe(error, baseUrl),
      };
      problem(report.signIn.error as string);
      return finish();
    }
    const exchange = credential.kind === "static" ? undefined : watch.exchanges.at(-1);
    const claims = readTokenClaims(token.token);
    // an expiry the SDK measured is on the local clock; a JWT's own `exp` is the issuer's time, read on the
    // doctor's clock (the one its skew check uses)
    const measured = Number.isFinite(token.expiresAt);
    const expiresAt = measured ? token.expiresAt : claims?.expiresAt;
    report.signIn = {
      endpoint: exchange ? `${exchange.method} ${exchange.url.origin}${exchange.url.pathname}` : null,
      status: exchange?.status ?? null,
      latencyMs: exchange ? Math.round(now() - started) : null,
      expiresIn: expiresAt === undefined ? null : Math.floor((expiresAt - (measured ? startedEpoch : started)) / 1000),
      tokenType: token.tokenType,
      scopes: claims?.scopes ?? null,
    };
    if (credential.kind === "static")
      note(
        "SIMCEL_TOKEN holds a token already issued: the sign-in itself (API key or client credentials) was not tried",
      );
    // The token answer against the spec: the SDK reads it leniently (snake_case too), so nothing here fails a call.
    const tokenOperation = Object.entries(tokenOperations).find(([, op]) => exchange?.url.pathname.endsWith(op.path));
    if (tokenOperation && exchange?.body !== undefined)
      differences.response(
        tokenOperation[0],
        checkResponse(tokenOperation[1].response as Shape, exchange.body, tokenShapes as Record<string, Shape>),
        false,
      );

    // Access: the scope each read operation needs (the spec's) against the token's.
    const scopes = report.signIn.scopes;
    for (const entry of report.access)
      entry.granted = scopes === null ? null : scopes.includes(entry.scope) || scopes.includes("admin");
    if (scopes === null)
      note("the token carries no scope claim (or is not a JWT): what the key may do shows only in the answers below");
    else {
      const missing = [...new Set(report.access.filter((a) => a.granted === false).map((a) => a.scope))];
      for (const scope of missing)
        problem(
          `the key lacks the scope ${scope}: ${andList(report.access.filter((a) => a.scope === scope).map((a) => a.operation))} will be refused; use a key granted ${scope}`,
        );
      if (scopes.includes("admin"))
        warning("the key has the scope admin (full access): an integration needs only insights:read and plans:read");
    }

    // Every read operation once: the plans first, then the data of one plan.
    const results = new Map(report.operations.map((r) => [r.operation, r]));
    let planId = input.planId;
    for (const operation of READ_OPERATIONS) {
      const result = results.get(operation) as OperationResult;
      if (operation !== "listPlans" && !planId) {
        result.detail = "no plan to ask about: pass --plan ID";
        continue;
      }
      const before = watch.exchanges.length;
      let value: unknown;
      let failure: unknown;
      try {
        value = await CALLS[operation](client, planId as string);
      } catch (error) {
        failure = error;
      }
      // the last exchange of this call: after a 401 replay, the one that counted
      const exchange = watch.exchanges
        .slice(before)
        .reverse()
        .find((e) => e.url.pathname.endsWith(operations[operation].path));
      result.status = exchange?.status ?? (failure instanceof SimcelApiError ? (failure.status ?? null) : null);
      result.latencyMs = exchange?.latencyMs ?? null;
      if (exchange?.body !== undefined)
        differences.response(
          operation,
          checkResponse(operations[operation].response as Shape, exchange.body, shapes as Record<string, Shape>),
          true,
        );
      for (const event of requestSide.splice(0)) differences.request(event);
      if (failure === undefined) {
        result.outcome = "ok";
        if (operation === "listPlans" && !planId) {
          const first = (value as { plans?: { id: string }[] }).plans?.[0]?.id;
          if (first) {
            planId = first;
            report.plan = { id: first, source: "first plan" };
          } else note("the key sees no plan: the data operations were not called (pass --plan ID to name one)");
        }
        continue;
      }
      const status = result.status;
      if (
        (operations[operation] as { availability?: string }).availability === "coming-soon" &&
        status !== null &&
        NOT_THERE_YET.includes(status)
      ) {
        result.outcome = "coming-soon";
        result.detail = "SIMCEL documents this endpoint as not available yet; not a failure";
      } else if (failure instanceof ResponseValidationError) {
        result.outcome = "fails";
        result.detail = `the answer breaks the spec at ${failure.pointer || "its root"}: SDK calls fail`;
      } else if (failure instanceof PermissionDeniedError) {
        result.outcome = "refused";
        const scope = operations[operation].scope;
        const predicted = report.access.find((a) => a.operation === operation)?.granted === false;
        result.detail = predicted
          ? `refused: the key lacks ${scope}, as its scopes say`
          : `refused although the token carries ${scope}: ${describe(failure, baseUrl)}`;
        if (!predicted) problem(`${operation}: ${result.detail}`);
      } else {
        result.outcome = "error";
        result.detail = describe(failure, baseUrl);
        problem(`${operation}: ${result.detail}`);
      }
    }
    if (input.planId) report.plan = { id: input.planId, source: "--plan" };
    return finish();
  } finally {
    await client.close();
    await auth.close();
    await cache.close();
  }
}
