// The size cap of a tool answer. An answer over the cap is never cut mid-JSON: it comes back whole but smaller —
// the first periods of every scenario that fit (else the first scenarios, plans or rows) — marked `truncated`,
// with a sentence and a list of narrower calls, each with the size it gives, measured where the answer already
// holds the data (a date window, one scenario, fewer fields) and estimated where it does not (a longer interval,
// no groupBy). The cap holds for the text and for structuredContent alike.

import { INTERVAL_DAYS, periodDays } from "./period-dates.js";

/** The default cap of a tool answer's text, in bytes (about 25k tokens). */
export const DEFAULT_MAX_RESULT_BYTES = 100_000;
/** The smallest cap accepted: below it, even a cut answer and its advice cannot fit. */
export const MIN_MAX_RESULT_BYTES = 8_000;
/** The environment variable that sets the cap (the `--max-result-bytes` flag wins). */
export const MAX_RESULT_BYTES_ENV = "SIMCEL_MCP_MAX_RESULT_BYTES";

/** The cap `value` says (a flag's or the environment's), or an error message naming `source`. */
export function parseMaxResultBytes(value: string, source: string): number | string {
  if (!/^\d+$/.test(value.trim()) || Number(value) < MIN_MAX_RESULT_BYTES)
    return `${source} must be a whole number of bytes, ${MIN_MAX_RESULT_BYTES} or more (got "${value}")`;
  return Number(value);
}

/** A narrower call: the arguments to change, and the size of the answer it gives. */
export interface Narrowing {
  /** Arguments to set (the others stay as they were). */
  arguments: Record<string, unknown>;
  /** Arguments to leave out. */
  omit?: string[];
  bytes: number;
  /** True when `bytes` is an estimate (the data of that call is not in this answer). */
  estimated: boolean;
  /** Whether that answer fits the cap (an estimate counts only with a margin). */
  fits: boolean;
}

/** What a cut answer says of itself. */
export interface Truncation {
  shown: string;
  advice: string;
  fullBytes: number;
  narrower: Narrowing[];
}

/** What the cap needs to know of a call. */
export interface FitInput {
  answer: Record<string, unknown>;
  /** The call's arguments, as the agent sent them. */
  args: Record<string, unknown>;
  maxBytes: number;
  /** The text form of an answer. */
  render(answer: Record<string, unknown>): string;
  /** The intervals the tool takes (for advice), if it has an interval. */
  intervals?: readonly string[] | undefined;
  /** The KPI fields of its rows and how to keep only some, if it has any. */
  kpis?:
    | { names: readonly string[]; pick(answer: Record<string, unknown>, fields: string[]): Record<string, unknown> }
    | undefined;
}

const bytes = (text: string) => Buffer.byteLength(text, "utf8");
/** An estimate counts as fitting only below this share of the cap. */
const ESTIMATE_MARGIN = 0.8;

type Scenario = { scenarioId?: string; series?: Array<{ period?: string; groupKey?: string }> } & Record<
  string,
  unknown
>;

/** The largest n in [0, max] for which `fits(n)` holds, `fits` being monotone (true up to some n). */
function largest(max: number, fits: (n: number) => boolean): number {
  let [lo, hi] = [0, max];
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const kb = (n: number) =>
  n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1000))} kB`;
const shownArgs = (n: Narrowing) =>
  [
    ...Object.entries(n.arguments).map(([k, v]) => `${k} ${JSON.stringify(v)}`),
    ...(n.omit ?? []).map((k) => `no ${k}`),
  ].join(" and ");

/** Fits `input.answer` under the cap: as is, or cut and marked `truncated`. */
export function fitAnswer(input: FitInput): { answer: Record<string, unknown>; text: string; truncation?: Truncation } {
  const { answer, maxBytes, render } = input;
  // The JSON of structuredContent is the larger form (the text rounds ratios, or is a table): it measures a
  // candidate, and the text is checked once, on the answer chosen.
  const size = (a: Record<string, unknown>) => bytes(JSON.stringify(a));
  const full = size(answer);
  if (full <= maxBytes) {
    const text = render(answer);
    if (bytes(text) <= maxBytes) return { answer, text };
  }

  // Room for the truncation mark: start with a generous guess, shrink until the marked answer fits.
  for (let reserve = 2_500; reserve < maxBytes; reserve *= 2) {
    const budget = maxBytes - reserve;
    const cut = cutToFit(answer, full, budget, size);
    const truncation = describeCut(input, cut, full, budget, size);
    const marked = { ...cut.answer, truncated: truncation };
    const markedText = render(marked);
    if (Math.max(bytes(JSON.stringify(marked)), bytes(markedText)) <= maxBytes)
      return { answer: marked, text: markedText, truncation };
  }
  throw new Error(`[@simcel/mcp] a cap of ${maxBytes} bytes leaves no room for an answer`);
}

/** A cut: the smaller answer, and what it keeps. */
interface Cut {
  answer: Record<string, unknown>;
  /** The periods of every scenario kept, of `periods` (when cut by period). */
  keptPeriods?: number;
  periods?: string[];
  /** The items kept of the top-level list `list` (when cut by item). */
  list?: string;
  keptItems?: number;
}

/** The first periods of every scenario that fit; else the first items of the answer's list that fit. */
function cutToFit(
  answer: Record<string, unknown>,
  full: number,
  budget: number,
  size: (a: Record<string, unknown>) => number,
): Cut {
  const scenarios = answer.scenarios as Scenario[] | undefined;
  const periods = [...new Set((scenarios ?? []).flatMap((s) => (s.series ?? []).map((r) => r.period ?? "")))];
  if (scenarios && periods.length > 0) {
    const withPeriods = (k: number) => {
      const keep = new Set(periods.slice(0, k));
      return {
        ...answer,
        scenarios: scenarios.map((s) => ({ ...s, series: (s.series ?? []).filter((r) => keep.has(r.period ?? "")) })),
      };
    };
    // sizes grow with the periods kept: search below twice the share of periods the budget would hold
    const guess = Math.ceil((2 * periods.length * budget) / Math.max(1, full)) + 1;
    const k = largest(Math.min(periods.length, guess), (n) => size(withPeriods(n)) <= budget);
    if (k > 0) return { answer: withPeriods(k), keptPeriods: k, periods };
  }
  const list = ["scenarios", "plans", "rows"].find((key) => Array.isArray(answer[key]));
  if (!list) return { answer };
  const items = answer[list] as unknown[];
  const withItems = (n: number) => ({ ...answer, [list]: items.slice(0, n) });
  const n = largest(items.length, (i) => size(withItems(i)) <= budget);
  return { answer: withItems(n), list, keptItems: n };
}

/** The mark of a cut answer: what it holds, and the narrower calls with their sizes. */
function describeCut(
  input: FitInput,
  cut: Cut,
  full: number,
  budget: number,
  size: (a: Record<string, unknown>) => number,
): Truncation {
  const { answer, args, maxBytes } = input;
  const narrower: Narrowing[] = [];
  const exact = (a: Record<string, unknown>, n: number) =>
    narrower.push({ arguments: a, bytes: n, estimated: false, fits: n <= budget });
  const estimate = (a: Record<string, unknown>, n: number, omit?: string[]) =>
    narrower.push({
      arguments: a,
      ...(omit && { omit }),
      bytes: Math.round(n),
      estimated: true,
      fits: n <= budget * ESTIMATE_MARGIN,
    });
  const scenarios = (answer.scenarios as Scenario[] | undefined) ?? [];
  let shown: string;
  let next = "";

  if (cut.keptPeriods !== undefined && cut.periods) {
    const { keptPeriods: k, periods } = cut;
    shown = `periods ${periods[0]} to ${periods[k - 1]} (${k} of ${periods.length}) of all ${scenarios.length} scenarios`;
    const first = periodDays(periods[0] as string);
    const last = periodDays(periods[k - 1] as string);
    const after = periods[k] === undefined ? undefined : periodDays(periods[k]);
    if (first && last) exact({ dateFrom: first.first, dateTo: last.last }, size(cut.answer));
    if (after)
      next = ` For the periods after these, call again from dateFrom "${after.first}", about ${k} periods a call.`;
    const interval = String((answer.meta as { interval?: string } | undefined)?.interval ?? "");
    const empty = size({ ...answer, scenarios: scenarios.map((s) => ({ ...s, series: [] })) });
    for (const longer of input.intervals ?? []) {
      const ratio = (INTERVAL_DAYS[interval] ?? 0) / (INTERVAL_DAYS[longer] ?? Infinity);
      if (ratio > 0 && ratio < 1)
        estimate({ interval: longer }, empty + (full - empty) * Math.max(ratio, 1 / periods.length));
    }
    const groups = new Set(scenarios.flatMap((s) => (s.series ?? []).map((r) => r.groupKey))).size;
    if (args.groupBy !== undefined && groups > 1) estimate({}, empty + (full - empty) / groups, ["groupBy"]);
  } else {
    const total = cut.list ? (answer[cut.list] as unknown[]).length : 0;
    shown = `the first ${cut.keptItems ?? 0} of ${total} ${cut.list ?? "items"}`;
  }
  if (scenarios.length > 1) {
    exact({ scenarioIds: [scenarios[0]?.scenarioId] }, size({ ...answer, scenarios: scenarios.slice(0, 1) }));
  }
  if (input.kpis && (!Array.isArray(args.fields) || args.fields.length > 1)) {
    const field = input.kpis.names[0] as string;
    exact({ fields: [field] }, size(input.kpis.pick(answer, [field])));
  }
  const options = narrower.map(
    (n) => `${shownArgs(n)} gives ${n.estimated ? "about " : ""}${kb(n.bytes)}${n.fits ? "" : " (still over the cap)"}`,
  );
  const advice =
    `This answer is cut to fit the cap of ${kb(maxBytes)} (the whole answer is ${kb(full)}): it holds ${shown}.` +
    (options.length
      ? ` To get a whole answer, call again with less, changing only these arguments: ${options.join("; ")}.`
      : "") +
    next;
  return { shown, advice, fullBytes: full, narrower };
}
