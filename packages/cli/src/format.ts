// Number, percentage and time formatting for people. Fixed to en-US grouping so the output (and its
// snapshots) do not change with the machine's locale.
import { safeText } from "@simcel/commands";
import { displayWidth, elide } from "./table.js";

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/** `12500000` → `12,500,000`; fractions keep up to two digits (`1,250.5`). */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  const text = (Number.isInteger(value) ? integer : decimal).format(value);
  // Intl writes `-0` for tiny negatives rounded away; people expect `0`.
  return text === "-0" ? "0" : text;
}

/** A 0–1 ratio as `48.4 %` (one decimal); null or absent as `—`. */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return "—";
  const text = (ratio * 100).toFixed(1);
  return `${text === "-0.0" ? "0.0" : text} %`;
}

/** A signed amount: `+55,000`, `-110,000`, `0`. */
export function formatDelta(value: number | null | undefined): string {
  const text = formatNumber(value);
  return value !== null && value !== undefined && value > 0 && text !== "0" ? `+${text}` : text;
}

/** A signed 0–1 ratio as `+1.7 %`; null (a base of zero) as `—`. */
export function formatDeltaPercent(ratio: number | null | undefined): string {
  const text = formatPercent(ratio);
  return ratio !== null && ratio !== undefined && ratio > 0 && !text.startsWith("0.0") ? `+${text}` : text;
}

/** A difference of two 0–1 ratios in percentage points: `+0.5 pp`, `-1.0 pp`, `0.0 pp`. */
export function formatPoints(delta: number): string {
  return formatDeltaPercent(delta).replace(/ %$/, " pp");
}

/** An ISO timestamp as `2025-06-30 08:15 UTC`; anything unparsable is returned as given. */
export function formatTimestamp(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** How long ago `iso` was, relative to `nowMs`: `just now`, `12 min ago`, `5 h ago`, `151 days ago`. */
export function formatAge(iso: string, nowMs: number): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return "unknown age";
  const minutes = Math.floor((nowMs - ms) / 60_000);
  if (minutes < 0) return "in the future";
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

/** How long until `epochMs`: `in 59 min`, `in 3 h`, `expired 2 min ago`. */
export function formatExpiry(epochMs: number, nowMs: number): string {
  const minutes = Math.round((epochMs - nowMs) / 60_000);
  if (minutes < 0) return `expired ${-minutes} min ago`;
  if (minutes < 120) return `in ${minutes} min`;
  return `in ${Math.round(minutes / 60)} h`;
}

/**
 * The `meta` line of a data response: plan, currency, interval and the data's generatedAt age. `title` may
 * hold API text (a scenario's name): the whole line is shown through safeText. Given a terminal's `columns`, a
 * line too long for it breaks between its parts (each part cut to fit), so the age is never lost off the edge.
 */
export function formatMeta(
  title: string,
  meta: { planId: string; currency: string; interval: string; generatedAt?: string },
  nowMs: number,
  columns?: number,
): string {
  const generated = meta.generatedAt
    ? `generated ${formatTimestamp(meta.generatedAt)} (${formatAge(meta.generatedAt, nowMs)})`
    : "not computed yet (no generatedAt)";
  const parts = [title, meta.planId, meta.currency, meta.interval, generated].map(safeText);
  const line = parts.join(" · ");
  if (columns === undefined || displayWidth(line) <= columns) return line;
  const lines: string[] = [];
  for (const part of parts.map((p) => elide(p, columns))) {
    const last = lines.at(-1);
    if (last !== undefined && displayWidth(`${last} · ${part}`) <= columns)
      lines[lines.length - 1] = `${last} · ${part}`;
    else lines.push(part);
  }
  return lines.join("\n");
}
