import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { withSpinner } from "../src/spinner.js";

function stream(isTTY: boolean) {
  const chunks: string[] = [];
  return { isTTY, chunks, write: (c: string) => chunks.push(c) };
}

describe("withSpinner", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("draws nothing when the call finishes within 300 ms", async () => {
    const err = stream(true);
    const done = withSpinner(err, "Loading", () => new Promise((r) => setTimeout(() => r("ok"), 299)));
    await vi.advanceTimersByTimeAsync(299);
    await expect(done).resolves.toBe("ok");
    expect(err.chunks).toEqual([]);
  });

  it("spins after 300 ms on a TTY, then erases its line", async () => {
    const err = stream(true);
    const done = withSpinner(err, "Loading plans…", () => new Promise((r) => setTimeout(() => r(42), 500)));
    await vi.advanceTimersByTimeAsync(300);
    expect(err.chunks).toEqual(["\r⠋ Loading plans…"]);
    await vi.advanceTimersByTimeAsync(80);
    expect(err.chunks.at(-1)).toBe("\r⠙ Loading plans…");
    await vi.advanceTimersByTimeAsync(200);
    await expect(done).resolves.toBe(42);
    expect(err.chunks.at(-1)).toBe("\r\x1b[K");
    const count = err.chunks.length;
    await vi.advanceTimersByTimeAsync(1000);
    expect(err.chunks.length).toBe(count);
  });

  it("shows its label through safeText: its own \\r and erase sequence are the only controls it writes", async () => {
    const err = stream(true);
    const done = withSpinner(err, "Loading Q3\u001b[2J\u202e…", () => new Promise((r) => setTimeout(() => r(1), 400)));
    await vi.advanceTimersByTimeAsync(300);
    expect(err.chunks).toEqual(["\r⠋ Loading Q3\\x1b[2J\\u202e…"]);
    await vi.advanceTimersByTimeAsync(100);
    await done;
  });

  it("never writes when the stream is not a TTY", async () => {
    const err = stream(false);
    const done = withSpinner(err, "Loading", () => new Promise((r) => setTimeout(() => r("ok"), 2000)));
    await vi.advanceTimersByTimeAsync(2000);
    await done;
    expect(err.chunks).toEqual([]);
  });

  it("erases the line and stops when the call fails", async () => {
    const err = stream(true);
    const done = withSpinner(err, "Loading", () => new Promise((_, f) => setTimeout(() => f(new Error("boom")), 400)));
    const settled = expect(done).rejects.toThrow("boom");
    await vi.advanceTimersByTimeAsync(400);
    await settled;
    expect(err.chunks.at(-1)).toBe("\r\x1b[K");
    expect(vi.getTimerCount()).toBe(0);
  });
});
