// `simcel report`: one self-contained HTML file of a plan — EBIT bridge, P&L comparison, monthly
// demand, CO2. The CLI calls `runReport` and nothing else of this folder.
import { renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { redactSecrets } from "@simcel/auth";
import { classifyError, safeJson, safeText } from "@simcel/commands";
import type { InsightsClient } from "@simcel/insights";
import { EXIT, UsageError } from "../errors.js";
import type { OutStream } from "../style.js";
import { gatherReport, preflight, type ReportRequest } from "./gather.js";
import { buildPage } from "./page.js";

/** What `runReport` needs from the CLI. */
export interface ReportCommand {
  /** Parsed flags by long name (`plan`, `scenarios`, `base`, `from`, `to`, `currency`, `group-by`, `out`, `json`). */
  values: Record<string, string | boolean>;
  /** The CLI's typed client (its auth middleware included): the report's only way to the API. */
  client: InsightsClient;
  stdout: OutStream;
  stderr: OutStream;
  /** The clock, for the data's age, the default file name and the timings' start. */
  now: () => number;
  /** The API base URL, for error lines and the footer. */
  baseUrl: string;
  /** The CLI's version, for the footer. */
  version: string;
  /** Where a relative or default `--out` goes; default the process's working directory. */
  cwd?: string;
}

/**
 * `simcel-<plan>-<YYYY-MM-DD>.html`. The id's alphabet is only our spec's guess, so ids are not refused
 * for it: anything outside it becomes `_` here, and a plan id can never name another folder.
 */
export const defaultReportName = (planId: string, nowMs: number) =>
  `simcel-${planId.replace(/[^A-Za-z0-9_-]/g, "_")}-${new Date(nowMs).toISOString().slice(0, 10)}.html`;

/** The file to write: `--out` as given, the default name inside `--out` when it is a folder, or in cwd. */
function outputPath(out: string | undefined, planId: string, nowMs: number, cwd: string): string {
  const name = defaultReportName(planId, nowMs);
  if (!out) return resolve(cwd, name);
  const target = resolve(cwd, out);
  const stat = statSync(target, { throwIfNoEntry: false });
  if (stat?.isDirectory()) return join(target, name);
  const parent = statSync(dirname(target), { throwIfNoEntry: false });
  if (!parent?.isDirectory())
    throw new UsageError(`simcel report: --out ${out}: the folder ${dirname(target)} does not exist`);
  return target;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/**
 * Runs `simcel report` and resolves to its exit code: 0 written, 1 written but a section failed
 * (or nothing could be read: then no file), 2 usage. Throws usage and API errors it cannot place in
 * a section (a bad flag, an unreadable plan), for the CLI to describe as every command does.
 */
export async function runReport(command: ReportCommand): Promise<number> {
  const { values, client, stdout, stderr, now } = command;
  const string = (name: string) => (typeof values[name] === "string" ? (values[name] as string) : undefined);
  const planId = string("plan");
  if (!planId) throw new UsageError("simcel report: --plan ID is required; list plans with: simcel plans");
  const out = string("out");
  const json = values.json === true;
  if (out === "-" && json)
    throw new UsageError("simcel report: --out - writes the HTML to stdout, so --json cannot: choose one");
  const scenarios = string("scenarios");
  const request: ReportRequest = {
    planId,
    ...(scenarios !== undefined && { scenarioIds: scenarios.split(",").map((s) => s.trim()) }),
    ...(string("base") && { baseScenarioId: string("base") as string }),
    ...(string("from") && { dateFrom: string("from") as string }),
    ...(string("to") && { dateTo: string("to") as string }),
    ...(string("currency") && { currency: string("currency") as string }),
    ...(string("group-by") && { groupBy: string("group-by") as string }),
  };
  const started = now();
  const path = out === "-" ? undefined : outputPath(out, planId, started, command.cwd ?? process.cwd());
  preflight(request);

  const t0 = performance.now();
  const data = await gatherReport(client, request);
  const t1 = performance.now();
  const page = buildPage(data, { nowMs: now(), version: command.version, baseUrl: command.baseUrl });
  const t2 = performance.now();

  const sections = { pnl: data.pnl.status, demand: data.demand.status, co2: data.co2.status };
  const failed = [data.pnl, data.demand, data.co2].filter((s) => s.status === "failed");
  // Nothing read at all: a page of failures helps nobody; say why as every command does.
  if (failed.length > 0 && ![data.pnl, data.demand, data.co2].some((s) => s.status === "ok"))
    throw (failed[0] as { error: unknown }).error;

  const bytes = Buffer.byteLength(page.html);
  if (path) {
    // Written beside the target, then renamed: a reader never sees half a report.
    const partial = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
    try {
      // the file gets what every printed line gets: no key, secret or token, whatever the API echoed
      writeFileSync(partial, redactSecrets(page.html));
      renameSync(partial, path);
    } catch (error) {
      rmSync(partial, { force: true });
      throw new UsageError(`simcel report: cannot write ${path}: ${(error as Error).message}`);
    }
  } else stdout.write(page.html);

  for (const f of page.failures) stderr.write(`simcel report: ${f.section}: ${safeText(f.line)}\n`);
  if (data.co2.status === "unavailable")
    stderr.write(
      `simcel report: CO2: not available yet (the API answered ${data.co2.error.status}; SIMCEL documents it as coming soon)\n`,
    );
  const timing = `data ${Math.round(t1 - t0)} ms, render ${Math.round(t2 - t1)} ms`;
  const where = path ?? "stdout";
  stderr.write(
    `simcel report: wrote ${page.failures.length ? "a PARTIAL report " : ""}${where} (${kib(bytes)}, ${page.charts} charts; ${timing})\n`,
  );
  if (json)
    stdout.write(
      `${safeJson(
        {
          path: path ?? null,
          bytes,
          charts: page.charts,
          sections,
          failures: page.failures,
          dataMs: Math.round(t1 - t0),
          renderMs: Math.round(t2 - t1),
        },
        null,
        2,
      )}\n`,
    );
  if (page.failures.length === 0) return EXIT.ok;
  // a partial report exits as its first failed request would have alone (a 503 is still "retry later"); a
  // section the data could not build (the P&L lacks the base) is 1
  return failed.length > 0 ? classifyError((failed[0] as { error: unknown }).error).exitCode : EXIT.unexpected;
}
