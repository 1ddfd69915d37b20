// Behaviour 1: token calls go through an openapi-fetch client (createClient<paths>() of the generated
// auth paths), on the operation paths of the spec.
import createClient from "openapi-fetch";
import { describe, expect, it, vi } from "vitest";
import { operations } from "../src/generated/operations.js";
import { createApiKeyCredential, createClientCredentials } from "../src/index.js";
import { API_KEY, CLIENT_ID, CLIENT_SECRET, recordingFetch, tokenResponse } from "./helpers.js";

vi.mock("openapi-fetch", async (importOriginal) => {
  const actual = await importOriginal<typeof import("openapi-fetch")>();
  return {
    ...actual,
    default: vi.fn((options: Parameters<typeof actual.default>[0]) => {
      const client = actual.default(options);
      client.POST = vi.fn(client.POST) as unknown as typeof client.POST;
      return client;
    }),
  };
});

describe("token calls", () => {
  it("go through openapi-fetch's POST on the spec's paths", async () => {
    const { fetch } = recordingFetch(() => tokenResponse());
    const created = vi.mocked(createClient);
    created.mockClear();
    await createApiKeyCredential({ apiKey: API_KEY, fetch }).getToken();
    await createClientCredentials({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, fetch }).getToken();
    expect(created).toHaveBeenCalledTimes(2);
    expect(created.mock.calls[0]?.[0]).toMatchObject({ baseUrl: "https://app.simcel.io/api", redirect: "manual" });
    const posts = created.mock.results.map((r) => vi.mocked(r.value.POST).mock.calls[0]?.[0]);
    expect(posts).toEqual([operations.exchangeApiKey.path, operations.issueClientCredentialsToken.path]);
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});
