import { describe, expect, it } from "vitest";
import { parseCommandLine } from "../src/args.js";
import { UsageError } from "../src/errors.js";

function usageMessage(argv: string[]): string {
  try {
    parseCommandLine(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`no usage error for ${argv.join(" ")}`);
}

describe("parseCommandLine", () => {
  it("reads the command and its flags, with global flags before or after the command", () => {
    expect(parseCommandLine(["--json", "pnl", "--plan", "p1", "--scenarios=a,b", "--interval", "M"])).toEqual({
      command: "pnl",
      values: { json: true, plan: "p1", scenarios: "a,b", interval: "M" },
    });
    expect(parseCommandLine(["plans", "--base-url", "http://127.0.0.1:1"]).values).toEqual({
      "base-url": "http://127.0.0.1:1",
    });
  });

  it("has no command for a bare call, and -h / -V as short flags", () => {
    expect(parseCommandLine([])).toEqual({ command: undefined, values: {} });
    expect(parseCommandLine(["-h"]).values).toEqual({ help: true });
    expect(parseCommandLine(["demand", "-V"]).values).toEqual({ version: true });
  });

  it("accepts `help <command>` as `<command> --help`", () => {
    expect(parseCommandLine(["help", "pnl"])).toEqual({ command: "pnl", values: { help: true } });
    expect(parseCommandLine(["help"])).toEqual({ command: undefined, values: { help: true } });
  });

  it("rejects an unknown command with a did-you-mean hint and the command list", () => {
    expect(usageMessage(["tokn"])).toBe(
      'simcel: unknown command "tokn" (did you mean "token"?); commands: plans, pnl, demand, co2, compare, report, doctor, token, completion; see simcel --help',
    );
    expect(usageMessage(["frobnicate"])).not.toContain("did you mean");
  });

  it("rejects an unknown flag, naming it and the nearest known one", () => {
    expect(usageMessage(["pnl", "--plan", "p", "--form", "2025-01-01"])).toBe(
      "simcel pnl: unknown flag --form (did you mean --from?); see simcel pnl --help",
    );
    expect(usageMessage(["plans", "-x"])).toBe("simcel plans: unknown flag -x; see simcel plans --help");
  });

  it("rejects a flag that belongs to another command", () => {
    expect(usageMessage(["pnl", "--group-by", "sku"])).toMatch(/^simcel pnl: unknown flag --group-by/);
    expect(usageMessage(["plans", "--show-token"])).toMatch(/^simcel plans: unknown flag --show-token/);
  });

  it("rejects a value flag without a value, including when the next word is a flag", () => {
    expect(usageMessage(["pnl", "--plan"])).toBe("simcel pnl: --plan needs a value (--plan ID)");
    expect(usageMessage(["pnl", "--plan", "--json"])).toBe("simcel pnl: --plan needs a value (--plan ID)");
    expect(usageMessage(["pnl", "--plan="])).toBe("simcel pnl: --plan needs a value (--plan ID)");
  });

  it("rejects a value given to a switch and stray arguments", () => {
    expect(usageMessage(["plans", "--json=yes"])).toBe("simcel plans: --json takes no value");
    expect(usageMessage(["plans", "extra"])).toBe('simcel plans: unexpected argument "extra"; see simcel plans --help');
    // `--` ends the options: what follows is an argument, and plans takes none
    expect(usageMessage(["plans", "--", "x"])).toBe('simcel plans: unexpected argument "x"; see simcel plans --help');
    expect(usageMessage(["plans", "--", "--json"])).toBe(
      'simcel plans: unexpected argument "--json"; see simcel plans --help',
    );
  });

  it("takes `--` as the end of the options", () => {
    expect(parseCommandLine(["plans", "--json", "--"])).toEqual({ command: "plans", values: { json: true } });
    expect(parseCommandLine(["--", "plans"])).toEqual({ command: "plans", values: {} });
  });

  it("--help (or -h) wins over any other flag, even an unknown one or one without its value", () => {
    for (const argv of [
      ["pnl", "--help", "--bogus"],
      ["pnl", "--bogus", "-h"],
      ["pnl", "--plan", "--help"],
      ["pnl", "--json=yes", "--help", "--version"],
    ])
      expect(parseCommandLine(argv), argv.join(" ")).toEqual({ command: "pnl", values: { help: true } });
    expect(parseCommandLine(["--help", "--bogus"])).toEqual({ command: undefined, values: { help: true } });
    // after `--` it is an argument, not a flag
    expect(usageMessage(["pnl", "--", "--help"])).toMatch(/^simcel pnl: unexpected argument "--help"/);
  });

  it("offers only close matches: a typo, never a different flag", () => {
    expect(usageMessage(["pnl", "-p", "x"])).toBe("simcel pnl: unknown flag -p; see simcel pnl --help");
    expect(usageMessage(["pnl", "--frm", "x"])).toMatch(/did you mean --from\?/);
    expect(usageMessage(["pnl", "--scenarois", "a"])).toMatch(/did you mean --scenarios\?/);
    expect(usageMessage(["pnl", "--to-date", "x"])).not.toContain("did you mean");
    expect(usageMessage(["pnl", "--plna", "x"])).toMatch(/did you mean --plan\?/);
    expect(usageMessage(["toke"])).toMatch(/did you mean "token"\?/);
    expect(usageMessage(["p"])).not.toContain("did you mean");
  });
});
