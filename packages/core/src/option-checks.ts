// The one check of the libraries' numeric options (timeouts, windows, cool-downs, lifetimes); each library throws its
// own config error naming the option when it fails.

/** Whether `value` is a finite number of ms (or s): above 0, or 0 too when `zero` is allowed. */
export function isDuration(value: unknown, { zero = false }: { zero?: boolean } = {}): value is number {
  return typeof value === "number" && (zero ? value >= 0 : value > 0) && value < Infinity;
}
