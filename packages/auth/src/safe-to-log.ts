const inspect = Symbol.for("nodejs.util.inspect.custom");

/**
 * Makes `target` safe to log: its `toJSON`, `toString` and util.inspect view show only `name` and
 * `publicInfo`, so a credential, cache or middleware that ends up in a log or an error report never
 * shows the secrets its closures hold.
 */
export function safeToLog<T extends object>(name: string, target: T, publicInfo: object = {}): T {
  const text = () => `${name} ${JSON.stringify(publicInfo)}`;
  return Object.assign(target, { toJSON: () => publicInfo, toString: text, [inspect]: text });
}
