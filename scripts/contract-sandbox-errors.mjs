// The third pass of `contract:sandbox`: the answers a live contract run never asks for. The suite's live mode
// reads data and signs in; the sandbox's refusals (400, 403, 404, 422, 429) and every error status the spec
// documents for each operation (500 and the rest, from `fail()`) go through the validating proxy here, each
// request checked for the status it must get.
import { listOperations } from "./spec-tools.mjs";

/**
 * Sends every refusal and every documented error status of every operation to `sandbox` through `proxyUrl`.
 * Resolves to the requests sent and those whose status was not the one the spec (or the rule) gives.
 */
export async function askEveryError(sandbox, proxyUrl) {
  const plan = sandbox.plans.find((p) => p.scenarios.length > 6) ?? sandbox.plans[0];
  const idle = plan.scenarios.at(-1).id;
  const full = sandbox.createApiKey({ scopes: ["insights:read", "plans:read"] });
  const client = sandbox.createClient({ scopes: ["insights:read", "plans:read"] });
  const tokenOf = async (apiKey) => {
    const answer = await fetch(`${proxyUrl}/auth/v1/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ apiKey }),
    });
    return (await answer.json()).accessToken;
  };
  const bearer = await tokenOf(full);
  const plansOnly = await tokenOf(sandbox.createApiKey({ scopes: ["plans:read"] }));
  const insightsOnly = await tokenOf(sandbox.createApiKey({ scopes: ["insights:read"] }));
  const limitedKey = sandbox.createApiKey({ rateLimit: { requests: 1, windowS: 3600 } });
  const limited = await tokenOf(limitedKey);

  const sent = [];
  const wrong = [];
  const ask = async (label, expected, path, { token = bearer, init = {} } = {}) => {
    const response = await fetch(`${proxyUrl}${path}`, {
      ...init,
      headers: { ...init.headers, ...(token && { authorization: `Bearer ${token}` }) },
    });
    await response.arrayBuffer();
    sent.push(label);
    if (response.status !== expected) wrong.push(`${label}: ${response.status}, expected ${expected}`);
  };
  const data = ["/insights/v1/pnl-summary", "/insights/v1/demand-forecast", "/insights/v1/sustainability"];
  const q = (extra = "") => `?planId=${plan.id}${extra}`;
  for (const path of data) {
    await ask(`${path} without insights:read`, 403, `${path}${q()}`, { token: plansOnly });
    await ask(`${path} of an unknown plan`, 404, `${path}?planId=plan_none`);
    await ask(`${path} of an unknown scenario`, 404, `${path}${q("&scenarioIds=scen_none")}`);
    await ask(`${path} with dateFrom after dateTo`, 422, `${path}${q("&dateFrom=2025-06-01&dateTo=2025-01-31")}`);
    await ask(`${path} of a scenario never simulated`, 422, `${path}${q(`&scenarioIds=${idle}`)}`);
    await ask(
      `${path} with 4 scenarios`,
      400,
      `${path}${q(`&scenarioIds=${plan.scenarios.slice(0, 4).map((s) => s.id)}`)}`,
    );
    await ask(`${path} with interval Q`, 400, `${path}${q("&interval=Q")}`);
  }
  await ask("pnl-summary in a currency without a rate", 400, `${data[0]}${q("&currency=XYZ")}`);
  await ask("plans without plans:read", 403, "/insights/v1/plans", { token: insightsOnly });
  await ask("plans, first call of a key limited to 1", 200, "/insights/v1/plans", { token: limited });
  await ask("plans, second call of a key limited to 1", 429, "/insights/v1/plans", { token: limited });
  const json = (body) => ({ method: "POST", headers: { "content-type": "application/json" }, body });
  const form = (fields) => ({
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
  await ask("key exchange of an unknown key", 401, "/auth/v1/token", {
    token: null,
    init: json(JSON.stringify({ apiKey: "sk_test_FAKE_unknown" })),
  });
  await ask("key exchange, second sign-in of a key limited to 1", 429, "/auth/v1/token", {
    token: null,
    init: json(JSON.stringify({ apiKey: limitedKey })),
  });
  const grant = { grant_type: "client_credentials", client_id: client.clientId };
  await ask("client credentials with a wrong secret", 401, "/oauth/v1/token", {
    token: null,
    init: form({ ...grant, client_secret: "FAKE_wrong" }),
  });
  await ask("client credentials asking a scope not granted", 400, "/oauth/v1/token", {
    token: null,
    init: form({ ...grant, client_secret: client.clientSecret, scope: "admin" }),
  });

  // every error status the spec documents for each operation, as a fault with the spec's body for it
  const valid = {
    exchangeApiKey: { token: null, init: json(JSON.stringify({ apiKey: full })) },
    issueClientCredentialsToken: { token: null, init: form({ ...grant, client_secret: client.clientSecret }) },
  };
  for (const op of listOperations()) {
    for (const status of op.statuses.filter((s) => s >= 400)) {
      sandbox.fail({ operation: op.operationId, status, times: 1, retryAfterS: 1 });
      const path = op.path.startsWith("/insights/v1/plans") ? op.path : op.secured ? `${op.path}${q()}` : op.path;
      await ask(`${op.operationId} answering ${status} (a fault)`, status, path, valid[op.operationId] ?? {});
    }
  }
  sandbox.clearFaults();
  return { sent, wrong };
}
