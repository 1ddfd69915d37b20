// Every rule the sandbox promises, checked the way a user meets it: through @simcel/auth and @simcel/insights
// (the typed client, or its `raw` openapi-fetch client where the SDK's own pre-flight checks would refuse the
// request before the sandbox could), never by reading the sandbox's internals. One test per rule.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadSpec } from "../../../scripts/spec-tools.mjs";
import {
  type Credential,
  createApiKeyCredential,
  createAuthMiddleware,
  createClientCredentials,
  createStaticCredential,
  SimcelTokenRequestError,
} from "../../auth/src/index.js";
import {
  AuthenticationError,
  createInsightsClient,
  type DemandForecast,
  dataAge,
  type InsightsClient,
  NotFoundError,
  PermissionDeniedError,
  type Plan,
  type PnlFigures,
  RateLimitError,
} from "../../insights/src/index.js";
import { currencyRates, type Sandbox, startSandbox } from "../src/index.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** An insights client signed in with `credential` (the SDK's own middleware), closed after the test. */
function client(credential: Credential): InsightsClient {
  const auth = createAuthMiddleware({ credential });
  const insights = createInsightsClient({ middleware: [auth], maxRetries: 0 });
  closers.push(async () => {
    await insights.close();
    await auth.close();
  });
  return insights;
}
const byKey = (s: Sandbox, apiKey: string) => client(createApiKeyCredential({ apiKey, baseUrl: s.url }));
async function started(options: Parameters<typeof startSandbox>[0] = {}) {
  const s = await startSandbox(options);
  closers.push(() => s.close());
  return s;
}
const claims = (token: string) => JSON.parse(Buffer.from(token.split(".")[1] as string, "base64url").toString());

// one sandbox and one signed-in client for the rules that only read
let sandbox: Sandbox;
let shared: ReturnType<typeof createAuthMiddleware>;
let insights: InsightsClient;
let plans: Plan[];
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 1 });
  shared = createAuthMiddleware({
    credential: createApiKeyCredential({ apiKey: sandbox.createApiKey(), baseUrl: sandbox.url }),
  });
  insights = createInsightsClient({ middleware: [shared], maxRetries: 0 });
  plans = (await insights.listPlans()).plans;
});
afterAll(async () => {
  await insights?.close();
  await shared?.close();
  await sandbox?.close();
});

const planWith = (i: number) => plans[i] as Plan;
const flagged = (plan: Plan, flag: string) => plan.scenarios.find((s) => s.flags.includes(flag as never))!.id;
/** The amounts of the P&L (every field of the spec's PnlFigures but the `*Percent` ratios): they add up. */
const SUMMED = Object.keys(loadSpec().components.schemas.PnlFigures.properties).filter(
  (field) => !field.endsWith("Percent"),
) as Exclude<keyof PnlFigures, `${string}Percent`>[];
/** The last day of month `2025-02` → `2025-02-28`. */
const monthEnd = (month: string) => {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};
/** ISO 8601 week of a date, the textbook way (not the sandbox's code): the week holding its Thursday. */
function isoWeekOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const weekday = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

describe("sign-in", () => {
  it("the API-key exchange gives a token that opens the API", async () => {
    const s = await started();
    const { plans } = await byKey(s, s.createApiKey()).listPlans();
    expect(plans.length).toBeGreaterThan(0);
    expect(s.counts).toMatchObject({ token: 1, tokensIssued: 1, byOperation: { exchangeApiKey: 1, listPlans: 1 } });
  });

  it("the client-credentials grant gives a token with the scopes asked for", async () => {
    const s = await started({ record: true });
    const { clientId, clientSecret } = s.createClient({ scopes: ["insights:read", "plans:read"] });
    const credential = createClientCredentials({ clientId, clientSecret, scopes: ["plans:read"], baseUrl: s.url });
    await client(credential).listPlans();
    expect(claims(s.issuedTokens[0]!).scope).toBe("plans:read");
    const wrong = createClientCredentials({ clientId, clientSecret: "FAKE_wrong", baseUrl: s.url });
    const refused = await wrong.getToken().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SimcelTokenRequestError);
    expect(refused).toMatchObject({ status: 401, serverMessage: "Invalid client credentials" });
  });

  it("an unknown key gets 401 in the documented body", async () => {
    const s = await started();
    const error = await createApiKeyCredential({ apiKey: "sk_test_FAKE_unknown", baseUrl: s.url })
      .getToken()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SimcelTokenRequestError);
    expect(error).toMatchObject({ status: 401, reason: "Unauthorized", serverMessage: "Invalid API key" });
  });

  it("tokens are JWT-shaped and carry their scopes and lifetime", async () => {
    const s = await started({ tokenLifetimeS: 900 });
    const key = s.createApiKey({ scopes: ["plans:read"] });
    const token = await createApiKeyCredential({ apiKey: key, baseUrl: s.url }).getToken();
    expect(token.token).toMatch(/^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+$/);
    const c = claims(token.token);
    expect(c.scope).toBe("plans:read");
    expect(c.exp - c.iat).toBe(900);
    expect(token.expiresAt - Date.now()).toBeGreaterThan(890_000);
  });

  it("tokens really expire after tokenLifetimeS", async () => {
    let clock = Date.parse("2025-07-01T08:00:00Z");
    const s = await started({ tokenLifetimeS: 60, now: () => clock });
    const { token } = await createApiKeyCredential({ apiKey: s.createApiKey(), baseUrl: s.url }).getToken();
    const insights = client(createStaticCredential({ token, baseUrl: s.url }));
    await insights.listPlans();
    clock += 61_000;
    const error = await insights.listPlans().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, serverMessage: "Bearer token is missing or has expired" });
  });

  it("revokeTokens: every token issued so far answers 401; a new sign-in works", async () => {
    const s = await started();
    const key = s.createApiKey();
    const { token } = await createApiKeyCredential({ apiKey: key, baseUrl: s.url }).getToken();
    expect(s.revokeTokens()).toBe(1);
    await expect(client(createStaticCredential({ token, baseUrl: s.url })).listPlans()).rejects.toBeInstanceOf(
      AuthenticationError,
    );
    await expect(byKey(s, key).listPlans()).resolves.toHaveProperty("plans");
  });
});

describe("scopes", () => {
  it("the plan list needs plans:read: 403 naming it", async () => {
    const s = await started();
    const error = await byKey(s, s.createApiKey({ scopes: ["insights:read"] }))
      .listPlans()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error).toMatchObject({ status: 403, serverMessage: "Insufficient scope: plans:read required" });
  });

  it("the insights endpoints need insights:read: 403 naming it, for each", async () => {
    const s = await started();
    const limited = byKey(s, s.createApiKey({ scopes: ["plans:read"] }));
    const planId = s.plans[0]!.id;
    for (const call of [
      () => limited.getPnlSummary({ planId }),
      () => limited.getDemandForecast({ planId }),
      () => limited.getSustainability({ planId }),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PermissionDeniedError);
      expect((error as PermissionDeniedError).serverMessage).toBe("Insufficient scope: insights:read required");
    }
  });

  it("admin grants every scope", async () => {
    const s = await started();
    const admin = byKey(s, s.createApiKey({ scopes: ["admin"] }));
    const { plans } = await admin.listPlans();
    await expect(admin.getPnlSummary({ planId: plans[0]!.id })).resolves.toHaveProperty("meta");
  });
});

describe("data from the seed", () => {
  it("the same seed gives the same plans and figures; another seed other ones", async () => {
    const [a, b, c] = [await started({ seed: 7 }), await started({ seed: 7 }), await started({ seed: 8 })];
    const read = async (s: Sandbox) => {
      const insights = byKey(s, s.createApiKey());
      const { plans } = await insights.listPlans();
      return { plans, pnl: await insights.getPnlSummary({ planId: plans[1]!.id, interval: "M" }) };
    };
    const [ra, rb, rc] = [await read(a), await read(b), await read(c)];
    expect(rb).toEqual(ra);
    expect(rc.plans.map((p) => p.id)).not.toEqual(ra.plans.map((p) => p.id));
    expect(rc.pnl.scenarios[0]?.series?.[0]?.ebit).not.toBe(ra.pnl.scenarios[0]?.series?.[0]?.ebit);
    expect(a.plans).toEqual(ra.plans);
  });

  it("plans look current on the sandbox's clock: the horizon holds today, 3 to 15 months in, and the last simulation ran hours to days ago", async () => {
    const HOUR = 3_600_000;
    for (const today of [Date.parse("2025-07-01T08:15:00Z"), Date.parse("2028-02-29T23:59:00Z"), Date.now()]) {
      const s = await started({ now: () => today });
      const reader = byKey(s, s.createApiKey());
      const month = new Date(today).toISOString().slice(0, 7);
      for (const plan of (await reader.listPlans()).plans) {
        const pnl = await reader.getPnlSummary({
          planId: plan.id,
          scenarioIds: [flagged(plan, "committed")],
          interval: "M",
        });
        const months = pnl.scenarios[0]!.series!.map((r) => r.period);
        expect(months.indexOf(month), `${plan.name} on ${month}: ${months.join(" ")}`).toBeGreaterThanOrEqual(3);
        expect(months.indexOf(month)).toBeLessThanOrEqual(15);
        const age = today - Date.parse(pnl.meta.generatedAt!);
        expect(age, `${plan.name} generated ${pnl.meta.generatedAt} on ${month}`).toBeGreaterThanOrEqual(2 * HOUR);
        expect(age).toBeLessThanOrEqual(4 * 24 * HOUR);
      }
    }
    // a fixed clock: the same answers whenever the test runs (here, the plan of the fiscal year that holds it)
    const fixed = await started({ now: () => Date.parse("2025-07-01T08:15:00Z") });
    expect(fixed.plans[0]!.name).toBe("Operating Plan 2025–2026");
    const again = await started({ now: () => Date.parse("2025-07-01T23:00:00Z") });
    expect(again.plans).toEqual(fixed.plans);
  });

  it("at least 3 plans in at least two currencies, each with actual, committed, forecast base, primary and a what-if", () => {
    expect(plans.length).toBeGreaterThanOrEqual(3);
    expect(new Set(plans.map((p) => p.currency)).size).toBeGreaterThanOrEqual(2);
    for (const plan of plans) {
      const flags = plan.scenarios.flatMap((s) => s.flags);
      for (const flag of ["actual", "committed", "forecast base", "primary"]) expect(flags, plan.name).toContain(flag);
      expect(plan.scenarios.some((s) => s.flags.length === 0)).toBe(true);
    }
  });

  it("24 months per plan, fiscal years starting in the plan's own month (not all in January)", async () => {
    const firstMonths: string[] = [];
    for (const plan of plans) {
      const pnl = await insights.getPnlSummary({
        planId: plan.id,
        scenarioIds: [flagged(plan, "committed")],
        interval: "M",
      });
      const months = pnl.scenarios[0]!.series!.map((r) => r.period);
      expect(months).toHaveLength(24);
      firstMonths.push(months[0]!.slice(5));
      // the demand's fiscal years split exactly at the plan's first month: 12 months each
      const demand = await insights.getDemandForecast({
        planId: plan.id,
        scenarioIds: [flagged(plan, "committed")],
        interval: "FY",
      });
      const fy = demand.scenarios[0]!.series;
      expect(fy).toHaveLength(2);
      const monthly = await insights.getDemandForecast({ planId: plan.id, scenarioIds: [flagged(plan, "committed")] });
      const m = monthly.scenarios[0]!.series;
      const total = (rows: typeof m) => rows.reduce((a, r) => a + r.demandVolume, 0);
      expect(fy[0]!.demandVolume).toBe(total(m.slice(0, 12)));
      expect(fy[1]!.demandVolume).toBe(total(m.slice(12, 24)));
      // named by the calendar year in which the fiscal year ends
      expect(fy[0]!.period).toBe(monthEnd(m[11]!.period).slice(0, 4));
    }
    expect(new Set(firstMonths).size).toBeGreaterThan(1);
  });

  it("the P&L cascade holds exactly and each *Percent is the field / netFIESales, in every row", async () => {
    const check = (f: PnlFigures) => {
      expect(f.netFIESales).toBe(f.grossFIESales - f.tradeExpenses);
      expect(f.grossProfit).toBe(f.netFIESales - f.cogs);
      expect(f.supplyChainCost).toBe(f.storageAndHandling + f.transport);
      // other costs and overhead are not shown: EBIT and DPM are what is left after them
      expect(f.ebit).toBeLessThan(f.grossProfit - f.supplyChainCost);
      expect(f.dpm).toBeLessThan(f.ebit);
      expect(f.cogsPercent).toBe(f.cogs / f.netFIESales);
      expect(f.ebitPercent).toBe(f.ebit / f.netFIESales);
      expect(f.dpmPercent).toBe(f.dpm / f.netFIESales);
      for (const field of SUMMED) expect(Number.isInteger(f[field]), field).toBe(true);
    };
    let rows = 0;
    for (const plan of plans) {
      for (const interval of ["FY", "M"] as const) {
        const pnl = await insights.getPnlSummary({ planId: plan.id, interval });
        for (const s of pnl.scenarios)
          for (const f of s.pnl ? [s.pnl] : (s.series ?? [])) {
            check(f);
            rows++;
          }
      }
    }
    expect(rows).toBeGreaterThan(plans.length * 5 * 24);
  });

  it("interval=M rows add up to the FY row, per fiscal year from the plan's fiscal start", async () => {
    expect(SUMMED).toEqual(expect.arrayContaining(["grossFIESales", "netFIESales", "ebit", "dpm"]));
    for (const plan of plans) {
      const scenarioIds = plan.scenarios.slice(0, 3).map((s) => s.id);
      const monthly = await insights.getPnlSummary({ planId: plan.id, scenarioIds, interval: "M" });
      const months = monthly.scenarios[0]!.series!.map((r) => r.period);
      for (const year of [months.slice(0, 12), months.slice(12, 24)]) {
        const fy = await insights.getPnlSummary({
          planId: plan.id,
          scenarioIds,
          interval: "FY",
          dateFrom: `${year[0]}-01`,
          dateTo: monthEnd(year[11]!),
        });
        for (const [i, s] of fy.scenarios.entries()) {
          const rows = monthly.scenarios[i]!.series!.filter((r) => year.includes(r.period));
          for (const field of SUMMED)
            expect(s.pnl![field], `${plan.name} ${s.scenarioName} ${field}`).toBe(
              rows.reduce((a, r) => a + r[field], 0),
            );
        }
      }
    }
  });

  it("demand answers D, W, M and FY consistently; weeks are ISO weeks, Monday to Sunday", async () => {
    const plan = planWith(0);
    const scenarioIds = [flagged(plan, "actual"), flagged(plan, "committed")];
    const get = async (interval: "D" | "W" | "M" | "FY") =>
      (await insights.getDemandForecast({ planId: plan.id, scenarioIds, interval })).scenarios;
    const [days, weeks, months, years] = [await get("D"), await get("W"), await get("M"), await get("FY")];
    for (const [i, scenario] of days.entries()) {
      const roll = (key: (date: string) => string) => {
        const out = new Map<string, { volume: number; value: number }>();
        for (const row of scenario.series) {
          const k = key(row.period);
          const acc = out.get(k) ?? { volume: 0, value: 0 };
          out.set(k, { volume: acc.volume + row.demandVolume, value: acc.value + row.demandValue });
        }
        return [...out].map(([period, v]) => ({ period, ...v }));
      };
      const shape = (d: DemandForecast["scenarios"][number]) =>
        d.series.map((r) => ({ period: r.period, volume: r.demandVolume, value: r.demandValue }));
      expect(shape(weeks[i]!)).toEqual(roll(isoWeekOf));
      expect(shape(months[i]!)).toEqual(roll((date) => date.slice(0, 7)));
      const monthly = shape(months[i]!);
      expect(years[i]!.series.map((r) => r.demandVolume)).toEqual([
        monthly.slice(0, 12).reduce((a, r) => a + r.volume, 0),
        monthly.slice(12).reduce((a, r) => a + r.volume, 0),
      ]);
    }
    // a full week in the middle of the horizon is Monday to Sunday: seven days
    const weekOfDays = days[0]!.series.filter((r) => isoWeekOf(r.period) === weeks[0]!.series[10]!.period);
    expect(weekOfDays).toHaveLength(7);
    expect(new Date(`${weekOfDays[0]!.period}T00:00:00Z`).getUTCDay()).toBe(1);
    // forecast accuracy belongs to the actual scenario only
    expect(months[0]!.series.every((r) => typeof r.forecastAccuracy === "number")).toBe(true);
    expect(months[1]!.series.every((r) => r.forecastAccuracy === null)).toBe(true);
  });

  it("groupBy splits add up to the total, for each dimension and period", async () => {
    const plan = planWith(1);
    const scenarioIds = [flagged(plan, "committed"), flagged(plan, "actual")];
    const total = await insights.getDemandForecast({ planId: plan.id, scenarioIds, interval: "M" });
    for (const groupBy of ["product", "sku", "region", "channel"] as const) {
      const split = await insights.getDemandForecast({ planId: plan.id, scenarioIds, interval: "M", groupBy });
      for (const [i, s] of split.scenarios.entries()) {
        const keys = new Set(s.series.map((r) => r.groupKey));
        expect(keys.size, groupBy).toBeGreaterThan(1);
        for (const row of total.scenarios[i]!.series) {
          const parts = s.series.filter((r) => r.period === row.period);
          expect(parts).toHaveLength(keys.size);
          expect(
            parts.reduce((a, r) => a + r.demandVolume, 0),
            `${groupBy} ${row.period}`,
          ).toBe(row.demandVolume);
          expect(
            parts.reduce((a, r) => a + r.demandValue, 0),
            `${groupBy} ${row.period}`,
          ).toBe(row.demandValue);
          for (const p of parts) expect(p.fillRate).toBeGreaterThan(0.8);
        }
      }
    }
  });

  it("CO2 summary parts add up to totalCO2, and the breakdown rows to the summary", async () => {
    const plan = planWith(0);
    for (const groupBy of ["dc", "region", "transport_mode"] as const) {
      const co2 = await insights.getSustainability({ planId: plan.id, groupBy });
      expect(co2.scenarios.length).toBeGreaterThan(0);
      for (const s of co2.scenarios) {
        const { inboundCO2 = 0, storageCO2 = 0, outboundCO2 = 0, totalCO2 } = s.summary;
        expect(inboundCO2 + storageCO2 + outboundCO2).toBe(totalCO2);
        expect(totalCO2).toBeGreaterThan(0);
        expect(s.breakdown.length).toBeGreaterThan(1);
        for (const part of ["inboundCO2", "storageCO2", "outboundCO2", "totalCO2"] as const)
          expect(
            s.breakdown.reduce((a, r) => a + (r[part] ?? 0), 0),
            `${groupBy} ${part}`,
          ).toBe(s.summary[part]);
        for (const r of s.breakdown)
          expect((r.inboundCO2 ?? 0) + (r.storageCO2 ?? 0) + (r.outboundCO2 ?? 0)).toBe(r.totalCO2);
      }
    }
  });

  it('CO2 "coming soon": a start option, or a fault', async () => {
    const soon = await started({ sustainability: "coming-soon" });
    const planId = soon.plans[0]!.id;
    await expect(byKey(soon, soon.createApiKey()).getSustainability({ planId })).rejects.toBeInstanceOf(NotFoundError);
    const s = await started();
    const c = byKey(s, s.createApiKey());
    s.fail({ kind: "drift", drift: "co2ComingSoon", times: 1 });
    await expect(c.getSustainability({ planId })).rejects.toMatchObject({ status: 404 });
    await expect(c.getSustainability({ planId })).resolves.toHaveProperty("scenarios");
  });
});

describe("requests honoured", () => {
  it("scenarioIds returns exactly those scenarios, in that order", async () => {
    const plan = planWith(2);
    const ids = [plan.scenarios[4]!.id, plan.scenarios[0]!.id];
    for (const call of [
      () => insights.getPnlSummary({ planId: plan.id, scenarioIds: ids }),
      () => insights.getDemandForecast({ planId: plan.id, scenarioIds: ids }),
      () => insights.getSustainability({ planId: plan.id, scenarioIds: ids }),
    ])
      expect((await call()).scenarios.map((s) => s.scenarioId)).toEqual(ids);
    // left out: the plan's scenarios
    const all = await insights.getPnlSummary({ planId: plan.id });
    expect(all.scenarios.map((s) => s.scenarioId)).toEqual(plan.scenarios.map((s) => s.id));
  });

  it("more than 3 scenarioIds is 400 with the documented message", async () => {
    const plan = planWith(0);
    const { response, error } = await insights.raw.GET("/insights/v1/pnl-summary", {
      params: { query: { planId: plan.id, scenarioIds: plan.scenarios.slice(0, 4).map((s) => s.id) } },
    });
    expect(response.status).toBe(400);
    expect(error).toEqual({
      statusCode: 400,
      error: "Bad Request",
      message: "scenarioIds: maximum 3 scenarios allowed",
    });
  });

  it("dateFrom and dateTo cut the series, partial months included", async () => {
    const plan = planWith(0);
    const scenarioIds = [flagged(plan, "committed")];
    const whole = await insights.getDemandForecast({ planId: plan.id, scenarioIds, interval: "D" });
    const days = whole.scenarios[0]!.series;
    const [from, to] = [days[40]!.period, days[100]!.period];
    const cut = await insights.getDemandForecast({
      planId: plan.id,
      scenarioIds,
      interval: "D",
      dateFrom: from,
      dateTo: to,
    });
    expect(cut.scenarios[0]!.series).toEqual(days.slice(40, 101));
    const months = await insights.getDemandForecast({ planId: plan.id, scenarioIds, dateFrom: from, dateTo: to });
    expect(months.scenarios[0]!.series[0]!.period).toBe(from.slice(0, 7));
    expect(months.scenarios[0]!.series.reduce((a, r) => a + r.demandVolume, 0)).toBe(
      days.slice(40, 101).reduce((a, r) => a + r.demandVolume, 0),
    );
  });

  it("a reversed date range is 422 with the documented message", async () => {
    const { response, error } = await insights.raw.GET("/insights/v1/demand-forecast", {
      params: { query: { planId: planWith(0).id, dateFrom: "2025-06-01", dateTo: "2025-01-31" } },
    });
    expect(response.status).toBe(422);
    expect(error).toEqual({
      statusCode: 422,
      error: "Unprocessable Entity",
      message: "dateFrom must be before dateTo",
    });
  });

  it("currency converts every amount at the fixed rates; the cascade still holds", async () => {
    const plan = plans.find((p) => p.currency === "USD")!;
    const scenarioIds = [flagged(plan, "committed")];
    const usd = await insights.getPnlSummary({ planId: plan.id, scenarioIds, interval: "M" });
    const eur = await insights.getPnlSummary({ planId: plan.id, scenarioIds, interval: "M", currency: "EUR" });
    expect(eur.meta.currency).toBe("EUR");
    const rate = (currencyRates.USD as number) / (currencyRates.EUR as number);
    for (const [i, row] of eur.scenarios[0]!.series!.entries()) {
      const own = usd.scenarios[0]!.series![i]!;
      // converted day by day, each day rounded to a whole unit: at most half a unit per day off
      expect(Math.abs(row.grossFIESales - own.grossFIESales * rate)).toBeLessThanOrEqual(16);
      expect(row.netFIESales).toBe(row.grossFIESales - row.tradeExpenses);
      expect(row.ebitPercent).toBe(row.ebit / row.netFIESales);
    }
    const demand = await insights.getDemandForecast({ planId: plan.id, scenarioIds, currency: "GBP" });
    const own = await insights.getDemandForecast({ planId: plan.id, scenarioIds });
    const gbp = (currencyRates.USD as number) / (currencyRates.GBP as number);
    expect(
      Math.abs(demand.scenarios[0]!.series[0]!.demandValue - own.scenarios[0]!.series[0]!.demandValue * gbp),
    ).toBeLessThanOrEqual(16);
    expect(demand.scenarios[0]!.series[0]!.demandVolume).toBe(own.scenarios[0]!.series[0]!.demandVolume);
  });

  it("an unknown plan or scenario is 404 with the documented message", async () => {
    const plan = await insights.getPnlSummary({ planId: "plan_nope" }).catch((e: unknown) => e);
    expect(plan).toBeInstanceOf(NotFoundError);
    expect(plan).toMatchObject({ serverMessage: "Plan plan_nope not found or you do not have access" });
    const scenario = await insights
      .getDemandForecast({ planId: planWith(0).id, scenarioIds: ["scen_nope"] })
      .catch((e: unknown) => e);
    expect(scenario).toBeInstanceOf(NotFoundError);
    expect(scenario).toMatchObject({ serverMessage: "Scenario scen_nope not found or you do not have access" });
  });

  it("a scenario with no computed output: 422 when asked for, and generatedAt absent while it is in the answer", async () => {
    const plan = plans.find((p) => p.scenarios.length > 6)!;
    const idle = plan.scenarios.at(-1)!;
    const asked = await insights.raw.GET("/insights/v1/pnl-summary", {
      params: { query: { planId: plan.id, scenarioIds: [idle.id] } },
    });
    expect(asked.response.status).toBe(422);
    expect(asked.error).toMatchObject({ message: `Scenario ${idle.id} has no computed output` });
    const listed = await insights.getPnlSummary({ planId: plan.id });
    expect(listed.meta.generatedAt).toBeUndefined();
    expect(dataAge(listed)).toMatchObject({ generatedAt: null });
    expect(listed.scenarios.find((s) => s.scenarioId === idle.id)).toEqual(
      expect.not.objectContaining({ pnl: expect.anything() }),
    );
    const computed = await insights.getPnlSummary({ planId: plan.id, scenarioIds: [plan.scenarios[0]!.id] });
    expect(Date.parse(computed.meta.generatedAt!)).toBeGreaterThan(0);
  });

  it("a bad interval is 400 with the documented message", async () => {
    for (const [path, allowed] of [
      ["/insights/v1/pnl-summary", "M, FY"],
      ["/insights/v1/demand-forecast", "D, W, M, FY"],
    ] as const) {
      const { response, error } = await insights.raw.GET(path, {
        params: { query: { planId: planWith(0).id, interval: "Q" as never } },
      });
      expect(response.status).toBe(400);
      expect(error).toEqual({ statusCode: 400, error: "Bad Request", message: `interval must be one of: ${allowed}` });
    }
  });
});

describe("rate limit", () => {
  it("per key: the key over its limit gets 429 with Retry-After; another key is not slowed", async () => {
    const s = await started({ rateLimit: { requests: 3, windowS: 30 } });
    const [busy, other] = [byKey(s, s.createApiKey()), byKey(s, s.createApiKey())];
    for (let i = 0; i < 3; i++) await busy.listPlans();
    const error = await busy.listPlans().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBeGreaterThan(0);
    expect((error as RateLimitError).retryAfterMs).toBeLessThanOrEqual(30_000);
    await expect(other.listPlans()).resolves.toHaveProperty("plans");
    // a key given its own, higher limit
    const roomy = byKey(s, s.createApiKey({ rateLimit: { requests: 10, windowS: 30 } }));
    for (let i = 0; i < 5; i++) await roomy.listPlans();
  });

  it("covers sign-ins too, counted apart from API calls: the key exchange and the client grant (a wrong secret counts)", async () => {
    const s = await started({ rateLimit: { requests: 2, windowS: 30 } });
    const form = (fields: Record<string, string>) => ({
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    });
    const json = (body: unknown) => ({
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const apiKey = s.createApiKey();
    const exchange = () => fetch(`${s.url}/auth/v1/token`, json({ apiKey }));
    const { accessToken } = (await (await exchange()).json()) as { accessToken: string };
    expect((await exchange()).status).toBe(200);
    const third = await exchange();
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(third.headers.get("retry-after"))).toBeLessThanOrEqual(30);
    expect(await third.json()).toMatchObject({ statusCode: 429, error: "Too Many Requests" });
    // the key's API calls have their own count: its token still reads, twice
    const read = () => fetch(`${s.url}/insights/v1/plans`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect([(await read()).status, (await read()).status, (await read()).status]).toEqual([200, 200, 429]);

    const { clientId, clientSecret } = s.createClient();
    const grant = (secret: string) =>
      fetch(
        `${s.url}/oauth/v1/token`,
        form({ grant_type: "client_credentials", client_id: clientId, client_secret: secret }),
      );
    expect((await grant("FAKE_wrong")).status).toBe(401);
    expect((await grant(clientSecret)).status).toBe(200);
    expect((await grant(clientSecret)).status).toBe(429);
    // another key is not slowed by either
    expect((await fetch(`${s.url}/auth/v1/token`, json({ apiKey: s.createApiKey() }))).status).toBe(200);
  });
});
