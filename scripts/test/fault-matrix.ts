// What the two fault-matrix tests share: how an outcome is summarised and compared with the expected one,
// every rendering of an error a user could see, the open-handle check, and the markdown report.
import { mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { inspect } from "node:util";
import type { Sandbox } from "../../packages/sandbox/src/index.js";
import { repoRoot } from "../prism.mjs";
import { RIG_SECRETS } from "./rig.js";
import { basicCredentials, basicCredentialsRaw } from "./secret-forms.js";

/** An expected error: its class name, stable `code`, family (which base class it must extend) and fields. */
export interface ErrorExpectation {
  name: string;
  code?: string;
  /** `auth`: instanceof SimcelAuthError; `api`: instanceof SimcelApiError; `other`: neither. */
  family: "auth" | "api" | "other";
  /** Fields that must hold exactly these values (`status`, `reason`, `location`, `pointer`, `retryAfterMs`…). */
  fields?: Record<string, unknown>;
  /** Text the message must contain (e.g. the server's error_description). */
  messageIncludes?: string[];
}

/** What one call must end in: data, or an error matching one of the expectations. */
export type Expected = "data" | ErrorExpectation;

/** An exact count or an inclusive range. */
export type Count = number | readonly [number, number];

export const authError = (name: string, code: string, fields?: Record<string, unknown>): ErrorExpectation => ({
  name,
  code,
  family: "auth",
  ...(fields && { fields }),
});
export const apiError = (name: string, code: string, fields?: Record<string, unknown>): ErrorExpectation => ({
  name,
  code,
  family: "api",
  ...(fields && { fields }),
});

const FIELDS = ["status", "reason", "location", "pointer", "operation", "retryAfterMs", "scope", "setting"] as const;

/** One line per outcome: `data`, or `Class code (status=…, reason=…)`. */
export function summarise(result: PromiseSettledResult<unknown>): string {
  if (result.status === "fulfilled") return "data";
  const error = result.reason as Record<string, unknown> | undefined;
  if (!(error instanceof Error)) return `non-error ${typeof error}: ${String(error).slice(0, 60)}`;
  const fields = FIELDS.filter((f) => (error as unknown as Record<string, unknown>)[f] !== undefined).map(
    (f) => `${f}=${JSON.stringify((error as unknown as Record<string, unknown>)[f])}`,
  );
  if ((error as unknown as Record<string, unknown>).hint !== undefined) fields.push("hint");
  const code = (error as unknown as Record<string, unknown>).code;
  return `${error.name}${code === undefined ? "" : ` ${String(code)}`}${fields.length ? ` (${fields.join(", ")})` : ""}`;
}

/** `20× data` / `1× A, 19× B`: the outcomes of a case's calls, grouped. */
export function groupOutcomes(lines: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const line of lines) counts.set(line, (counts.get(line) ?? 0) + 1);
  return [...counts].map(([line, n]) => (lines.length === 1 ? line : `${n}× ${line}`)).join("; ");
}

/**
 * Why `result` does not match any of `expected` (empty when it matches). `families` holds the base classes
 * to check `instanceof` against.
 */
export function mismatch(
  result: PromiseSettledResult<unknown>,
  expected: readonly Expected[],
  families: { auth: abstract new (...args: never[]) => unknown; api: abstract new (...args: never[]) => unknown },
): string | undefined {
  const reasons: string[] = [];
  for (const want of expected) {
    if (want === "data") {
      if (result.status === "fulfilled") return undefined;
      reasons.push("expected data");
      continue;
    }
    if (result.status === "fulfilled") {
      reasons.push(`expected ${want.name}, got data`);
      continue;
    }
    const error = result.reason as Record<string, unknown>;
    const problems: string[] = [];
    if (error?.name !== want.name) problems.push(`name ${String(error?.name)} ≠ ${want.name}`);
    if (want.code !== undefined && error?.code !== want.code)
      problems.push(`code ${JSON.stringify(error?.code)} ≠ ${JSON.stringify(want.code)}`);
    const isAuth = error instanceof families.auth;
    const isApi = error instanceof families.api;
    const family = isAuth ? "auth" : isApi ? "api" : "other";
    if (family !== want.family) problems.push(`family ${family} ≠ ${want.family}`);
    for (const [field, value] of Object.entries(want.fields ?? {}))
      if (!Object.is(error?.[field], value) && JSON.stringify(error?.[field]) !== JSON.stringify(value))
        problems.push(`${field} ${JSON.stringify(error?.[field])} ≠ ${JSON.stringify(value)}`);
    for (const text of want.messageIncludes ?? [])
      if (!String(error?.message).includes(text)) problems.push(`message lacks ${JSON.stringify(text)}`);
    if (!problems.length) return undefined;
    reasons.push(problems.join(", "));
  }
  return reasons.join(" | or | ");
}

/** Whether `actual` is the expected count. */
export const countOk = (actual: number, expected: Count) =>
  typeof expected === "number" ? actual === expected : actual >= expected[0] && actual <= expected[1];
export const showCount = (expected: Count) =>
  typeof expected === "number" ? String(expected) : `${expected[0]}–${expected[1]}`;

/**
 * Every way an error can be shown: String, JSON.stringify, util.inspect with hidden fields, message and
 * stack — for the error and each link of its cause chain (and an AggregateError's errors).
 */
export function renderAll(value: unknown, depth = 0): string[] {
  const out = [
    String(value),
    (() => {
      try {
        return JSON.stringify(value) ?? "";
      } catch (e) {
        return `JSON.stringify threw ${String(e)}`;
      }
    })(),
    inspect(value, { depth: Infinity, showHidden: true }),
  ];
  if (value instanceof Error && depth < 8) {
    out.push(value.message, value.stack ?? "");
    if (value.cause !== undefined) out.push(...renderAll(value.cause, depth + 1));
    if (value instanceof AggregateError) for (const e of value.errors) out.push(...renderAll(e, depth + 1));
  }
  return out;
}

/** Open resources by type (timers, sockets, servers…), as `process.getActiveResourcesInfo()` lists them. */
export function resources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

/**
 * The resources open now beyond `baseline`, after giving closing sockets and timers up to `waitMs` to go
 * (a closed socket leaves the list on a later tick). Empty when nothing was left behind.
 */
export async function leftOpen(baseline: Map<string, number>, waitMs = 3_000): Promise<string[]> {
  const extra = () =>
    [...resources()]
      .filter(([type, n]) => n > (baseline.get(type) ?? 0))
      .map(([type, n]) => `${type}×${n - (baseline.get(type) ?? 0)}`);
  const deadline = Date.now() + waitMs;
  while (extra().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return extra();
}

/** One row of a report. */
export interface MatrixRow {
  case: string;
  defect: string;
  expected: string;
  outcome: string;
  tokenRequests: string;
  apiRequests: string;
  notes: string;
  violations: string[];
}

const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");

/** Writes the matrix as a markdown table to reports/<file> (for the lead's note) and returns the path. */
export function writeReport(file: string, title: string, rows: readonly MatrixRow[]): string {
  const path = resolve(repoRoot, "reports", file);
  mkdirSync(resolve(repoRoot, "reports"), { recursive: true });
  const failed = rows.filter((r) => r.violations.length).length;
  const lines = [
    `# ${title}`,
    "",
    `${rows.length} cases, ${rows.length - failed} as expected, ${failed} not. Written ${new Date().toISOString()} by scripts/test/${file.replace(/\.md$/, ".test.ts")}.`,
    "Counts read `actual (expected)`.",
    "",
    "| case | defect | outcome | expected | token requests | API requests | ok | notes / violations |",
    "|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${cell(r.case)} | ${cell(r.defect)} | ${cell(r.outcome)} | ${cell(r.expected)} | ${r.tokenRequests} | ${r.apiRequests} | ${
          r.violations.length ? "✗" : "✓"
        } | ${cell([r.notes, ...r.violations].filter(Boolean).join("; "))} |`,
    ),
    "",
  ];
  writeFileSync(path, lines.join("\n"));
  return path;
}

/** A text of `length` characters with single spaces only (so whitespace folding keeps every offset). */
export function filler(length: number): string {
  const words = "the server could not process the request because the value given was not accepted ";
  return words.repeat(Math.ceil(length / words.length)).slice(0, length);
}

/** Every secret a case must never show, by label: the key, the client secret (and its Basic forms), every token issued. */
export function rigSecrets(server: Sandbox): Record<string, string> {
  const { apiKey, clientId, clientSecret } = RIG_SECRETS;
  return {
    "the API key": apiKey,
    "the client secret": clientSecret,
    "the Basic credentials (RFC 6749: id and secret form-encoded, then base64)": basicCredentials(
      clientId,
      clientSecret,
    ),
    "the Basic credentials (id:secret in base64)": basicCredentialsRaw(clientId, clientSecret),
    ...Object.fromEntries(server.issuedTokens.map((token, i) => [`token #${i + 1}`, token])),
  };
}
