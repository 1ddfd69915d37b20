// The calendar days a period label of the API covers, so that advice can name the dateFrom/dateTo of a window:
// a day `2025-01-15`, an ISO week `2025-W03` (Monday to Sunday) or a month `2025-01`. A fiscal year's days depend
// on the plan's fiscal-year start, which an answer does not carry: no dates for it.

/** Length in days of each interval, for estimates. */
export const INTERVAL_DAYS: Readonly<Record<string, number>> = { D: 1, W: 7, M: 30.44, FY: 365.25 };

const iso = (date: Date) => date.toISOString().slice(0, 10);
const utc = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day));

/** First and last day (YYYY-MM-DD) of `period`, or `undefined` for a fiscal year or an unknown label. */
export function periodDays(period: string): { first: string; last: string } | undefined {
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(period);
  if (m) return { first: period, last: period };
  m = /^(\d{4})-W(\d{2})$/.exec(period);
  if (m) {
    const year = Number(m[1]);
    const jan4 = utc(year, 1, 4);
    const monday = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86_400_000);
    const first = new Date(monday.getTime() + (Number(m[2]) - 1) * 7 * 86_400_000);
    return { first: iso(first), last: iso(new Date(first.getTime() + 6 * 86_400_000)) };
  }
  m = /^(\d{4})-(\d{2})$/.exec(period);
  if (m) {
    const [year, month] = [Number(m[1]), Number(m[2])];
    return { first: iso(utc(year, month, 1)), last: iso(utc(year, month + 1, 0)) };
  }
  return undefined;
}
