import { createAuthMiddleware, credentialFromEnv } from "@simcel/auth";
import { compareScenarios, createInsightsClient } from "@simcel/insights";

const credential = credentialFromEnv(); // SIMCEL_API_KEY, or SIMCEL_CLIENT_ID + SIMCEL_CLIENT_SECRET, or SIMCEL_TOKEN
// the client takes its base URL (SIMCEL_BASE_URL, else production) from the auth middleware's credential
const insights = createInsightsClient({ middleware: [createAuthMiddleware({ credential })] });

const { plans } = await insights.listPlans();
for (const plan of plans) {
  const pnl = await insights.getPnlSummary({ planId: plan.id, interval: "FY" });
  for (const row of compareScenarios(pnl, { plan }).rows)
    console.log(
      plan.name,
      row.scenarioName,
      row.kpis.find((k) => k.kpi === "ebit"),
    );
}
