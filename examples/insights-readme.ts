import { createAuthMiddleware, credentialFromEnv } from "@simcel/auth"; // or any middleware that sets Authorization
import { compareScenarios, createInsightsClient, dataAge } from "@simcel/insights";

const insights = createInsightsClient({ middleware: [createAuthMiddleware({ credential: credentialFromEnv() })] });
const plan = await insights.getPlan("plan_9xKz2");
const pnl = await insights.getPnlSummary({ planId: plan.id, interval: "FY" });
const comparison = compareScenarios(pnl, { plan }); // base: the scenario flagged `committed` (else `primary`)
const age = dataAge(pnl); // { generatedAt, ageMs } or { generatedAt: null, reason: "no computed output" }
console.log(
  comparison.rows[0]?.kpis.find((k) => k.kpi === "ebit"),
  age,
);
