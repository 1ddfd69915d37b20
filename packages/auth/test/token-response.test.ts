// Behaviour 2: token responses are validated; anything else is a typed error, never a crash.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createApiKeyCredential, SimcelAuthError, TokenResponseError } from "../src/index.js";
import { API_KEY, recordingFetch } from "./helpers.js";

const NOW = Date.UTC(2026, 0, 1);
beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

const withBody = (body: string | null, status = 200) =>
  createApiKeyCredential({
    apiKey: API_KEY,
    fetch: recordingFetch(() => new Response(body, { status, headers: { "content-type": "application/json" } })).fetch,
  });

describe("token response validation", () => {
  it.each([
    ["camelCase with tokenType", { accessToken: "eyJ.a-b_c.d", expiresIn: 3600, tokenType: "Bearer" }],
    ["tokenType in another case", { accessToken: "eyJ.a", expiresIn: 3600, tokenType: "bearer" }],
    ["tokenType absent (older docs)", { accessToken: "eyJ.a", expiresIn: 3600 }],
    ["RFC 6749 snake_case", { access_token: "eyJ.a", expires_in: 3600, token_type: "BEARER" }],
  ])("accepts %s", async (_, body) => {
    const token = await withBody(JSON.stringify(body)).getToken();
    expect(token).toEqual({ token: Object.values(body)[0], tokenType: "Bearer", expiresAt: NOW + 3_600_000 });
  });

  it("accepts a fractional lifetime in seconds", async () => {
    const token = await withBody(JSON.stringify({ accessToken: "t", expiresIn: 1.5 })).getToken();
    expect(token.expiresAt).toBe(NOW + 1500);
  });

  it.each([
    ["an HTML page", "<!doctype html><html><body>Gateway</body></html>", /not a JSON object/],
    ["truncated JSON", '{"accessToken":"eyJ.a","expiresIn":36', /not a JSON object/],
    ["an empty body", "", /not a JSON object/],
    ["a JSON array", '[{"accessToken":"a","expiresIn":3600}]', /not a JSON object/],
    ["JSON null", "null", /not a JSON object/],
    ["a JSON string", '"eyJ.a"', /not a JSON object/],
    ["NaN (not JSON)", '{"accessToken":"a","expiresIn":NaN}', /not a JSON object/],
    ["no accessToken", '{"expiresIn":3600}', /accessToken/],
    ["an empty accessToken", '{"accessToken":"","expiresIn":3600}', /accessToken/],
    ["a numeric accessToken", '{"accessToken":42,"expiresIn":3600}', /accessToken/],
    [
      "an accessToken that would break the header",
      '{"accessToken":"a\\r\\nX-Evil: 1","expiresIn":3600}',
      /accessToken/,
    ],
    ["expiresIn 0", '{"accessToken":"a","expiresIn":0}', /expiresIn/],
    ["expiresIn -5", '{"accessToken":"a","expiresIn":-5}', /expiresIn/],
    ['expiresIn "3600"', '{"accessToken":"a","expiresIn":"3600"}', /expiresIn/],
    ["expiresIn null", '{"accessToken":"a","expiresIn":null}', /expiresIn/],
    ["expiresIn 1e999 (Infinity)", '{"accessToken":"a","expiresIn":1e999}', /expiresIn/],
    ["no expiresIn", '{"accessToken":"a"}', /expiresIn/],
    ["tokenType mac", '{"accessToken":"a","expiresIn":3600,"tokenType":"mac"}', /tokenType/],
  ])("rejects %s with a typed error", async (_, body, why) => {
    const error = await withBody(body)
      .getToken()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenResponseError);
    expect(error).toBeInstanceOf(SimcelAuthError);
    expect((error as SimcelAuthError).code).toBe("token_response_invalid");
    expect((error as Error).message).toMatch(/^\[@simcel\/auth\] the token response /);
    expect((error as Error).message).toMatch(why);
  });

  it("reads at most 64 KiB of a body of megabytes and rejects it", async () => {
    let pulled = 0;
    const chunk = new TextEncoder().encode(`{"accessToken":"${"a".repeat(60_000)}`);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        controller.enqueue(chunk); // an endless body
      },
    });
    const credential = createApiKeyCredential({ apiKey: API_KEY, fetch: async () => new Response(body) });
    await expect(credential.getToken()).rejects.toBeInstanceOf(TokenResponseError);
    expect(pulled).toBeLessThan(4 * chunk.byteLength);
  });

  it("rejects a 4 MB JSON body without crashing", async () => {
    const huge = JSON.stringify({ accessToken: "a", expiresIn: 3600, padding: "x".repeat(4_000_000) });
    await expect(withBody(huge).getToken()).rejects.toBeInstanceOf(TokenResponseError);
  });

  it("rejects a 2xx that is not 200 with an unusable body the same way", async () => {
    await expect(withBody(null, 204).getToken()).rejects.toBeInstanceOf(TokenResponseError);
  });
});
