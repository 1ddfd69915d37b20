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
}

/** `YYYY-MM-DD` naming a day that exists (Date.parse alone rolls 2025-02-30 over to March). */
const isDate = (v: string) => {
  const t = Date.parse(v);
  return /^\d{4}-\d\d-\d\d$/.test(v) && !Number.isNaN(t) && new Date(t).toISOString().startsWith(v);
};

/**
 * Checks `params` against the spec's rules before any request is sent, so a mistake costs no
 * round trip and the error says what to fix. Throws `InvalidRequestError`.
 */
export function checkParams(
  rules: Readonly<Record<string, ParamRule>>,
  params: Readonly<Record<string, unknown>>,
  method: string,
  path: string,
): void {
  const fail = (param: string, what: string, value?: unknown): never => {
    throw new InvalidRequestError(`${param} ${what}${value === undefined ? "" : ` (got ${JSON.stringify(value)})`}`, {
      param,
      method,
      path,
    });
  };
  const check = (name: string, rule: ParamRule, v: unknown) => {
    if (typeof v !== "string") return fail(name, "must be a string", v);
    if (rule.enum && !rule.enum.includes(v)) fail(name, `must be one of: ${rule.enum.join(", ")}`, v);
    if (rule.format === "date" && !isDate(v)) fail(name, "must be a calendar date YYYY-MM-DD", v);
    if (
      (rule.pattern && !new RegExp(rule.pattern).test(v)) ||
      v.length < (rule.minLength ?? 0) ||
      v.length > (rule.maxLength ?? v.length)
    )
      fail(
        name,
        `must match ${rule.pattern}${rule.maxLength ? ` and be at most ${rule.maxLength} characters` : ""}`,
        v,
      );
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
        if (rule.uniqueItems && new Set(v).size < v.length) fail(name, "must not repeat an id", v);
        for (const item of v) check(name, rule.items ?? {}, item);
      }
    } else check(name, rule, v);
  }
  const { dateFrom, dateTo } = params;
  if (dateFrom && dateTo && (dateFrom as string) > (dateTo as string))
    fail("dateFrom", `must not be after dateTo (${dateTo})`, dateFrom);
}

/** The operations whose parameters `checkOperationParams` knows. */
export type CheckedOperation = {
  [K in keyof typeof operations]: (typeof operations)[K] extends { query: object } ? K : never;
}[keyof typeof operations];

/**
 * The pre-flight checks a client method runs before sending, on their own: throws the same
 * `InvalidRequestError` (naming the parameter) for `params` that would never be sent. For tools that
 * validate a whole batch of requests before making any.
 */
export function checkOperationParams(operation: CheckedOperation, params: Readonly<Record<string, unknown>>): void {
  const { method, path, query } = operations[operation];
  checkParams(query as Record<string, ParamRule>, params, method, path);
}
