// Writing answers: a JSON or text answer with the headers every SIMCEL answer carries, a body trickled for a
// slow-body fault, a huge body streamed with backpressure, a deliberate reset, and the waits faults ask for —
// all of which stop when the sandbox closes.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { ApiRefusal, ErrorBody } from "./errors.js";
import type { Fault } from "./faults.js";
import type { SandboxRequest, SandboxState } from "./state.js";

/** A JSON or text answer before it is sent. */
export interface Answer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

export const json = (status: number, value: unknown, headers: Record<string, string> = {}): Answer => ({
  status,
  body: JSON.stringify(value),
  headers: { "content-type": "application/json", ...headers },
});
export const refusal = (r: ApiRefusal): Answer => json(r.status, r.body, r.headers);
export const notFound = (method: string, path: string): Answer =>
  json(404, { statusCode: 404, error: "Not Found", message: `Cannot ${method} ${path}` } satisfies ErrorBody);

/** Resolves after `ms`, or never once the sandbox closes (its timer is cleared then). */
export function wait(state: SandboxState, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      state.timers.delete(timer);
      resolve();
    }, ms);
    state.timers.add(timer);
  });
}

/** Resets the connection on purpose: not counted as the client walking away. */
export function reset(state: SandboxState, socket: Socket): void {
  state.resetting.add(socket);
  socket.resetAndDestroy();
}

/** Sends `answer` (whole, or trickled for a `slowBody` fault) and notes its status in the request's entry. */
export function send(
  state: SandboxState,
  req: IncomingMessage,
  res: ServerResponse,
  answer: Answer,
  entry: SandboxRequest,
  slow?: Fault,
): void {
  if (res.destroyed) return;
  entry.status = answer.status;
  const headers = {
    ...answer.headers,
    "x-request-id": `req_${state.instance}_${entry.seq}`,
    "access-control-allow-origin": "*",
    "access-control-expose-headers": "retry-after, x-request-id",
    date: new Date(state.now()).toUTCString(),
  };
  const bytes = Buffer.from(answer.body);
  state.counts.maxBodyBytes = Math.max(state.counts.maxBodyBytes, bytes.length);
  res.writeHead(answer.status, { ...headers, "content-length": String(bytes.length) });
  if (slow?.kind !== "slowBody") {
    res.end(bytes);
    return;
  }
  const chunk = Math.max(1, slow.chunkBytes ?? 64);
  void (async () => {
    for (let at = 0; at < bytes.length && !res.destroyed && !state.closing; at += chunk) {
      res.write(bytes.subarray(at, at + chunk));
      if (at + chunk < bytes.length) await wait(state, slow.delayMs);
    }
    if (!res.destroyed && !state.closing) res.end();
    else if (!state.closing) reset(state, req.socket);
  })();
}

/** A body of `bytes` bytes, written as fast as the client reads it; stops when the client goes or the sandbox closes. */
export async function streamHuge(
  state: SandboxState,
  res: ServerResponse,
  bytes: number,
  status: number,
  contentType: string,
): Promise<void> {
  res.writeHead(status, { "content-type": contentType, "content-length": String(bytes) });
  const chunk = Buffer.alloc(64 * 1024, "a");
  let sent = 0;
  while (sent < bytes && !res.destroyed && !state.closing) {
    const size = Math.min(chunk.length, bytes - sent);
    sent += size;
    state.counts.maxBodyBytes = Math.max(state.counts.maxBodyBytes, sent);
    if (!res.write(size === chunk.length ? chunk : chunk.subarray(0, size)))
      await new Promise<void>((drained) => {
        const done = () => {
          res.off("drain", done);
          res.off("close", done);
          drained();
        };
        res.on("drain", done);
        res.on("close", done);
      });
  }
  if (!res.destroyed) res.end();
}
