// Days as integers (days since 1970-01-01, UTC) and the four period formats of the API: day `2025-01-15`,
// ISO week `2025-W03` (Monday to Sunday), month `2025-01` and fiscal year `2025`.

/** An interval of the API. */
export type Interval = "D" | "W" | "M" | "FY";

const MS_PER_DAY = 86_400_000;
const pad = (n: number) => String(n).padStart(2, "0");

/** The day of a UTC calendar date (`month` 1–12). */
export function dayOf(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

/** `2025-01-15` → its day, or undefined when the text is not a real calendar date. */
export function parseDate(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const value = dayOf(year, month, day);
  const back = new Date(value * MS_PER_DAY);
  return back.getUTCMonth() + 1 === month && back.getUTCDate() === day ? value : undefined;
}

/** The calendar parts of a day. */
export function partsOf(day: number): { year: number; month: number; date: number; weekday: number } {
  const d = new Date(day * MS_PER_DAY);
  // ISO weekday: Monday 1 … Sunday 7
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, date: d.getUTCDate(), weekday: d.getUTCDay() || 7 };
}

/** `2025-01-15`. */
export function formatDay(day: number): string {
  const { year, month, date } = partsOf(day);
  return `${year}-${pad(month)}-${pad(date)}`;
}

/** The ISO 8601 week of a day: `2025-W03` (the week's year is the year of its Thursday). */
export function isoWeek(day: number): string {
  const { weekday } = partsOf(day);
  const thursday = day - weekday + 4;
  const year = partsOf(thursday).year;
  const week = Math.floor((thursday - dayOf(year, 1, 1)) / 7) + 1;
  return `${year}-W${pad(week)}`;
}

/**
 * The fiscal year of a day, for a fiscal year starting on the first of `startMonth`, named by the calendar year
 * in which it ends (a year from April 2025 to March 2026 is `2026`); a January start names it by its own year.
 */
export function fiscalYear(day: number, startMonth: number): string {
  const { year, month } = partsOf(day);
  return String(startMonth > 1 && month >= startMonth ? year + 1 : year);
}

/** The period key of `day` for `interval`. */
export function periodOf(day: number, interval: Interval, fiscalStartMonth: number): string {
  switch (interval) {
    case "D":
      return formatDay(day);
    case "W":
      return isoWeek(day);
    case "M":
      return formatDay(day).slice(0, 7);
    case "FY":
      return fiscalYear(day, fiscalStartMonth);
  }
}

/** The day `months` calendar months after the first of (`year`, `month`). */
export function addMonths(year: number, month: number, months: number): number {
  return dayOf(year, month + months, 1);
}

/** One period of an answer: its key and the days it covers, both ends included. */
export interface Segment {
  period: string;
  from: number;
  to: number;
}

/**
 * The periods of `interval` that days `from`…`to` (offsets into the plan's horizon, both included) fall in, each
 * cut to that range: every period is a run of consecutive days, so a partial first or last period is kept partial.
 */
export function segments(keys: readonly string[], from: number, to: number): Segment[] {
  const out: Segment[] = [];
  for (let d = from; d <= to; d++) {
    const period = keys[d] as string;
    const last = out.at(-1);
    if (last && last.period === period) last.to = d;
    else out.push({ period, from: d, to: d });
  }
  return out;
}
