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
  // Keys and indices from the body down to the value being visited: a pointer is joined from them only when a
  // mismatch is recorded, so a valid body (the usual case) costs no string building.
  const path: (string | number)[] = [];
  const pointer = (last?: string) => {
    let joined = "";
    for (const key of path) joined += `/${escapeKey(String(key))}`;
    return last === undefined ? joined : `${joined}/${escapeKey(last)}`;
  };
  const resolve = (s: Shape): [Shape, boolean] => {
    let inferred = s.inferred === true;
    while (s.ref) {
      s = shapes[s.ref] as Shape;
      inferred ||= s.inferred === true;
    }
    return [s, inferred];
  };
  const visit = (node: Shape, v: unknown, inferredAbove: boolean): void => {
    const [s, own] = resolve(node);
    const inferred = inferredAbove || own;
    const actual = typeOf(v);
    if (s.type !== undefined) {
      const types = typeof s.type === "string" ? [s.type] : s.type;
      if (!types.some((t) => fits(t, actual))) {
        found.push({ pointer: pointer(), expected: types.join(" or "), actual, inferred, fatal: !inferred });
        return;
      }
    }
    if (s.enum && !s.enum.includes(v))
      found.push({
        pointer: pointer(),
        expected: `one of: ${s.enum.join(", ")}`,
        actual: JSON.stringify(v),
        inferred,
        fatal: false,
      });
    if (s.pattern && typeof v === "string" && !regex(s.pattern).test(v))
      found.push({
        pointer: pointer(),
        expected: `a string matching ${s.pattern}`,
        actual: JSON.stringify(v),
        inferred,
        fatal: false,
      });
    if (actual === "object" && s.properties) {
      const object = v as Record<string, unknown>;
      for (const name of s.required ?? [])
        if (!(name in object)) {
          const property = s.properties[name];
          const missingInferred = inferred || (property !== undefined && resolve(property)[1]);
          found.push({
            pointer: pointer(name),
            expected: "present",
            actual: "missing",
            inferred: missingInferred,
            fatal: !missingInferred,
          });
        }
      for (const name in object) {
        const property = s.properties[name];
        if (property) {
          path.push(name);
          visit(property, object[name], inferred);
          path.pop();
        } else
          found.push({
            pointer: pointer(name),
            expected: "no such field",
            actual: "present",
            inferred,
            fatal: false,
          });
      }
    } else if (actual === "array" && s.items) {
      const items = s.items;
      const list = v as unknown[];
      for (let i = 0; i < list.length; i++) {
        path.push(i);
        visit(items, list[i], inferred);
        path.pop();
      }
    }
  };
  visit(shape, value, false);
  return found;
}
