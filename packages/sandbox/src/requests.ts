// A data request read from its query string and checked against the operation's parameter rules, which are
// generated from the spec (required, enum, pattern, length, list size, unique ids, date format): a broken rule
// is the spec's 400 with a message naming the parameter; a value left out takes the spec's default.
import { type Interval, parseDate } from "./calendar.js";
import { ApiRefusal, messages, type OperationId } from "./errors.js";
import { operations } from "./generated/operations.js";

/** The three operations that read a plan's data. */
export type DataOperation = "getPnlSummary" | "getDemandForecast" | "getSustainability";

/** A data request, every parameter checked. */
export interface DataRequest {
  operation: DataOperation;
  planId: string;
  /** As asked, in order, no duplicates; undefined: the plan's scenarios. */
  scenarioIds: string[] | undefined;
  currency: string | undefined;
  interval: Interval;
  groupBy: string | undefined;
  dateFrom: number | undefined;
  dateTo: number | undefined;
}

interface Rule {
  required?: boolean;
  array?: boolean;
  enum?: readonly string[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  default?: string;
  items?: Rule;
}

/** Why `value` breaks `rule`, as the message of a 400; undefined when it keeps it. */
function broken(name: string, value: string, rule: Rule): string | undefined {
  if (rule.minLength !== undefined && value.length < rule.minLength) return `${name} must not be empty`;
  if (rule.maxLength !== undefined && value.length > rule.maxLength)
    return `${name} must be at most ${rule.maxLength} characters`;
  if (rule.pattern !== undefined && !new RegExp(rule.pattern).test(value)) return `${name} must match ${rule.pattern}`;
  if (rule.enum !== undefined && !rule.enum.includes(value)) return messages.oneOf(name, rule.enum);
  if (rule.format === "date" && parseDate(value) === undefined) return `${name} must be a date (YYYY-MM-DD)`;
  return undefined;
}

/** The parameters of `operation` from `query`, each checked; throws a {@link ApiRefusal} (400) on the first broken rule. */
export function readQuery(operation: DataOperation, query: URLSearchParams): DataRequest {
  const rules = (operations[operation] as { query: Record<string, Rule> }).query;
  const values: Record<string, string | string[] | undefined> = {};
  for (const [name, rule] of Object.entries(rules)) {
    const raw = query.get(name) ?? undefined;
    if (raw === undefined) {
      if (rule.required) throw new ApiRefusal(400, `${name} is required`);
      values[name] = rule.default;
      continue;
    }
    if (rule.array) {
      const list = raw.split(",");
      if (rule.minItems !== undefined && list.length < rule.minItems)
        throw new ApiRefusal(400, `${name} must not be empty`);
      if (rule.maxItems !== undefined && list.length > rule.maxItems)
        throw new ApiRefusal(400, messages.tooMany(name, rule.maxItems));
      if (rule.uniqueItems && new Set(list).size !== list.length)
        throw new ApiRefusal(400, `${name} must not name an id twice`);
      for (const item of list) {
        const why = rule.items && broken(name, item, rule.items);
        if (why) throw new ApiRefusal(400, why);
      }
      values[name] = list;
    } else {
      const why = broken(name, raw, rule);
      if (why) throw new ApiRefusal(400, why);
      values[name] = raw;
    }
  }
  const day = (name: string) => (typeof values[name] === "string" ? parseDate(values[name] as string) : undefined);
  return {
    operation,
    planId: values.planId as string,
    scenarioIds: values.scenarioIds as string[] | undefined,
    currency: values.currency as string | undefined,
    interval: (values.interval ?? "FY") as Interval,
    groupBy: values.groupBy as string | undefined,
    dateFrom: day("dateFrom"),
    dateTo: day("dateTo"),
  };
}

/** Whether `id` names an operation that reads a plan's data. */
export const isDataOperation = (id: OperationId | undefined): id is DataOperation =>
  id === "getPnlSummary" || id === "getDemandForecast" || id === "getSustainability";
