// The clock: this machine's against the server's `Date` header, from the first answer that carried one.
import type { Diagnosis } from "./diagnosis.js";

/** Past this, clock skew is worth a warning: data ages and JWT expiry times shown are off by as much. */
const SKEW_WARNING_S = 60;

export function checkClock(d: Diagnosis): void {
  const clockFrom = d.watch.exchanges.find((e) => e.date && !Number.isNaN(Date.parse(e.date)));
  if (!clockFrom?.date) return;
  const skewSeconds = Math.round((Date.parse(clockFrom.date) - (clockFrom.sentAt + clockFrom.answeredAt) / 2) / 1000);
  d.report.configuration.clock = { serverDate: clockFrom.date, skewSeconds };
  // the Date header has whole seconds: a second or two either way is no skew
  if (Math.abs(skewSeconds) >= SKEW_WARNING_S)
    d.find(
      "warning",
      `this machine's clock is ${Math.abs(skewSeconds)} s ${skewSeconds > 0 ? "behind" : "ahead of"} the server's: ages of data and token expiry times shown are off by as much`,
    );
}
