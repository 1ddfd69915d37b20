// The test fakes of both libraries, in one place: one recording fetch and one error-body builder. @simcel/auth's and
// @simcel/insights' test helpers build theirs on these.
import { vi } from "vitest";

/** An error response in SIMCEL's `{statusCode, error, message}` shape. */
export function errorResponse(
  status: number,
  message: string,
  { error = "Error", headers = {} }: { error?: string; headers?: Record<string, string> } = {},
): Response {
  return Response.json({ statusCode: status, error, message }, { status, headers });
}

/** Options of {@link recordingFetch}. */
export interface RecordingOptions {
  /** Hand the handler a Request carrying the signal given as `init` (as a real fetch honours it); default false. */
  honourSignal?: boolean;
}

/**
 * A fetch that records each Request (and its body text) and answers with `handler(request, n)`, n counting from 1.
 * `requests` and `bodies` keep what it saw; `fetch` is a vi.fn.
 */
export function recordingFetch(
  handler: (request: Request, call: number) => Response | Promise<Response>,
  { honourSignal = false }: RecordingOptions = {},
) {
  const requests: Request[] = [];
  const bodies: string[] = [];
  const fetch = vi.fn(async (input: Request, init?: { signal?: AbortSignal }) => {
    const request = honourSignal && init?.signal ? new Request(input, { signal: init.signal }) : input;
    requests.push(request);
    bodies.push(await request.clone().text());
    return handler(request, requests.length);
  });
  return { fetch, requests, bodies };
}
