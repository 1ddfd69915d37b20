import { describe, expect, it } from "vitest";
import { BodyStreamError, readErrorBody, readLimitedText } from "../src/index.js";

/** A body that sends `chunks`, then fails like a connection reset mid-body. */
function breaking(...chunks: string[]) {
  const encoder = new TextEncoder();
  const queue = [...chunks];
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = queue.shift();
      if (next === undefined) controller.error(new TypeError("terminated: other side closed"));
      else controller.enqueue(encoder.encode(next));
    },
  });
}

describe("readLimitedText", () => {
  it("reads a whole body", async () => {
    expect(await readLimitedText(new Response('{"a":1}'))).toEqual({ text: '{"a":1}', truncated: false });
  });

  it("stops at the limit, says it did, and pulls no further", async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024).fill(97));
      },
    });
    const { text, truncated } = await readLimitedText(new Response(stream), 4096);
    expect(text).toHaveLength(4096);
    expect(truncated).toBe(true);
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
    expect((await readLimitedText(new Response(stream))).text).toBe("Café ✓");
  });

  it("rejects with BodyStreamError when the stream breaks mid-body, instead of returning the start", async () => {
    const error = await readLimitedText(new Response(breaking('{"accessToken":"ey'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BodyStreamError);
    expect((error as Error).cause).toBeInstanceOf(TypeError);
    expect((error as BodyStreamError).partial).toBe('{"accessToken":"ey');
  });

  it("rejects with the signal's reason when the caller aborted", async () => {
    const controller = new AbortController();
    controller.abort(new Error("caller gave up"));
    const stream = new ReadableStream<Uint8Array>({ start: (c) => c.error(new Error("aborted")) });
    await expect(readLimitedText(new Response(stream), 10, controller.signal)).rejects.toThrow("caller gave up");
  });
});

describe("readErrorBody", () => {
  it("keeps what arrived of an error body whose stream broke: the status already tells what happened", async () => {
    expect(await readErrorBody(new Response(breaking("Service unavail")))).toEqual({ message: "Service unavail" });
  });
  it("reads an empty body as no message", async () => {
    expect(await readErrorBody(new Response(null))).toEqual({ message: "" });
  });
});
