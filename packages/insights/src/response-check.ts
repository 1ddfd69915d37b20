// Checks a 2xx body against the spec's response schema (compact shapes generated into
// generated/operations.ts). Documented structure — a required field missing, a field of the wrong
// type — fails the call; whatever only our inference says, an unknown extra field, an unknown enum
// value or a pattern mismatch is passed through and reported, since the API may know better than our spec.

/** A compact schema node, as the generator writes it. */
export interface Shape {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, Shape>>;
  readonly required?: readonly string[];
  readonly items?: Shape;
  readonly enum?: readonly unknown[];
  readonly pattern?: string;
  readonly inferred?: boolean;
  readonly ref?: string;
}

/** One way a response differed from the spec. */
export interface Mismatch {
  /** JSON pointer of the field (`""` is the whole body). */
  pointer: string;
  /** What the spec says, e.g. `number`, `present`, `one of: actual, committed`. */
  expected: string;
  /** What came back, e.g. `string`, `missing`, `"archived"`. */
  actual: string;
  /** The spec states this only as our own inference (`x-simcel-inferred`). */
  inferred: boolean;
  /** Documented structure is broken: the data cannot be trusted, the call fails. */
  fatal: boolean;
}

const typeOf = (value: unknown): string =>
  value === null
    ? "null"
    : Array.isArray(value)
      ? "array"
      : typeof value === "number" && Number.isInteger(value)
        ? "integer"
        : typeof value;

const fits = (type: string, actual: string) => type === actual || (type === "number" && actual === "integer");

const escapeKey = (key: string) => key.replaceAll("~", "~0").replaceAll("/", "~1");

const patterns = new Map<string, RegExp>();
const regex = (source: string) => {
  let found = patterns.get(source);
  if (!found) {
    found = new RegExp(source);
    patterns.set(source, found);
  }
  return found;
};

/**
 * Every mismatch between `value` and `shape` (named shapes resolved through `shapes`), fatal ones
 * included; an empty list when the body is what the spec says.
 */
export function checkResponse(shape: Shape, value: unknown, shapes: Readonly<Record<string, Shape>>): Mismatch[] {
  const found: Mismatch[] = [];
  // The way down, as keys and indexes; a JSON pointer is only built for a mismatch, which keeps the
  // common case (a body that fits) free of string building: see bench/response-check.mjs.
  const path: (string | number)[] = [];
  const pointer = (last?: string) => {
    let out = "";
    for (const step of path) out += `/${typeof step === "number" ? step : escapeKey(step)}`;
    return last === undefined ? out : `${out}/${escapeKey(last)}`;
  };
  const add = (at: string, expected: string, actual: string, inferred: boolean, fatal: boolean) =>
    found.push({ pointer: at, expected, actual, inferred, fatal });

  const visit = (node: Shape, v: unknown, inferredAbove: boolean): void => {
    let s = node;
    let inferred = inferredAbove || s.inferred === true;
    while (s.ref) {
      s = shapes[s.ref] as Shape;
      if (s.inferred === true) inferred = true;
    }
    const type = s.type;
    let actual: string | undefined;
    if (type !== undefined) {
      actual = typeOf(v);
      const ok = typeof type === "string" ? fits(type, actual) : type.some((t) => fits(t, actual as string));
      if (!ok) {
        add(pointer(), typeof type === "string" ? type : type.join(" or "), actual, inferred, !inferred);
        return;
      }
    }
    if (s.enum && !s.enum.includes(v))
      add(pointer(), `one of: ${s.enum.join(", ")}`, JSON.stringify(v), inferred, false);
    if (s.pattern && typeof v === "string" && !regex(s.pattern).test(v))
      add(pointer(), `a string matching ${s.pattern}`, JSON.stringify(v), inferred, false);
    const properties = s.properties;
    if (properties && v !== null && typeof v === "object" && !Array.isArray(v)) {
      const object = v as Record<string, unknown>;
      if (s.required)
        for (const name of s.required)
          if (!(name in object)) {
            // whether it must be there is the parent's `required` (or the property's own mark), not a
            // fact about the schema it refers to: a documented field whose content is inferred is still documented
            const missingInferred = inferred || properties[name]?.inferred === true;
            add(pointer(name), "present", "missing", missingInferred, !missingInferred);
          }
      for (const name in object) {
        const property = properties[name];
        if (property) {
          path.push(name);
          visit(property, object[name], inferred);
          path.pop();
        } else add(pointer(name), "no such field", "present", inferred, false);
      }
    } else if (s.items && Array.isArray(v)) {
      const items = s.items;
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        visit(items, v[i], inferred);
        path.pop();
      }
    }
  };
  visit(shape, value, false);
  return found;
}
