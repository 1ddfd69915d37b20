// @simcel/auth + @simcel/insights over real HTTP against the planted SIMCEL (a sandbox whose answers differ
// from our spec in named drifts): where only inferred facts, unknown fields or unknown enum values
// differ, calls succeed and each difference is warned about once, not once per call; where a
// documented fact differs, the call fails with a typed error naming the field's JSON pointer.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApiKeyCredential, createAuthMiddleware } from "../../packages/auth/src/index.js";
import {
  createInsightsClient,
  InvalidRequestError,
  NotFoundError,
  ResponseValidationError,
  type SpecMismatchEvent,
} from "../../packages/insights/src/index.js";
import { DOCTOR_REALITY, PLANTED_KEYS, type Planted, startPlanted } from "./planted.js";

let planted: Planted;
/** The first plan's id as the planted SIMCEL lists it (with dots), and its committed scenario's EBIT without drifts. */
let planId: string;
let cleanEbit: number;
beforeAll(async () => {
  // the same seed without drifts: the figures the drifted answers must still carry
  const clean = await startPlanted({ drifts: [] });
  const auth = createAuthMiddleware({
    credential: createApiKeyCredential({ apiKey: PLANTED_KEYS.full, baseUrl: clean.url }),
  });
  const pnl = await createInsightsClient({ middleware: [auth] }).getPnlSummary({ planId: clean.planId });
  cleanEbit = pnl.scenarios[0]!.pnl!.ebit;
  await auth.close();
  await clean.close();
  planted = await startPlanted({ drifts: DOCTOR_REALITY });
  planId = planted.planId;
});
afterAll(() => planted.close());

function clients(count: number, options: { strict?: boolean } = {}) {
  const warn = vi.fn();
  const onSpecMismatch = vi.fn<(event: SpecMismatchEvent) => void>();
  const credential = createApiKeyCredential({ apiKey: PLANTED_KEYS.full, baseUrl: planted.url });
  const auth = createAuthMiddleware({ credential });
  const made = Array.from({ length: count }, () =>
    createInsightsClient({
      middleware: [auth],
      logger: { warn },
      hooks: { onSpecMismatch },
      maxRetries: 0,
      ...options,
    }),
  );
  return { made, warn, onSpecMismatch, close: () => auth.close() };
}

describe("the SDK against a SIMCEL that differs from the spec", () => {
  it("calls succeed where only inferred facts, unknown fields or enum values differ, each warned about once", async () => {
    const { made, warn, onSpecMismatch, close } = clients(2);
    try {
      // two clients of one program (sharing a logger and a hook), three rounds each
      for (const insights of [...made, ...made, ...made]) {
        const { plans } = await insights.listPlans();
        const plan = plans[0]!;
        expect(plan).toMatchObject({ id: planId, owner: "planning-team" });
        expect(planId).toContain(".");
        expect(plan.scenarios[1]?.flags).toEqual(["archived"]);
        const pnl = await insights.getPnlSummary({ planId: plan.id });
        expect(pnl.scenarios[0]).toMatchObject({ scenarioColor: "blue", pnl: { ebit: cleanEbit } });
      }
      expect(planted.requests.filter((r) => r.startsWith("GET")).length).toBe(12);
      expect(onSpecMismatch.mock.calls.map(([e]) => [e.operation, e.direction, e.pointer, e.inferred])).toEqual([
        ["listPlans", "response", "/plans/0/owner", false],
        ["listPlans", "response", "/plans/0/scenarios/1/flags/0", false],
        ["getPnlSummary", "request", "/planId", true],
        ["getPnlSummary", "response", "/scenarios/0/scenarioColor", true],
      ]);
      expect(warn.mock.calls.map(([line]) => line)).toEqual([
        "listPlans: the response differs from the spec at /plans/0/owner: the spec says no such field, the API sent present",
        'listPlans: the response differs from the spec at /plans/0/scenarios/1/flags/0: the spec says one of: actual, committed, forecast base, primary, the API sent "archived"',
        `getPnlSummary: planId "${planId}" breaks a rule the spec only guessed (a string matching ^[A-Za-z0-9_-]+$): sent anyway (strict: true refuses it)`,
        'getPnlSummary: the response differs from the spec at /scenarios/0/scenarioColor: the spec guessed a string matching ^#[0-9A-Fa-f]{6}$, the API sent "blue"',
      ]);
    } finally {
      await close();
    }
  });

  it("a documented field of the wrong type fails every call with a typed error naming its pointer", async () => {
    const { made, close } = clients(1);
    try {
      for (let i = 0; i < 2; i++) {
        const error = await made[0]!.getDemandForecast({ planId }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ResponseValidationError);
        expect(error).toMatchObject({
          code: "response_invalid",
          operation: "getDemandForecast",
          pointer: "/scenarios/0/series/0/fillRate",
        });
        expect((error as Error).message).toContain("should be number, got string");
      }
    } finally {
      await close();
    }
  });

  it("the CO2 endpoint SIMCEL documents as coming soon answers 404: a NotFoundError", async () => {
    const { made, close } = clients(1);
    try {
      await expect(made[0]!.getSustainability({ planId })).rejects.toBeInstanceOf(NotFoundError);
    } finally {
      await close();
    }
  });

  it("strict mode refuses the plan id the API itself listed, without a request", async () => {
    const { made, close } = clients(1, { strict: true });
    try {
      const before = planted.requests.length;
      const error = await made[0]!.getPnlSummary({ planId }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error).toMatchObject({ param: "planId" });
      expect((error as InvalidRequestError).status).toBeUndefined();
      expect(planted.requests.length).toBe(before);
    } finally {
      await close();
    }
  });
});
