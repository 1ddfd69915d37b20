import { errorResponse, recordingFetch } from "../../core/test/fakes.js";

/** A JSON response as the API sends it. */
export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

/** The spec's error body. */
export const apiError = (status: number, error: string, message: string, headers: Record<string, string> = {}) =>
  errorResponse(status, message, { error, headers: { "content-type": "application/json", ...headers } });

/** A fetch that never answers: it rejects only when the request's signal aborts, like a real fetch. */
export const hang = (request: Request) =>
  new Promise<Response>((_, reject) => {
    request.signal.addEventListener("abort", () => reject(request.signal.reason));
  });

type Responder = (request: Request) => Response | Promise<Response>;

/**
 * An injected fetch answering the n-th request with the n-th responder (the last one repeats);
 * `calls` keeps every request it saw.
 */
export function fakeFetch(...responders: Responder[]) {
  // as a real fetch does: the signal handed with the request is the one it honours
  const { fetch, requests } = recordingFetch(
    (request, n) => {
      const respond = responders[Math.min(n, responders.length) - 1];
      if (!respond) throw new Error("fakeFetch: no responder");
      return respond(request);
    },
    { honourSignal: true },
  );
  return { fetch, calls: requests };
}

export const pnlFY = {
  meta: { planId: "plan_1", currency: "USD", interval: "FY" as const, generatedAt: "2025-06-30T08:15:00Z" },
  scenarios: [
    {
      scenarioId: "scen_base",
      scenarioName: "Committed",
      pnl: {
        grossFIESales: 1000,
        tradeExpenses: 0,
        netFIESales: 1000,
        cogs: 500,
        cogsPercent: 0.5,
        grossProfit: 500,
        supplyChainCost: 100,
        storageAndHandling: 40,
        transport: 60,
        ebit: -200,
        ebitPercent: -0.2,
        dpm: 300,
        dpmPercent: 0.3,
      },
    },
  ],
};

/** A demand forecast and a CO2 answer as the spec shapes them. */
export const demandM = {
  meta: { planId: "plan_1", currency: "USD", interval: "M" as const, generatedAt: "2025-06-30T08:15:00Z" },
  scenarios: [
    {
      scenarioId: "scen_base",
      scenarioName: "Committed",
      series: [{ period: "2025-01", demandVolume: 10, demandValue: 100, fillRate: 0.9, forecastAccuracy: null }],
    },
  ],
};
export const co2FY = {
  meta: { planId: "plan_1", currency: "USD", interval: "FY" as const, generatedAt: "2025-06-30T08:15:00Z" },
  scenarios: [{ scenarioId: "scen_base", scenarioName: "Committed", summary: { totalCO2: 12.5 }, breakdown: [] }],
};
