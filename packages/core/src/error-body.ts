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
  const reader = response.body?.getReader();
  if (!reader) return "";
  const decoder = new TextDecoder();
  let text = "";
  try {
    for (let size = 0; size < limit; ) {
      const { done, value } = await reader.read();
      if (done) break;
      const chunk = value.subarray(0, limit - size);
      size += chunk.length;
      text += decoder.decode(chunk, { stream: true });
    }
  } catch {
    // a broken stream still yields what arrived
  }
  reader.cancel().catch(() => {});
  return text + decoder.decode();
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
