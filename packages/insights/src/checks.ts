import { InvalidRequestError } from "./errors.js";
import { operations } from "./generated/operations.js";

/** A query-parameter constraint as `operations` (generated from the spec) states it. */
export interface ParamRule {
  readonly required?: boolean;
  readonly array?: boolean;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: boolean;
  readonly items?: ParamRule;
  readonly enum?: readonly string[];
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly format?: string;
  /** The keywords of this rule that are only our inference (`x-simcel-inferred` in the spec). */
  readonly inferred?: readonly string[];
}

/** A rule the spec only inferred that a value breaks; outside strict mode the value is sent anyway. */
export interface InferredRuleBroken {
  /** The parameter, e.g. `planId`. */
  param: string;
  /** JSON pointer of the value within the parameters: `/planId`, `/scenarioIds/1`. */
  pointer: string;
  /** The schema keyword, e.g. `pattern`, `maxLength`, `uniqueItems`, `enum`. */
  keyword: string;
  /** What the spec guessed, e.g. `a string matching ^[A-Za-z0-9_-]+$`. */
  expected: string;
  /** The value, as JSON. */
  actual: string;
}

/** Options of the pre-flight checks. */
export interface ParamCheckOptions {
  /** Refuse values that break a rule the spec only inferred, as documented rules are refused. Default false. */
  strict?: boolean;
}

/** The refusal's words and the event's `expected`, for a rule phrased "must be …". */
const must = (expected: string): [string, string] => [`must be ${expected}`, expected];

/** `YYYY-MM-DD` naming a day that exists (Date.parse alone rolls 2025-02-30 over to March). */
const isDate = (v: string) => {
  const t = Date.parse(v);
  return /^\d{4}-\d\d-\d\d$/.test(v) && !Number.isNaN(t) && new Date(t).toISOString().startsWith(v);
};

/**
 * Checks `params` against the spec's rules before any request is sent, so a mistake costs no
 * round trip and the error says what to fix. Throws `InvalidRequestError` for a documented rule; a rule
 * the spec only inferred (an id's alphabet, a length limit) is refused only with `strict`, and otherwise
 * returned, for the caller to report, while the value is sent: the API may well accept it.
 */
export function checkParams(
  rules: Readonly<Record<string, ParamRule>>,
  params: Readonly<Record<string, unknown>>,
  method: string,
  path: string,
  options: ParamCheckOptions = {},
): InferredRuleBroken[] {
  const broken: InferredRuleBroken[] = [];
  const fail = (param: string, what: string, value?: unknown): never => {
    throw new InvalidRequestError(`${param} ${what}${value === undefined ? "" : ` (got ${JSON.stringify(value)})`}`, {
      param,
      method,
      path,
    });
  };
  /** A broken rule: refused when documented (or strict), else noted and let through. */
  const breaks = (
    rule: ParamRule,
    keyword: string,
    param: string,
    pointer: string,
    [what, expected]: [string, string],
    value: unknown,
  ) => {
    if (!rule.inferred?.includes(keyword)) return fail(param, what, value);
    if (options.strict) return fail(param, `${what}, a rule the SDK's spec infers and strict mode enforces`, value);
    broken.push({ param, pointer, keyword, expected, actual: JSON.stringify(value) });
  };
  const check = (name: string, rule: ParamRule, v: unknown, pointer: string) => {
    if (typeof v !== "string") return fail(name, "must be a string", v);
    if (rule.enum && !rule.enum.includes(v))
      breaks(rule, "enum", name, pointer, must(`one of: ${rule.enum.join(", ")}`), v);
    if (rule.format === "date" && !isDate(v))
      breaks(rule, "format", name, pointer, must("a calendar date YYYY-MM-DD"), v);
    if (v.length < (rule.minLength ?? 0))
      breaks(rule, "minLength", name, pointer, must(`at least ${rule.minLength} characters`), v);
    else if (rule.pattern && !new RegExp(rule.pattern).test(v))
      breaks(rule, "pattern", name, pointer, [`must match ${rule.pattern}`, `a string matching ${rule.pattern}`], v);
    if (v.length > (rule.maxLength ?? v.length))
      breaks(rule, "maxLength", name, pointer, must(`at most ${rule.maxLength} characters`), v);
  };
  for (const name in params)
    if (params[name] != null && !(name in rules))
      fail(name, `is not a parameter of ${path}; accepted: ${Object.keys(rules).join(", ")}`);
  for (const [name, rule] of Object.entries(rules)) {
    const v = params[name];
    if (v == null || (v === "" && rule.required)) {
      if (rule.required) fail(name, "is required");
    } else if (rule.array) {
      if (!Array.isArray(v)) fail(name, "must be a list of ids", v);
      else if (v.length > (rule.maxItems ?? v.length)) fail(name, `accepts at most ${rule.maxItems} ids`, v);
      else if (v.length < (rule.minItems ?? 0)) fail(name, `needs at least ${rule.minItems} id when given`, v);
      else {
        if (rule.uniqueItems && new Set(v).size < v.length)
          breaks(rule, "uniqueItems", name, `/${name}`, ["must not repeat an id", "no repeated id"], v);
        v.forEach((item, i) => {
          check(name, rule.items ?? {}, item, `/${name}/${i}`);
        });
      }
    } else check(name, rule, v, `/${name}`);
  }
  const { dateFrom, dateTo } = params;
  if (dateFrom && dateTo && (dateFrom as string) > (dateTo as string))
    fail("dateFrom", `must not be after dateTo (${dateTo})`, dateFrom);
  return broken;
}

/** The operations whose parameters `checkOperationParams` knows. */
export type CheckedOperation = {
  [K in keyof typeof operations]: (typeof operations)[K] extends { query: object } ? K : never;
}[keyof typeof operations];

/**
 * The pre-flight checks a client method runs before sending, on their own: throws the same
 * `InvalidRequestError` (naming the parameter) for `params` that would never be sent, and returns the
 * rules the spec only inferred that `params` break (sent anyway, unless `strict`). For tools that
 * validate a whole batch of requests before making any.
 */
export function checkOperationParams(
  operation: CheckedOperation,
  params: Readonly<Record<string, unknown>>,
  options: ParamCheckOptions = {},
): InferredRuleBroken[] {
  const { method, path, query } = operations[operation];
  return checkParams(query as Record<string, ParamRule>, params, method, path, options);
}
