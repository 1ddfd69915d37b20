/** What an error response said, as far as it could be read. */
export interface ErrorBody {
  /** The server's `message`, or a short excerpt of a non-JSON body; empty when there was none. */
  message: string;
  /** The server's `error` (reason phrase), when it sent one. */
  error?: string;
}

/** Bodies longer than this are not read further: an error page is never worth megabytes. */
const LIMIT = 64 * 1024;

/** Reads at most `limit` bytes of a response body as text; never throws. */
export async function readLimitedText(response: Response, limit = LIMIT): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // a broken stream still yields what arrived
  } finally {
    reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(Math.min(size, limit));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.length - offset);
    bytes.set(part, offset);
    offset += part.length;
  }
  return new TextDecoder().decode(bytes);
}

/**
 * Reads `{statusCode, error, message}` from an error response. A non-JSON body gives its first
 * 200 characters (whitespace folded) as the message; an empty one gives "".
 */
export async function readErrorBody(response: Response): Promise<ErrorBody> {
  const text = await readLimitedText(response);
  try {
    const json: unknown = JSON.parse(text);
    if (json && typeof json === "object") {
      const { message, error } = json as Record<string, unknown>;
      const out: ErrorBody = { message: typeof message === "string" ? message : "" };
      if (typeof error === "string") out.error = error;
      return out;
    }
  } catch {
    // not JSON: fall through to an excerpt
  }
  const excerpt = text.replace(/\s+/g, " ").trim();
  return { message: excerpt.length > 200 ? `${excerpt.slice(0, 200)}…` : excerpt };
}
