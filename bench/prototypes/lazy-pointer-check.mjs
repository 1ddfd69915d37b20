// A PROTOTYPE of the response check (packages/insights/src/response-check.ts) that builds JSON pointers only
// when it records a mismatch: the shipped one escapes and concatenates a pointer for every field it visits,
// which is most of its cost on a valid body. Same checks, same results (bench/response-check.mjs proves it on
// valid and broken bodies before it measures both). For measurement only; not the library's code.

const typeOf = (value) =>
  value === null
    ? "null"
    : Array.isArray(value)
      ? "array"
      : typeof value === "number" && Number.isInteger(value)
        ? "integer"
        : typeof value;
const fits = (type, actual) => type === actual || (type === "number" && actual === "integer");
const escapeKey = (key) => String(key).replaceAll("~", "~0").replaceAll("/", "~1");
const patterns = new Map();
const regex = (source) => {
  let found = patterns.get(source);
  if (!found) {
    found = new RegExp(source);
    patterns.set(source, found);
  }
  return found;
};

export function checkResponseLazy(shape, value, shapes) {
  const found = [];
  /** Keys and indices from the body to the value being visited; a pointer is joined from it on demand. */
  const path = [];
  const pointer = (last) => {
    let p = "";
    for (const key of path) p += `/${escapeKey(key)}`;
    return last === undefined ? p : `${p}/${escapeKey(last)}`;
  };
  const resolve = (s) => {
    let inferred = s.inferred === true;
    while (s.ref) {
      s = shapes[s.ref];
      inferred ||= s.inferred === true;
    }
    return [s, inferred];
  };
  const visit = (node, v, inferredAbove) => {
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
      for (const name of s.required ?? [])
        if (!(name in v)) {
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
      for (const name in v) {
        const property = s.properties[name];
        if (property) {
          path.push(name);
          visit(property, v[name], inferred);
          path.pop();
        } else
          found.push({ pointer: pointer(name), expected: "no such field", actual: "present", inferred, fatal: false });
      }
    } else if (actual === "array" && s.items) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        visit(s.items, v[i], inferred);
        path.pop();
      }
    }
  };
  visit(shape, value, false);
  return found;
}
