const inspect = Symbol.for("nodejs.util.inspect.custom");

/**
 * Gives `target` a `toJSON`, `toString` and util.inspect view that show only `info`, so a credential,
 * cache or middleware that is logged never shows what its closures hold.
 */
export function opaque<T extends object>(name: string, target: T, info: object = {}): T {
  const text = () => `${name} ${JSON.stringify(info)}`;
  return Object.assign(target, { toJSON: () => info, toString: text, [inspect]: text });
}
