/**
 * The module's exported classes, each wrapped so every instance constructed through it (by the library's
 * other modules, or by tests) is pushed to `into`. `instanceof` and subclassing keep working.
 */
export function recording<M extends object>(module: M, into: unknown[]): M {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(module)) {
    out[name] =
      typeof value === "function"
        ? new Proxy(value, {
            construct(target, args, newTarget) {
              const made = Reflect.construct(target, args, newTarget);
              into.push(made);
              return made;
            },
          })
        : value;
  }
  return out as M;
}
