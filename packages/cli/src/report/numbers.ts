// Short numbers for chart labels (`3.3M`, `+110K`); the tables keep the full figures.

const short = new Intl.NumberFormat("en-US", { notation: "compact", maximumSignificantDigits: 4 });

/** `3300000` → `3.3M`, `3355000` → `3.355M`, `55000` → `55K`, `0.5` → `0.5` (at most 4 significant digits). */
export function compact(value: number): string {
  const text = short.format(value);
  return text === "-0" ? "0" : text;
}

/** A signed compact amount: `+55K`, `−70K` (a true minus sign), `0`. */
export function signedCompact(value: number): string {
  const text = compact(Math.abs(value));
  if (text === "0") return "0";
  return value > 0 ? `+${text}` : `−${text}`;
}
