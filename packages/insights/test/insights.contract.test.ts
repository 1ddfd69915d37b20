// Contract of the client against Prism mocking spec/openapi.yaml: for EVERY insights operation and
// EVERY status the spec documents for it (chosen with `Prefer: code=NNN`), the right typed data or the
// right typed error comes back. The operation × status list is read from the spec, not written here.
// Live (SIMCEL_CONTRACT_BASE_URL), the typed data in use runs on a plan found through listPlans.
import type { Middleware } from "openapi-fetch";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../../scripts/prism.mjs";
import { createSpecAjv, listOperations, loadSpec, validateResponse } from "../../../scripts/spec-tools.mjs";
import {
  baseUrl,
  COMING_SOON_STATUSES,
  credentialEnv,
  discoverPlan,
  isMock,
  mockOnly,
} from "../../../scripts/test/contract-env.js";
import { createAuthMiddleware, credentialFromEnv } from "../../auth/src/index.js";
import {
  AuthenticationError,
  ConnectionError,
  chooseBaseScenario,
  compareScenarios,
  createInsightsClient,
  dataAge,
  type InsightsClient,
  InvalidRequestError,
  NotFoundError,
  operations,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  SimcelApiError,
} from "../src/index.js";

const doc = loadSpec();
const ajv = createSpecAjv(doc);

type Id = keyof typeof operations;
/** A valid call of each method of the client. */
const calls: Record<Id, (c: InsightsClient) => Promise<unknown>> = {
  listPlans: (c) => c.listPlans(),
  getPnlSummary: (c) =>
    c.getPnlSummary({
      planId: "plan_9xKz2",
      scenarioIds: ["scen_abc", "scen_px3"],
      interval: "FY",
      currency: "USD",
      dateFrom: "2025-01-01",
      dateTo: "2025-12-31",
    }),
  getDemandForecast: (c) =>
    c.getDemandForecast({
      planId: "plan_9xKz2",
      scenarioIds: ["scen_act", "scen_abc"],
      interval: "M",
      groupBy: "region",
      currency: "USD",
      dateFrom: "2025-01-01",
      dateTo: "2025-02-28",
    }),
  getSustainability: (c) =>
    c.getSustainability({ planId: "plan_9xKz2", scenarioIds: ["scen_abc"], interval: "FY", groupBy: "dc" }),
};
const expectedClass: Record<number, typeof SimcelApiError> = {
  400: InvalidRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  422: InvalidRequestError,
  429: RateLimitError,
  500: ServerError,
};

const specOps = listOperations(doc).filter((o) => !o.tags.includes("Authentication"));
const bearer: Middleware = {
  onRequest({ request }) {
    request.headers.set("Authorization", "Bearer contract-test-token");
  },
};
const prefer = (status: number): Middleware => ({
  onRequest({ request }) {
    request.headers.set("Prefer", `code=${status}`);
  },
});
/** operation → status → what came back, printed as the coverage table. */
const seen = new Map<string, Map<number | string, string>>();
const record = (id: string, status: number | string, what: string) =>
  seen.set(id, (seen.get(id) ?? new Map()).set(status, what));

afterAll(() => {
  const statuses = [...new Set(specOps.flatMap((o) => o.statuses))].sort();
  const columns = [...statuses, "401 (no token)"];
  const lines = [
    `| operation | ${columns.join(" | ")} |`,
    `|---|${columns.map(() => "---").join("|")}|`,
    ...specOps.map(
      (o) =>
        `| ${o.operationId} | ${columns.map((s) => seen.get(o.operationId)?.get(s) ?? (o.statuses.includes(s as number) ? "MISSING" : "–")).join(" | ")} |`,
    ),
  ];
  console.log(`insights contract coverage (operation × documented status):\n${lines.join("\n")}`);
});

describe("the client covers the spec", () => {
  it("has a method for every non-authentication operation of the spec, at the spec's path", () => {
    expect(Object.keys(calls).sort()).toEqual(specOps.map((o) => o.operationId).sort());
    for (const o of specOps) expect(operations[o.operationId as Id]).toMatchObject({ method: o.method, path: o.path });
  });
});

mockOnly("needs the mock's Prefer: code=NNN to answer each documented status").describe(
  "every operation × every documented status, against Prism",
  () => {
    const cases = specOps.flatMap((o) => o.statuses.map((status) => [o.operationId as Id, status, o] as const));

    it.each(cases)("%s answers %i → typed result", async (id, status, op) => {
      const insights = createInsightsClient({ baseUrl, middleware: [bearer, prefer(status)], maxRetries: 0 });
      const outcome = await calls[id](insights).then(
        (data) => ({ data }),
        (error: unknown) => ({ error }),
      );
      const examples = Object.values(op.responses[String(status)]?.examples ?? {});
      if (status < 300) {
        expect("data" in outcome, String((outcome as { error?: unknown }).error)).toBe(true);
        const { data } = outcome as { data: unknown };
        expect(validateResponse(doc, ajv, id, status, data)).toEqual([]);
        expect(examples).toContainEqual(data);
        record(id, status, "typed data ✓");
        return;
      }
      const { error } = outcome as { error: SimcelApiError };
      const Class = expectedClass[status]!;
      expect(error).toBeInstanceOf(Class);
      expect(error).toBeInstanceOf(SimcelApiError);
      expect(error).toMatchObject({ status, method: "GET", path: op.path, requestId: "req_7f3a9c2e" });
      const serverMessages = examples.map((e) => (e as { message: string }).message);
      expect(serverMessages.some((m) => error.message.includes(m))).toBe(true);
      expect(error.message).not.toContain("contract-test-token");
      if (status === 403) {
        expect((error as PermissionDeniedError).scope).toBe(op.scope);
        expect(error.message).toContain(`needs scope ${op.scope}`);
      }
      if (status === 429) expect(error.retryAfterMs).toBe(1000);
      record(id, status, `${Class.name} ✓`);
    });
  },
);

describe("every secured operation without Authorization", () => {
  it.each(specOps.filter((o) => o.secured).map((o) => [o.operationId as Id, o] as const))(
    "%s without Authorization → AuthenticationError",
    async (id, op) => {
      const error = await calls[id](createInsightsClient({ baseUrl, maxRetries: 0 })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error).toMatchObject({
        status: 401,
        code: "authentication_failed",
        reason: "Unauthorized",
        path: op.path,
      });
      record(id, "401 (no token)", "AuthenticationError ✓");
    },
  );
});

describe("typed data in use, on a plan found through listPlans", () => {
  // on the mock any bearer passes; live, the run's own credential signs in
  const insights = createInsightsClient({
    baseUrl,
    middleware: [isMock ? bearer : createAuthMiddleware({ credential: credentialFromEnv(credentialEnv()) })],
  });

  it("getPlan and compareScenarios: the base is chooseBaseScenario's pick, deltas are right", async () => {
    const { id, scenarioIds } = await discoverPlan();
    const plan = await insights.getPlan(id);
    const pnl = await insights.getPnlSummary({ planId: plan.id, scenarioIds, interval: "FY" });
    expect(validateResponse(doc, ajv, "getPnlSummary", 200, pnl)).toEqual([]);
    const comparison = compareScenarios(pnl, { plan });
    const withPnl = pnl.scenarios.filter((s) => s.pnl);
    const flagsOf = (id: string) => plan.scenarios.find((s) => s.id === id)?.flags ?? [];
    expect(comparison.baseScenarioId).toBe(
      chooseBaseScenario(pnl.scenarios.map((s) => ({ id: s.scenarioId, flags: flagsOf(s.scenarioId) })))?.id,
    );
    if (isMock) expect(comparison.baseScenarioId).toBe("scen_abc"); // the spec's committed example scenario
    const base = withPnl.find((s) => s.scenarioId === comparison.baseScenarioId)?.pnl;
    for (const row of comparison.rows) {
      const other = withPnl.find((s) => s.scenarioId === row.scenarioId)!.pnl!;
      const ebit = row.kpis.find((k) => k.kpi === "ebit");
      expect(ebit).toMatchObject({ base: base!.ebit, value: other.ebit, delta: other.ebit - base!.ebit });
      if (base!.ebit !== 0) expect(ebit?.deltaRatio).toBeCloseTo((other.ebit - base!.ebit) / Math.abs(base!.ebit), 12);
      expect(row.kpis.find((k) => k.kpi === "ebitPercent")).toMatchObject({ percent: true, deltaRatio: null });
    }
  });

  it("getPlan for a plan the token does not see is a NotFoundError", async () => {
    await expect(insights.getPlan("plan_none_of_yours")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("dataAge reads meta.generatedAt of a real response", async () => {
    const pnl = await insights.getPnlSummary({ planId: (await discoverPlan()).id });
    const { generatedAt } = pnl.meta;
    const age = dataAge(pnl, Date.parse("2030-01-01T00:00:00Z"));
    if (generatedAt)
      expect(age).toEqual({
        generatedAt: new Date(generatedAt),
        ageMs: Date.parse("2030-01-01T00:00:00Z") - Date.parse(generatedAt),
      });
    else expect(age).toMatchObject({ generatedAt: null, reason: "no computed output" });
  });

  mockOnly("the spec's example generatedAt, a day before the fixed clock").it(
    "dataAge of the mock's P&L is one day",
    async () => {
      const pnl = await insights.getPnlSummary({ planId: "plan_9xKz2" });
      expect(dataAge(pnl, Date.parse("2025-07-01T08:15:00Z"))).toMatchObject({ ageMs: 24 * 3600_000 });
    },
  );

  it("each data operation's answer validates against the spec (CO2: or is not there yet, as documented)", async () => {
    const planId = (await discoverPlan()).id;
    for (const [id, call] of [
      ["getPnlSummary", () => insights.getPnlSummary({ planId, interval: "M" })],
      ["getDemandForecast", () => insights.getDemandForecast({ planId })],
      ["getSustainability", () => insights.getSustainability({ planId })],
    ] as const) {
      const outcome = await call().then(
        (data) => ({ data }),
        (error: unknown) => ({ error }),
      );
      if ("error" in outcome) {
        const status = (outcome.error as SimcelApiError).status;
        expect(id === "getSustainability" && COMING_SOON_STATUSES.includes(status ?? 0), String(outcome.error)).toBe(
          true,
        );
        continue;
      }
      expect(validateResponse(doc, ajv, id, 200, outcome.data), id).toEqual([]);
    }
  });
});

describe("a real network failure", () => {
  it("a port nobody listens on gives a ConnectionError after the retries", async () => {
    const port = await freePort();
    const insights = createInsightsClient({ baseUrl: `http://127.0.0.1:${port}`, maxRetries: 1 });
    const error = await insights.listPlans().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ method: "GET", path: "/insights/v1/plans" });
    expect((error as ConnectionError).status).toBeUndefined();
    expect((error as Error).cause).toBeInstanceOf(TypeError);
  });
});
