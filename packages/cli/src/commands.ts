// The command table: every command, its flags and its one-line summary. Help text, argument
// validation and the README's command list are all derived from this one place.

/** One flag of a command. */
export interface FlagSpec {
  /** `string` flags take a value (`--plan ID`), `boolean` flags do not. */
  type: "string" | "boolean";
  /** One-letter alias. */
  short?: string;
  /** Placeholder of the value in help, e.g. `ID`. */
  value?: string;
  /** One line for help. */
  description: string;
  /** The API query parameter this flag feeds; used to name the flag in the API's validation errors. */
  param?: string;
}

/** One command. */
export interface CommandSpec {
  summary: string;
  /** Usage line after `simcel <name>`. */
  usage: string;
  flags: Record<string, FlagSpec>;
}

const plan: FlagSpec = {
  type: "string",
  value: "ID",
  description: "plan id, as listed by `simcel plans`",
  param: "planId",
};
const scenarios: FlagSpec = {
  type: "string",
  value: "A,B,C",
  description: "up to 3 scenario ids, comma-separated (default: the plan's)",
  param: "scenarioIds",
};
const from: FlagSpec = { type: "string", value: "DATE", description: "first day, YYYY-MM-DD", param: "dateFrom" };
const to: FlagSpec = { type: "string", value: "DATE", description: "last day, YYYY-MM-DD", param: "dateTo" };
const currency: FlagSpec = {
  type: "string",
  value: "XXX",
  description: "ISO 4217 currency (default: the plan's)",
  param: "currency",
};

/** Flags every command accepts. */
export const GLOBAL_FLAGS: Record<string, FlagSpec> = {
  json: { type: "boolean", description: "machine output: JSON on stdout, nothing else" },
  "base-url": {
    type: "string",
    value: "URL",
    description: "API base URL (default: SIMCEL_BASE_URL or https://app.simcel.io/api)",
  },
  help: { type: "boolean", short: "h", description: "show help" },
  version: { type: "boolean", short: "V", description: "show the version" },
};

/** The commands, in help order. */
export const COMMANDS: Record<string, CommandSpec> = {
  plans: { summary: "plans with their scenarios and flags", usage: "", flags: {} },
  pnl: {
    summary: "P&L summary of a plan's scenarios",
    usage: "--plan ID [--scenarios A,B,C] [--interval FY|M] [--from DATE] [--to DATE] [--currency XXX]",
    flags: {
      plan,
      scenarios,
      interval: { type: "string", value: "FY|M", description: "fiscal year or month (default FY)", param: "interval" },
      from,
      to,
      currency,
    },
  },
  demand: {
    summary: "demand forecast: volume, value, fill rate, accuracy",
    usage:
      "--plan ID [--scenarios A,B,C] [--interval D|W|M|FY] [--group-by product|sku|region|channel] [--from DATE] [--to DATE] [--currency XXX]",
    flags: {
      plan,
      scenarios,
      interval: {
        type: "string",
        value: "D|W|M|FY",
        description: "day, ISO week, month or fiscal year (default M)",
        param: "interval",
      },
      "group-by": { type: "string", value: "DIM", description: "product, sku, region or channel", param: "groupBy" },
      from,
      to,
      currency,
    },
  },
  co2: {
    summary: "CO2 emissions in tCO2e (endpoint not yet in production)",
    usage:
      "--plan ID [--scenarios A,B,C] [--interval FY|M] [--group-by dc|region|transport_mode] [--from DATE] [--to DATE]",
    flags: {
      plan,
      scenarios,
      interval: { type: "string", value: "FY|M", description: "fiscal year or month (default FY)", param: "interval" },
      "group-by": {
        type: "string",
        value: "DIM",
        description: "dc, region or transport_mode (default dc)",
        param: "groupBy",
      },
      from,
      to,
    },
  },
  compare: {
    summary: "fiscal-year P&L of scenarios against a base: value, delta, delta %",
    usage: "--plan ID [--base SCENARIO] [--scenarios A,B,C] [--from DATE] [--to DATE] [--currency XXX]",
    flags: {
      plan,
      base: {
        type: "string",
        value: "SCENARIO",
        description: "base scenario id (default: the plan's committed scenario)",
        param: "baseScenarioId",
      },
      scenarios,
      from,
      to,
      currency,
    },
  },
  // simcel report (issue 12): the HTML report lives in src/report/; this entry is its only wiring here.
  report: {
    summary: "one-file HTML report of a plan: EBIT bridge, P&L comparison, monthly demand, CO2",
    usage:
      "--plan ID [--scenarios A,B,C] [--base SCENARIO] [--from DATE] [--to DATE] [--currency XXX] [--group-by dc|region|transport_mode] [--out FILE]",
    flags: {
      plan,
      scenarios,
      base: {
        type: "string",
        value: "SCENARIO",
        description: "base of the EBIT bridge and the comparison (default: committed, then primary, then first)",
        param: "baseScenarioId",
      },
      from,
      to,
      currency,
      "group-by": {
        type: "string",
        value: "DIM",
        description: "CO2 breakdown by dc, region or transport_mode (default dc)",
        param: "groupBy",
      },
      out: {
        type: "string",
        value: "FILE",
        description:
          "the HTML file, or a folder for the default name, or - for stdout (default simcel-<plan>-<date>.html)",
      },
    },
  },
  token: {
    summary: "who am I: credential kind, token expiry, scopes",
    usage: "[--show-token]",
    flags: { "show-token": { type: "boolean", description: "also print the access token (a secret)" } },
  },
};
