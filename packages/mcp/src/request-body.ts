// Reading a request's JSON body within limits: its own size (declared or observed, refused before it is buffered
// whole), the bytes the bodies being read may hold at once — in all, and per caller, so that one credential
// stalling bodies fills its own share and not the others' (past either, 503 at once rather than memory) — and a
// deadline (a body that trickles in or stalls is cut off with 408). Bodies are read only once the caller is verified.
import type { IncomingMessage } from "node:http";
import { EdgeRefusal } from "./refusal.js";

/** The limits of {@link createBodyReader}. */
export interface BodyLimits {
  /** The largest body, in bytes. */
  maxBodyBytes: number;
  /** The bytes all bodies being read may hold at once. */
  maxBufferedBytes: number;
  /** The bytes the bodies of one caller being read may hold at once. */
  maxBufferedBytesPerKey: number;
  /** How long a body may take to arrive, in ms. */
  bodyTimeoutMs: number;
}

/** A refusal after which the connection is closed: the rest of the body is not waited for. */
const closing = (status: number, message: string, code: number, headers: Record<string, string> = {}) =>
  new EdgeRefusal(status, message, { connection: "close", ...headers }, code);

export function createBodyReader(limits: BodyLimits) {
  const { maxBodyBytes, maxBufferedBytes, maxBufferedBytesPerKey, bodyTimeoutMs } = limits;
  let held = 0;
  const heldBy = new Map<string, number>();
  /** Moves `bytes` (negative: gives back) to `owner`'s share. */
  const hold = (owner: string, bytes: number) => {
    held += bytes;
    const now = (heldBy.get(owner) ?? 0) + bytes;
    if (now > 0) heldBy.set(owner, now);
    else heldBy.delete(owner);
  };
  const tooLarge = () => closing(413, `request body too large: at most ${maxBodyBytes} bytes`, -32600);
  const busy = () =>
    closing(503, "the server is reading too many request bodies at once; retry later", -32000, { "retry-after": "1" });

  /** Reads the body of `owner`'s request, holding its bytes against the budgets while it arrives. */
  function read(req: IncomingMessage, owner: string): Promise<Buffer> {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > maxBodyBytes) return Promise.reject(tooLarge());
    let mine = 0;
    /** Counts `bytes` more against the budget, or refuses. */
    const take = (bytes: number) => {
      if (held + bytes > maxBufferedBytes || (heldBy.get(owner) ?? 0) + bytes > maxBufferedBytesPerKey) throw busy();
      hold(owner, bytes);
      mine += bytes;
    };
    return new Promise<Buffer>((done, failed) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = (error?: unknown) => {
        clearTimeout(timer);
        req.off("data", onData).off("end", onEnd).off("error", finish);
        hold(owner, -mine);
        mine = 0;
        if (error === undefined) done(Buffer.concat(chunks));
        else {
          req.pause();
          failed(error);
        }
      };
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        try {
          if (size > maxBodyBytes) throw tooLarge();
          if (size > mine) take(size - mine);
          chunks.push(chunk);
        } catch (error) {
          finish(error);
        }
      };
      const onEnd = () => finish();
      const timer = setTimeout(
        () => finish(closing(408, `request body not received within ${bodyTimeoutMs} ms`, -32600)),
        bodyTimeoutMs,
      );
      try {
        // a declared length is held at once: the bytes are promised even before they arrive
        if (declared > 0) take(declared);
      } catch (error) {
        finish(error);
        return;
      }
      req.on("data", onData).once("end", onEnd).once("error", finish);
    });
  }

  /** The body parsed as JSON, or a -32700 refusal. */
  async function readJson(req: IncomingMessage, owner: string): Promise<unknown> {
    const raw = await read(req, owner);
    try {
      return JSON.parse(raw.toString("utf8"));
    } catch {
      throw new EdgeRefusal(400, "parse error: the body is not JSON", {}, -32700);
    }
  }

  return {
    readJson,
    /** Bytes held now by bodies being read. */
    get held() {
      return held;
    },
  };
}
