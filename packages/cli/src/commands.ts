// The CLI's commands and flags, derived from the command table in @simcel/commands (which the MCP
// server's tools come from too): each operation is a command, each of its parameters a flag. Only
// the global flags, `token` (no API operation), `report` and `doctor` (several operations) are the CLI's own,
// and `report` takes its flags from the operations it runs. Help text, argument validation
// and the README's command list are all derived from this one place.
import { OPERATION_LIST, OPERATIONS, type Operation } from "@simcel/commands";

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
  /** The values it takes (the spec's enum), for shell completion. */
  choices?: readonly string[];
  /** Completed from the plans the credential can read: plan ids, or scenario ids (a comma list for --scenarios). */
  ids?: "plans" | "scenarios";
  /** Completed as a file name. */
  file?: boolean;
}

/** One command. */
export interface CommandSpec {
  summary: string;
  /** Usage line after `simcel <name>`. */
  usage: string;
  flags: Record<string, FlagSpec>;
  /** The operation of the command table it runs; none for `token`. */
  operation?: Operation;
  /** More for its help, after the flags. */
  details?: string;
}

/** Flags every command accepts. */
export const GLOBAL_FLAGS: Record<string, FlagSpec> = {
  json: { type: "boolean", description: "machine output: JSON on stdout, nothing else" },
  "base-url": {
    type: "string",
    value: "URL",
    description: "API base URL (default: SIMCEL_BASE_URL or https://app.simcel.io/api)",
  },
  sandbox: {
    type: "boolean",
    description: "run against a local SIMCEL sandbox with invented data: no account needed (also SIMCEL_SANDBOX=1)",
  },
  "no-token-cache": {
    type: "boolean",
    description: "sign in afresh: do not use or keep the token between runs (also SIMCEL_TOKEN_CACHE=off)",
  },
  color: {
    type: "string",
    value: "WHEN",
    choices: ["auto", "always", "never"],
    description: "auto (default: on a terminal, unless NO_COLOR or TERM=dumb), always or never",
  },
  "no-color": { type: "boolean", description: "no colour (as --color=never)" },
  help: { type: "boolean", short: "h", description: "show help" },
  version: { type: "boolean", short: "V", description: "show the version" },
};

type Parameter = Operation["parameters"][number];
/** Which parameters complete as ids of the plans the credential can read. */
const IDS: Record<string, "plans" | "scenarios"> = {
  planId: "plans",
  baseScenarioId: "scenarios",
  scenarioIds: "scenarios",
};
const flagOf = (p: Parameter): FlagSpec => ({
  type: "string",
  value: p.value,
  description: p.help,
  param: p.name,
  ...(p.facts.enum && { choices: p.facts.enum }),
  ...(Object.hasOwn(IDS, p.name) && { ids: IDS[p.name] as "plans" | "scenarios" }),
});
const usageOf = (p: Parameter) => (p.required ? `--${p.flag} ${p.usageValue}` : `[--${p.flag} ${p.usageValue}]`);

/** A command of the table: its parameters as flags, required ones first in the usage line as the table orders them. */
function commandOf(operation: Operation): CommandSpec {
  const flags: Record<string, FlagSpec> = {};
  for (const p of operation.parameters) flags[p.flag] = flagOf(p);
  return { summary: operation.summary, usage: operation.parameters.map(usageOf).join(" "), flags, operation };
}

/** `simcel report`: compare's parameters (plan, base, scenarios, dates, currency), co2's breakdown, and the file. */
function reportCommand(): CommandSpec {
  const groupBy = OPERATIONS.co2.parameters.find((p) => p.name === "groupBy") as Parameter;
  const parameters = [...OPERATIONS.compare.parameters, groupBy];
  const flags: Record<string, FlagSpec> = {};
  for (const p of parameters) flags[p.flag] = flagOf(p);
  flags[groupBy.flag] = { ...flagOf(groupBy), description: `CO2 breakdown: ${groupBy.help}` };
  flags.out = {
    type: "string",
    value: "FILE",
    file: true,
    description: "the HTML file, or a folder for the default name, or - for stdout (default simcel-<plan>-<date>.html)",
  };
  return {
    summary: "one-file HTML report of a plan: EBIT bridge, P&L comparison, monthly demand, CO2",
    usage: `${parameters.map(usageOf).join(" ")} [--out FILE]`,
    flags,
  };
}

/** `simcel doctor`: the plan to read (default the first one the key sees). */
function doctorCommand(): CommandSpec {
  const plan = OPERATIONS.pnl.parameters.find((p) => p.name === "planId") as Parameter;
  return {
    summary: "check your setup and where the API differs from the SDK's spec (paste its summary into a bug report)",
    usage: `[--${plan.flag} ${plan.value}]`,
    flags: {
      [plan.flag]: { ...flagOf(plan), description: "the plan to read data of (default: the first plan the key sees)" },
    },
  };
}

/** The commands, in help order. */
export const COMMANDS: Record<string, CommandSpec> = {
  ...Object.fromEntries(OPERATION_LIST.map((op) => [op.command, commandOf(op)])),
  report: reportCommand(),
  doctor: doctorCommand(),
  token: {
    summary: "who am I: credential kind, token expiry, scopes",
    usage: "[--show-token]",
    flags: { "show-token": { type: "boolean", description: "also print the access token (a secret)" } },
  },
  completion: {
    summary: "a shell completion script: bash, zsh, fish or powershell (see simcel completion --help)",
    usage: "bash|zsh|fish|powershell",
    flags: {},
    details: `Load it in the running shell, or add the line to the shell's start-up file:
  bash        source <(simcel completion bash)
  zsh         source <(simcel completion zsh)          (after compinit)
  fish        simcel completion fish | source
  powershell  simcel completion powershell | Out-String | Invoke-Expression
It completes commands, flags and their values; plan and scenario ids come from the last \`simcel plans\` (kept
beside the token cache) or, failing that, from one quick plans call with your credentials.
`,
  },
};

/** The shells `simcel completion` writes a script for. */
export const SHELLS = ["bash", "zsh", "fish", "powershell"] as const;
