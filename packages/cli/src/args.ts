// Command-line parsing on node:util parseArgs. It runs non-strict with tokens so that every mistake
// gets our own one-line message with a hint, instead of parseArgs' generic ones.
import { parseArgs } from "node:util";
import { COMMANDS, type FlagSpec, GLOBAL_FLAGS } from "./commands.js";
import { closest, UsageError } from "./errors.js";

/** A parsed command line. */
export interface ParsedArgs {
  /** The command, or undefined for bare `simcel` / `simcel --help`. */
  command: string | undefined;
  /** Flag values by long name (`"group-by"`), only those given. */
  values: Record<string, string | boolean>;
  /** The words after the command, for the one command that takes them (`simcel completion bash`). */
  args?: string[];
}

const ALL_FLAGS: Record<string, FlagSpec> = Object.assign(
  {},
  GLOBAL_FLAGS,
  ...Object.values(COMMANDS).map((c) => c.flags),
);

/** Parses `argv` (without node and script); throws {@link UsageError} on any mistake. */
export function parseCommandLine(argv: string[]): ParsedArgs {
  const options = Object.fromEntries(
    Object.entries(ALL_FLAGS).map(([name, f]) => [name, f.short ? { type: f.type, short: f.short } : { type: f.type }]),
  );
  let tokens: ReturnType<typeof parseArgs>["tokens"] = [];
  try {
    tokens = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true }).tokens ?? [];
  } catch (error) {
    throw new UsageError(`simcel: ${(error as Error).message}`);
  }
  const positionals = tokens.filter((t) => t.kind === "positional");
  const command = positionals[0]?.value;
  // options end at `--`; a --help (or -h) before it wins over every other flag, known or not
  const end = tokens.findIndex((t) => t.kind === "option-terminator");
  const flags = end === -1 ? tokens : tokens.slice(0, end);
  // (non-strict parseArgs reads `--plan --help` as plan "--help": that is a --help too)
  const helpAsked = flags.some(
    (t) => t.kind === "option" && (t.name === "help" || (!t.inlineValue && (t.value === "--help" || t.value === "-h"))),
  );
  if (command !== undefined && command !== "help" && !COMMANDS[command]) {
    const guess = closest(command, Object.keys(COMMANDS));
    throw new UsageError(
      `simcel: unknown command "${command}"${guess ? ` (did you mean "${guess}"?)` : ""}; commands: ${Object.keys(COMMANDS).join(", ")}; see simcel --help`,
    );
  }
  if (helpAsked && command !== "help") return { command, values: { help: true } };
  const where = command && command !== "help" ? `simcel ${command}` : "simcel";
  const allowed: Record<string, FlagSpec> = { ...GLOBAL_FLAGS, ...(command ? COMMANDS[command]?.flags : {}) };
  const values: Record<string, string | boolean> = {};
  const args: string[] = [];
  for (const token of tokens) {
    if (token.kind === "option-terminator") continue;
    if (token.kind === "positional") {
      if (token === positionals[0]) continue;
      // `simcel help pnl` is the one command that takes an argument.
      if (command === "help" && token === positionals[1] && COMMANDS[token.value]) {
        values.help = true;
        return { command: token.value, values };
      }
      // `simcel completion SHELL` (and the words its scripts pass back when completing ids)
      if (command === "completion") {
        args.push(token.value);
        continue;
      }
      throw new UsageError(`${where}: unexpected argument "${token.value}"; see ${where} --help`);
    }
    const spec = allowed[token.name];
    if (!spec) {
      const guess = closest(token.name, Object.keys(allowed));
      throw new UsageError(
        `${where}: unknown flag ${token.rawName}${guess ? ` (did you mean --${guess}?)` : ""}; see ${where} --help`,
      );
    }
    if (spec.type === "string") {
      // Non-strict parseArgs takes `--plan --json` as plan "--json": treat that as a missing value.
      if (token.value === undefined || token.value === "" || (!token.inlineValue && token.value.startsWith("--"))) {
        throw new UsageError(
          `${where}: --${token.name} needs a value${spec.value ? ` (--${token.name} ${spec.value})` : ""}`,
        );
      }
      values[token.name] = token.value;
    } else {
      if (token.inlineValue) throw new UsageError(`${where}: --${token.name} takes no value`);
      values[token.name] = true;
    }
  }
  return {
    command: command === "help" ? undefined : command,
    values: command === "help" ? { ...values, help: true } : values,
    ...(command === "completion" && { args }),
  };
}
