// Shared fixtures of the unit tests: obviously fake secrets; the recording fetch and error bodies are core's fakes.
import { errorResponse as spec } from "../../core/test/fakes.js";

export { recordingFetch } from "../../core/test/fakes.js";

export const API_KEY = "sk_test_FAKE_do_not_use";
export const CLIENT_ID = "cli_test_client_0001";
export const CLIENT_SECRET = "cs_test_FAKE_secret_do_not_use";
export const STATIC_TOKEN = "tok_FAKE_static_do_not_use";
/** Every secret the tests use; tokens issued by `tokenResponse` all start with `tok_FAKE_`. */
export const SECRETS = [API_KEY, CLIENT_SECRET, STATIC_TOKEN, "tok_FAKE_"];

/** A 200 token response in SIMCEL's camelCase shape. */
export function tokenResponse(accessToken = "tok_FAKE_1", expiresIn = 3600): Response {
  return Response.json({ accessToken, expiresIn, tokenType: "Bearer" });
}

/** An error response in SIMCEL's `{statusCode, error, message}` shape. */
export function errorResponse(status: number, message: string, headers: Record<string, string> = {}): Response {
  return spec(status, message, { headers });
}

/** A promise with its resolve and reject at hand. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Settles a promise into a value, so a test can look at a rejection without an unhandled one. */
export function settle<T>(promise: Promise<T>) {
  const out: { value?: T; error?: unknown; done: boolean } = { done: false };
  promise.then(
    (value) => Object.assign(out, { value, done: true }),
    (error) => Object.assign(out, { error, done: true }),
  );
  return out;
}
