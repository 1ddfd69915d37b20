// Where the sandbox answers: every route at the root and under SIMCEL's `/api` prefix (its base URL is
// `https://app.simcel.io/api`), so code written against SIMCEL's URLs runs unchanged — the README's library
// example included, with SIMCEL_BASE_URL ending in `/api` — and, on request, the older layout of SIMCEL's docs
// (`https://api.simcel.io`, key exchange at `POST /auth/token`).
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { createApiKeyCredential } from "../../auth/src/index.js";
import { type Sandbox, startSandbox } from "../src/index.js";

const sandboxes: Sandbox[] = [];
afterAll(async () => {
  for (const s of sandboxes) await s.close();
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});
async function started(options: Parameters<typeof startSandbox>[0] = {}) {
  const s = await startSandbox({ record: true, ...options });
  sandboxes.push(s);
  return s;
}
const post = (url: string, body: unknown) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** Runs the README's library example (examples/quickstart.ts) with `baseUrl` and `apiKey`; what it printed. */
async function runLibraryExample(baseUrl: string, apiKey: string): Promise<unknown[][]> {
  for (const name of ["SIMCEL_CLIENT_ID", "SIMCEL_CLIENT_SECRET", "SIMCEL_SCOPES", "SIMCEL_TOKEN"])
    vi.stubEnv(name, undefined);
  vi.stubEnv("SIMCEL_API_KEY", apiKey);
  vi.stubEnv("SIMCEL_BASE_URL", baseUrl);
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  // a fresh module each run: the example does its work when it is imported
  vi.resetModules();
  await import("../../../examples/quickstart.js");
  return [...log.mock.calls];
}

describe("SIMCEL's paths", () => {
  it("apiUrl is url + /api, and every route answers there as at the root", async () => {
    const s = await started();
    expect(s.apiUrl).toBe(`${s.url}/api`);
    const apiKey = s.createApiKey();
    for (const base of [s.url, s.apiUrl]) {
      const token = (await (await post(`${base}/auth/v1/token`, { apiKey })).json()).accessToken as string;
      const plans = await fetch(`${base}/insights/v1/plans`, { headers: { authorization: `Bearer ${token}` } });
      expect(plans.status, base).toBe(200);
      expect(((await plans.json()) as { plans: unknown[] }).plans).toEqual(s.plans);
    }
    // the recorded path is the spec's; the prefix says which way it came
    expect(s.requests.map((r) => [r.method, r.path, r.prefix])).toEqual([
      ["POST", "/auth/v1/token", undefined],
      ["GET", "/insights/v1/plans", undefined],
      ["POST", "/auth/v1/token", "/api"],
      ["GET", "/insights/v1/plans", "/api"],
    ]);
    // a path SIMCEL does not have is 404 under /api too, and /api alone is not a route
    expect((await fetch(`${s.apiUrl}/insights/v1/nothing`)).status).toBe(404);
    expect((await fetch(`${s.url}/apiinsights/v1/plans`)).status).toBe(404);
  });

  it("the README's library example runs unchanged with SIMCEL_BASE_URL ending in /api, sign-in included", async () => {
    const s = await started();
    const printed = await runLibraryExample(s.apiUrl, s.createApiKey());
    // one line per compared scenario of every plan: each plan's what-if scenarios against its committed one
    for (const plan of s.plans)
      expect(
        printed.some(([name]) => name === plan.name),
        plan.name,
      ).toBe(true);
    for (const line of printed)
      expect(line).toEqual([expect.any(String), expect.any(String), expect.objectContaining({ kpi: "ebit" })]);
    // @simcel/auth keeps the base URL's path: the key exchange went to /api/auth/v1/token, and so did every call
    expect(s.requests.length).toBe(1 + 1 + s.plans.length);
    expect(s.requests.every((r) => r.prefix === "/api")).toBe(true);
    expect(s.requests[0]).toMatchObject({ method: "POST", path: "/auth/v1/token" });
  });

  it("a same-origin redirect under /api stays under /api", async () => {
    const s = await started();
    const apiKey = s.createApiKey();
    s.fail({ operation: "exchangeApiKey", kind: "redirect", to: "same-origin", status: 307, times: 1 });
    const moved = await post(`${s.apiUrl}/auth/v1/token`, { apiKey });
    expect(moved.status).toBe(200);
    expect(moved.redirected).toBe(true);
    expect(new URL(moved.url).pathname).toBe("/api/moved/auth/v1/token");
  });
});

describe("the legacy layout (legacyPaths: true)", () => {
  it("exchanges keys at POST /auth/token and has no /auth/v1/token; today's layout is the other way round", async () => {
    const legacy = await started({ legacyPaths: true });
    const apiKey = legacy.createApiKey();
    const old = await post(`${legacy.url}/auth/token`, { apiKey });
    expect(old.status).toBe(200);
    const { accessToken } = (await old.json()) as { accessToken: string };
    const plans = await fetch(`${legacy.url}/insights/v1/plans`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(plans.status).toBe(200);
    expect((await post(`${legacy.url}/auth/v1/token`, { apiKey })).status).toBe(404);
    expect(legacy.counts.byOperation).toMatchObject({ exchangeApiKey: 1, listPlans: 1, unknown: 1 });
    // the SDK, which signs in at /auth/v1/token, is refused by a legacy server
    const refused = await createApiKeyCredential({ apiKey, baseUrl: legacy.url })
      .getToken()
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 404 });

    const today = await started();
    expect((await post(`${today.url}/auth/token`, { apiKey: today.createApiKey() })).status).toBe(404);
  });

  it("refuses a legacyPaths that is not a boolean", async () => {
    await expect(startSandbox({ legacyPaths: "yes" as never })).rejects.toThrow(
      '[@simcel/sandbox] legacyPaths must be true or false, got "yes"',
    );
  });
});
