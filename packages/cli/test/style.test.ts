import { describe, expect, it } from "vitest";
import { colorEnabled, createStyler } from "../src/style.js";

const tty = { isTTY: true, write: () => true };
const pipe = { isTTY: false, write: () => true };

describe("colour", () => {
  it("is on for a TTY without NO_COLOR", () => {
    expect(colorEnabled(tty, {})).toBe(true);
    expect(createStyler(tty, {})("bold", "x")).toBe("\x1b[1mx\x1b[22m");
  });
  it("is off when stdout is not a TTY", () => {
    expect(colorEnabled(pipe, {})).toBe(false);
    expect(createStyler(pipe, {})("red", "x")).toBe("x");
  });
  it("is off when NO_COLOR is set to anything non-empty, and on when it is empty", () => {
    expect(createStyler(tty, { NO_COLOR: "1" })("bold", "x")).toBe("x");
    expect(colorEnabled(tty, { NO_COLOR: "" })).toBe(true);
  });
});
