import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { readErrorBody, readLimitedText, sleep } from "../src/index.js";

describe("sleep", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("resolves after the delay and leaves no timer behind", async () => {
    const done = vi.fn();
    sleep(1000).then(done);
    await vi.advanceTimersByTimeAsync(999);
    expect(done).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });
  it("rejects with the signal's reason on abort and clears its timer", async () => {
    const controller = new AbortController();
    const waiting = sleep(10_000, controller.signal);
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
    expect(vi.getTimerCount()).toBe(0);
  });
  it("rejects at once on an already aborted signal", async () => {
    await expect(sleep(5, AbortSignal.abort())).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("readErrorBody", () => {
  it("reads the SIMCEL error shape", async () => {
    const body = await readErrorBody(
      new Response(JSON.stringify({ statusCode: 404, error: "Not Found", message: "Plan plan_x not found" })),
    );
    expect(body).toEqual({ message: "Plan plan_x not found", error: "Not Found" });
  });
  it("gives an excerpt of a non-JSON body and nothing for an empty one", async () => {
    expect(await readErrorBody(new Response("<html>\n  <h1>Bad gateway</h1></html>"))).toEqual({
      message: "<html> <h1>Bad gateway</h1></html>",
    });
    expect(await readErrorBody(new Response(null))).toEqual({ message: "" });
    expect((await readErrorBody(new Response("x".repeat(5000)))).message).toHaveLength(201);
  });
  it("stops reading a huge body at the limit", async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024).fill(97));
      },
    });
    const text = await readLimitedText(new Response(stream), 4096);
    expect(text).toHaveLength(4096);
    expect(pulled).toBeLessThan(10);
  });
  it("decodes a character split across chunks", async () => {
    const bytes = new TextEncoder().encode("Café ✓");
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.subarray(0, 4)); // "Caf" + the first byte of "é"
        controller.enqueue(bytes.subarray(4));
        controller.close();
      },
    });
    expect(await readLimitedText(new Response(stream))).toBe("Café ✓");
  });
});
