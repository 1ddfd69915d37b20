// The spec's own qualities: examples match their schemas, P&L examples add up, every operation is
// complete, inferred facts are marked.
import { describe, expect, it } from "vitest";
import type { components } from "../../packages/insights/src/generated/openapi.js";
import { createSpecAjv, deref, listOperations, loadSpec, validateResponse } from "../spec-tools.mjs";

type Schemas = components["schemas"];

const doc = loadSpec();
const ajv = createSpecAjv(doc);
const operations = listOperations(doc);

describe("spec operations", () => {
  it("describes the six in-scope operations", () => {
    expect(operations.map((o) => `${o.method} ${o.path}`).sort()).toEqual([
      "GET /insights/v1/demand-forecast",
      "GET /insights/v1/plans",
      "GET /insights/v1/pnl-summary",
      "GET /insights/v1/sustainability",
      "POST /auth/v1/token",
      "POST /oauth/v1/token",
    ]);
  });

  it.each(operations.map((o) => [o.operationId, o] as const))("%s has an id, summary, scope and errors", (_id, op) => {
    expect(op.operation.summary).toBeTruthy();
    expect(op.statuses).toContain(200);
    expect(op.statuses).toContain(429);
    expect(op.statuses).toContain(500);
    if (op.secured) {
      expect(op.scope).toMatch(/^(insights|plans):read$/);
      expect(op.statuses).toEqual(expect.arrayContaining([401, 403]));
      const oauth = (op.operation.security ?? []).find((r: Record<string, string[]>) => r.oauth2);
      expect(oauth?.oauth2).toEqual([op.scope]);
    } else {
      expect(op.operation.security).toEqual([]);
      expect(op.statuses).toEqual(expect.arrayContaining([400, 401]));
    }
    for (const status of op.statuses) {
      expect(Object.keys(op.responses[status]?.examples ?? {}).length, `${op.operationId} ${status}`).toBeGreaterThan(
        0,
      );
    }
  });

  it("marks the not-yet-available CO2 endpoint", () => {
    const co2 = operations.find((o) => o.operationId === "getSustainability");
    expect(co2?.operation["x-simcel-availability"]).toBe("coming-soon");
    expect(co2?.operation.summary).toMatch(/not yet available/i);
  });

  it("marks inferred facts with x-simcel-inferred and an 'Inferred:' description", () => {
    const inferred: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (!node || typeof node !== "object") return;
      const record = node as Record<string, unknown>;
      const mark = record["x-simcel-inferred"];
      if (mark !== undefined) {
        inferred.push(path);
        expect(String(record.description), path).toMatch(/Inferred/);
        // a keyword list only on a parameter (its schema's keywords); `true` anywhere
        if (Array.isArray(mark)) expect(record.in, `${path}: keyword list off a parameter`).toBe("query");
        else expect(mark, path).toBe(true);
      }
      for (const [k, v] of Object.entries(record)) walk(v, `${path}/${k}`);
    };
    walk(doc, "#");
    expect(inferred.length).toBeGreaterThanOrEqual(8);
  });
});

describe("spec examples", () => {
  const cases = operations.flatMap((op) =>
    Object.entries(op.responses).flatMap(([status, r]) =>
      Object.entries((r as { examples: Record<string, unknown> }).examples).map(
        ([name, value]) => [`${op.operationId} ${status} ${name}`, op.operationId, Number(status), value] as const,
      ),
    ),
  );

  it.each(cases)("%s validates against its schema", (_label, operationId, status, value) => {
    expect(validateResponse(doc, ajv, operationId, status, value)).toEqual([]);
    if (status >= 400) expect((value as { statusCode: number }).statusCode).toBe(status);
  });

  it("rejects a body that breaks the schema (the validator can fail)", () => {
    expect(validateResponse(doc, ajv, "getPnlSummary", 200, { meta: { planId: "p" }, scenarios: [] })).not.toEqual([]);
    expect(validateResponse(doc, ajv, "exchangeApiKey", 200, { accessToken: "", expiresIn: 0 })).not.toEqual([]);
  });

  it("P&L examples add up along the cascade", () => {
    const pnl = operations.find((o) => o.operationId === "getPnlSummary");
    const rows: Schemas["PnlFigures"][] = [];
    for (const example of Object.values(pnl?.responses[200]?.examples ?? {}) as Schemas["PnlSummaryResponse"][]) {
      for (const s of example.scenarios) {
        if (s.pnl) rows.push(s.pnl);
        rows.push(...(s.series ?? []));
      }
    }
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const r of rows) {
      expect(r.grossFIESales - r.tradeExpenses).toBeCloseTo(r.netFIESales, 6);
      expect(r.netFIESales - r.cogs).toBeCloseTo(r.grossProfit, 6);
      expect(r.storageAndHandling + r.transport).toBeCloseTo(r.supplyChainCost, 6);
      expect(r.ebit).toBeLessThanOrEqual(r.grossProfit - r.supplyChainCost);
      expect(r.dpm).toBeLessThanOrEqual(r.ebit);
      for (const k of ["cogs", "ebit", "dpm"] as const) expect(r[`${k}Percent`]).toBeCloseTo(r[k] / r.netFIESales, 6);
    }
  });

  it("CO2 examples add up: summary = inbound + storage + outbound = sum of the breakdown", () => {
    const co2 = operations.find((o) => o.operationId === "getSustainability");
    for (const example of Object.values(co2?.responses[200]?.examples ?? {}) as Schemas["SustainabilityResponse"][]) {
      for (const s of example.scenarios) {
        const { inboundCO2 = Number.NaN, storageCO2 = Number.NaN, outboundCO2 = Number.NaN, totalCO2 } = s.summary;
        expect(inboundCO2 + storageCO2 + outboundCO2).toBeCloseTo(totalCO2, 6);
        expect(s.breakdown.reduce((a, b) => a + b.totalCO2, 0)).toBeCloseTo(totalCO2, 6);
      }
    }
  });

  it("documents scenarioIds as a comma-separated list of at most 3", () => {
    const param = deref(doc, doc.components.parameters.ScenarioIds);
    expect(param).toMatchObject({ style: "form", explode: false, schema: { type: "array", maxItems: 3 } });
  });
});
