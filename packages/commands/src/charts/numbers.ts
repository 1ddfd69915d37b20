// Short numbers for chart labels (`3.3M`, `+110K`, `3,701`); the tables keep the full figures.

const short = new Intl.NumberFormat("en-US", { notation: "compact", maximumSignificantDigits: 4 });
const whole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const small = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/**
 * `3300000` → `3.3M`, `3355000` → `3.355M`, `55000` → `55K` (at most 4 significant digits); below
 * 10,000 the number itself, `3,701` or `12.5`, which is as short and reads better.
 */
export function compact(value: number): string {
  const size = Math.abs(value);
  const text = (size >= 10_000 ? short : size >= 100 ? whole : small).format(value);
  return text === "-0" ? "0" : text;
}

/** A signed compact amount: `+55K`, `−70K` (a true minus sign), `0`. */
export function signedCompact(value: number): string {
  const text = compact(Math.abs(value));
  if (text === "0") return "0";
  return value > 0 ? `+${text}` : `−${text}`;
}
