import { describe, expect, it } from "vitest";
import { dangerousIn } from "../../../scripts/test/untrusted-text.js";
import { createLineLogger, debugEnables } from "../src/index.js";

function capture(level: string | undefined, redact = (t: string) => t) {
  const lines: string[] = [];
  const made = createLineLogger({
    level,
    name: "simcel-mcp",
    write: (line) => lines.push(line),
    redact,
    now: () => Date.parse("2026-01-02T03:04:05.678Z"),
  });
  return { ...made, lines };
}

describe("createLineLogger", () => {
  it("is silent by default and with off: no method at all, so callers skip building fields", () => {
    for (const level of [undefined, "", "off", " OFF "]) {
      const { logger, warning, lines } = capture(level);
      expect(logger).toEqual({});
      expect(warning).toBeUndefined();
      expect(lines).toEqual([]);
    }
  });

  it("writes the level and above, one line each, with a timestamp, the name and JSON fields", () => {
    const { logger, lines } = capture("warn");
    expect(Object.keys(logger).sort()).toEqual(["error", "warn"]);
    logger.warn?.("tool call", { tool: "list_plans", ok: false });
    logger.error?.("boom");
    expect(lines).toEqual([
      '2026-01-02T03:04:05.678Z simcel-mcp warn tool call {"tool":"list_plans","ok":false}\n',
      "2026-01-02T03:04:05.678Z simcel-mcp error boom\n",
    ]);
    expect(Object.keys(capture("debug").logger)).toEqual(["debug", "info", "warn", "error"]);
  });

  it("every line passes through redact, fields included", () => {
    const { logger, lines } = capture("info", (t) => t.replaceAll("sk_test_FAKE_key", "[redacted]"));
    logger.info?.("key sk_test_FAKE_key", { key: "sk_test_FAKE_key" });
    expect(lines[0]).not.toContain("FAKE");
    expect(lines[0]).toContain('key [redacted] {"key":"[redacted]"}');
  });

  it("shows API text in a message or a field escaped: a line reaches a person's terminal", () => {
    const { logger, lines } = capture("warn");
    const name = "Q3\u202E \u001b[2J\u001b]52;c;aGk=\u0007\u009b";
    logger.warn?.(`listPlans: the API sent ${name}`, { actual: name, nested: { flags: ["a\u2066b"] } });
    const line = lines[0] as string;
    expect(dangerousIn(line.slice(0, -1))).toEqual([]);
    expect(line.endsWith("\n")).toBe(true);
    expect(line).toContain("the API sent Q3\\u202e \\x1b[2J\\x1b]52;c;aGk=\\x07\\x9b {");
    // the fields stay JSON, and read back to the very values
    const fields = JSON.parse(line.slice(line.indexOf(" {") + 1));
    expect(fields).toEqual({ actual: name, nested: { flags: ["a\u2066b"] } });
  });

  it("fields that JSON cannot show plainly (errors, cycles, bigints) never throw", () => {
    const { logger, lines } = capture("debug");
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    logger.debug?.("odd", { error: new TypeError("bad"), cycle, n: 10n });
    expect(lines[0]).toContain(
      '{"error":{"name":"TypeError","message":"bad"},"cycle":{"a":1,"self":"[circular]"},"n":"10"}',
    );
  });

  it("an unknown level turns logging off and says so once", () => {
    const { logger, warning } = capture("verbose");
    expect(logger).toEqual({});
    expect(warning).toBe(
      'simcel-mcp: SIMCEL_LOG must be one of debug, info, warn, error or off (got "verbose"); logging is off',
    );
  });
});

describe("DEBUG=simcel* turns on debug logging, as the debug package's users expect", () => {
  const made = (level: string | undefined, debug: string | undefined) =>
    createLineLogger({ level, debug, name: "simcel", write: () => {}, redact: (t) => t });

  it("reads DEBUG's patterns: wildcards, lists and exclusions", () => {
    for (const value of ["simcel*", "simcel", "*", "express,simcel*", "other simcel*"])
      expect(debugEnables(value, "simcel"), value).toBe(true);
    for (const value of [undefined, "", "express*", "simcel:x", "*,-simcel*", "-simcel"])
      expect(debugEnables(value, "simcel"), String(value)).toBe(false);
  });

  it("DEBUG alone logs at debug; SIMCEL_LOG, when set, decides", () => {
    expect(Object.keys(made(undefined, "simcel*").logger).sort()).toEqual(["debug", "error", "info", "warn"]);
    expect(Object.keys(made("warn", "simcel*").logger).sort()).toEqual(["error", "warn"]);
    expect(made(undefined, "express*").logger).toEqual({});
    expect(made("off", "simcel*").logger).toEqual({});
  });
});
