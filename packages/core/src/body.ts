// Reading response bodies: bounded, and honest about a stream that broke. Parsing error bodies of
// both shapes a SIMCEL-like server sends, redacted before anything is cut.
import { redactSecrets } from "./secrets.js";

/** The body stream failed after the headers arrived (the connection reset mid-body): a network failure. */
export class BodyStreamError extends Error {
  override name = "BodyStreamError";
  constructor(
    /** The text that arrived before the stream broke. */
    readonly partial: string,
    options?: ErrorOptions,
  ) {
    super("the response body was cut off", options);
  }
}

/** A body read up to a limit. */
export interface LimitedText {
  text: string;
  /** The body was longer than the limit; `text` holds its start. */
  truncated: boolean;
}

/** Error pages are never worth more than this. */
export const ERROR_BODY_LIMIT = 64 * 1024;

/**
 * Reads at most `limit` bytes of a body as UTF-8 text, then cancels the rest. Rejects with
 * {@link BodyStreamError} (its `cause` the stream's error) when the stream breaks, and with the
 * signal's reason when `signal` aborted meanwhile.
 */
export async function readLimitedText(
  response: Response,
  limit = ERROR_BODY_LIMIT,
  signal?: AbortSignal,
): Promise<LimitedText> {
  const reader = response.body?.getReader();
  if (!reader) return { text: "", truncated: false };
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text: text + decoder.decode(), truncated: false };
      const room = limit - size;
      if (value.length > room) {
        text += decoder.decode(value.subarray(0, room));
        return { text, truncated: true };
      }
      size += value.length;
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new BodyStreamError(text + decoder.decode(), { cause: error });
  } finally {
    reader.cancel().catch(() => {});
  }
}

/** What an error response said, as far as it could be read; secrets already redacted. */
export interface ErrorBody {
  /** The server's message (`message`, or RFC 6749's `error_description`), or an excerpt of a non-JSON body. */
  message: string;
  /** The server's `error`: a reason phrase (`Not Found`) or an RFC 6749 code (`invalid_client`). */
  reason?: string;
}

/** Longest server message kept in an error, after redaction. */
const MESSAGE_LIMIT = 300;

const cut = (text: string) => (text.length > MESSAGE_LIMIT ? `${text.slice(0, MESSAGE_LIMIT)}…` : text);

/**
 * Reads an error body: SIMCEL's `{statusCode, error, message}`, RFC 6749's `{error, error_description}`,
 * or any text (folded to one line). Every secret is redacted first, then the message is cut to 300
 * characters, so a secret crossing the cut cannot leave its start behind.
 */
export function parseErrorBody(text: string): ErrorBody {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: an excerpt of the text
  }
  if (json && typeof json === "object" && !Array.isArray(json)) {
    const { message, error, error_description } = json as Record<string, unknown>;
    const said = typeof message === "string" ? message : typeof error_description === "string" ? error_description : "";
    const out: ErrorBody = { message: cut(redactSecrets(said)) };
    if (typeof error === "string") out.reason = cut(redactSecrets(error));
    return out;
  }
  return { message: cut(redactSecrets(text).replace(/\s+/g, " ").trim()) };
}

/** Reads and parses an error response's body (at most 64 KiB; a broken stream keeps what arrived). */
export async function readErrorBody(response: Response, signal?: AbortSignal): Promise<ErrorBody> {
  try {
    return parseErrorBody((await readLimitedText(response, ERROR_BODY_LIMIT, signal)).text);
  } catch (error) {
    // the status already says what happened: a cut-off explanation is not worth failing over
    if (error instanceof BodyStreamError) return parseErrorBody(error.partial);
    throw error;
  }
}
