// Reading a request's JSON body under a size limit: a body over the limit (declared or observed) is refused
// before it is buffered whole, and one that is not JSON is a parse error.
import type { IncomingMessage } from "node:http";
import { Refusal } from "./refusal.js";

/** Reads the body, refusing one over `limit` bytes (declared or observed) before it is buffered whole. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () =>
    new Refusal(413, `request body too large: at most ${limit} bytes`, { connection: "close" }, -32600);
  if (Number(req.headers["content-length"] ?? 0) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The body parsed as JSON, or a -32700 refusal. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const raw = await readBody(req, limit);
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    throw new Refusal(400, "parse error: the body is not JSON", {}, -32700);
  }
}
