// A loopback SIMCEL whose reality differs from our spec in planted, named ways — the first real key's
// surprises, rehearsed. It signs in (API key or client credentials, JWTs carrying a `scope` claim),
// enforces bearer tokens and scopes, and answers the four read operations; each deviation changes one
// thing, so a test can say exactly what a client, `simcel doctor` or the Prism proxy must find.
// Started and stopped by the tests themselves (node:http on 127.0.0.1, a free port).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One way the planted SIMCEL differs from the spec. */
export type Deviation =
  /** listPlans: each plan carries `owner`, a field the spec does not know (documented object, extra field). */
  | "extraField"
  /** listPlans: a scenario flagged `archived`, a value the spec's enum does not list. */
  | "unknownFlag"
  /** listPlans: the plan id has dots, outside the id alphabet the spec infers for `planId`. */
  | "planIdDot"
  /** getPnlSummary: `scenarioColor` is `blue`, not the `#RRGGBB` the spec infers. */
  | "colorName"
  /** getDemandForecast: `fillRate` is the string `"96%"` where the spec documents a number. */
  | "fillRateString"
  /** getPnlSummary with interval M: rows carry `month`, not `period` (the key the spec infers). */
  | "periodAsMonth"
  /** getSustainability: answers 200, but the summary lacks `totalCO2` (required only by inference). */
  | "co2TotalMissing"
  /** getSustainability: 404, the endpoint SIMCEL documents as coming soon is not there yet. */
  | "co2ComingSoon"
  /** The token endpoints answer RFC 6749's snake_case (`access_token`, `expires_in`), not SIMCEL's documented camelCase. */
  | "tokenSnakeCase";

/** What `simcel doctor` meets: documented and inferred differences, and CO2 not there yet. */
export const DOCTOR_REALITY: Deviation[] = [
  "extraField",
  "unknownFlag",
  "planIdDot",
  "colorName",
  "fillRateString",
  "co2ComingSoon",
];

/** Exactly one difference of each kind the proxy must report: an extra field, an inferred field missing, a documented field of the wrong type. */
export const PROXY_REALITY: Deviation[] = ["extraField", "co2TotalMissing", "fillRateString"];

/** API keys the planted server accepts, and the scopes their tokens carry. Test secrets carry FAKE. */
export const PLANTED_KEYS = {
  /** insights:read plans:read */
  full: "sk_test_FAKE_planted_full_key",
  /** plans:read only: cannot read any insight */
  plansOnly: "sk_test_FAKE_planted_plans_only",
} as const;
/** OAuth2 client credentials the planted server accepts (scopes as requested). */
export const PLANTED_CLIENT = { id: "cli_planted", secret: "FAKE-planted-client-secret" } as const;

export interface PlantedOptions {
  deviations?: readonly Deviation[];
  /** A fixed `Date` header for every answer (so clock skew is deterministic); default the real time. */
  date?: string;
}

export interface PlantedServer {
  url: string;
  /** Every request: `METHOD /path` (no query). */
  readonly requests: string[];
  /** Tokens issued so far (secrets: a test checks none is printed). */
  readonly tokens: string[];
  close(): Promise<void>;
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const jwt = (scope: string, n: number) =>
  `${b64url({ alg: "HS256", typ: "JWT" })}.${b64url({ sub: "planted", scope, n })}.${Buffer.from(`sig_FAKE_${n}`).toString("base64url")}`;

const errorBody = (status: number, error: string, message: string) => ({ statusCode: status, error, message });

function figures(scale: number) {
  const net = 1_000_000 * scale;
  return {
    grossFIESales: net * 1.1,
    tradeExpenses: net * 0.1,
    netFIESales: net,
    cogs: net * 0.5,
    cogsPercent: 0.5,
    grossProfit: net * 0.5,
    supplyChainCost: net * 0.1,
    storageAndHandling: net * 0.04,
    transport: net * 0.06,
    ebit: net * 0.3,
    ebitPercent: 0.3,
    dpm: net * 0.2,
    dpmPercent: 0.2,
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of req) text += chunk;
  return text;
}

/** Starts the planted SIMCEL on a free loopback port. */
export async function startPlantedServer(options: PlantedOptions = {}): Promise<PlantedServer> {
  const planted = new Set(options.deviations ?? DOCTOR_REALITY);
  const requests: string[] = [];
  const tokens = new Map<string, string>(); // token → scope
  const planId = planted.has("planIdDot") ? "plan.eu.2025" : "plan_live1";
  const generatedAt = "2025-06-30T08:15:00Z";
  const scenarios = [
    { scenarioId: "scen_base", scenarioName: "Base", scenarioColor: planted.has("colorName") ? "blue" : "#1F77B4" },
    { scenarioId: "scen_alt", scenarioName: "Alternative", scenarioColor: "#FF7F0E" },
  ];

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, {
      "content-type": "application/json",
      "x-request-id": `req_planted_${requests.length}`,
      ...(options.date && { date: options.date }),
    });
    res.end(JSON.stringify(body));
  };
  const issue = (res: ServerResponse, scope: string) => {
    const token = jwt(scope, tokens.size + 1);
    tokens.set(token, scope);
    send(
      res,
      200,
      planted.has("tokenSnakeCase")
        ? { access_token: token, expires_in: 3600, token_type: "Bearer" }
        : { accessToken: token, expiresIn: 3600, tokenType: "Bearer" },
    );
  };

  const handlers: Record<string, (url: URL) => unknown> = {
    "/insights/v1/plans": () => ({
      plans: [
        {
          id: planId,
          name: "Planted Plan",
          currency: "EUR",
          ...(planted.has("extraField") && { owner: "planning-team" }),
          scenarios: [
            { id: "scen_base", name: "Base", flags: ["committed"] },
            { id: "scen_alt", name: "Alternative", flags: planted.has("unknownFlag") ? ["archived"] : [] },
          ],
        },
      ],
    }),
    "/insights/v1/pnl-summary": (url) => {
      const interval = url.searchParams.get("interval") ?? "FY";
      return {
        meta: { planId: url.searchParams.get("planId"), currency: "EUR", interval, generatedAt },
        scenarios: scenarios.map((s, i) =>
          interval === "M"
            ? {
                ...s,
                series: ["2025-01", "2025-02"].map((period) => ({
                  [planted.has("periodAsMonth") ? "month" : "period"]: period,
                  ...figures(i + 1),
                })),
              }
            : { ...s, pnl: figures(i + 1) },
        ),
      };
    },
    "/insights/v1/demand-forecast": (url) => ({
      meta: { planId: url.searchParams.get("planId"), currency: "EUR", interval: "M", generatedAt },
      scenarios: scenarios.map((s) => ({
        ...s,
        series: ["2025-01", "2025-02"].map((period) => ({
          period,
          demandVolume: 1000,
          demandValue: 5000,
          fillRate: planted.has("fillRateString") ? "96%" : 0.96,
          forecastAccuracy: null,
        })),
      })),
    }),
    "/insights/v1/sustainability": (url) => ({
      meta: { planId: url.searchParams.get("planId"), currency: "EUR", interval: "FY", generatedAt },
      scenarios: scenarios.map((s) => ({
        ...s,
        summary: planted.has("co2TotalMissing")
          ? { inboundCO2: 1, storageCO2: 2, outboundCO2: 3 }
          : { inboundCO2: 1, storageCO2: 2, outboundCO2: 3, totalCO2: 6 },
        breakdown: [{ groupKey: "DC North", totalCO2: 6 }],
      })),
    }),
  };
  const scopeOf: Record<string, string> = {
    "/insights/v1/plans": "plans:read",
    "/insights/v1/pnl-summary": "insights:read",
    "/insights/v1/demand-forecast": "insights:read",
    "/insights/v1/sustainability": "insights:read",
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://planted");
    requests.push(`${req.method} ${url.pathname}`);
    const body = await readBody(req);
    if (req.method === "POST" && url.pathname === "/auth/v1/token") {
      let apiKey: unknown;
      try {
        apiKey = JSON.parse(body).apiKey;
      } catch {}
      if (typeof apiKey !== "string") return send(res, 400, errorBody(400, "Bad Request", "apiKey is required"));
      if (apiKey === PLANTED_KEYS.full) return issue(res, "insights:read plans:read");
      if (apiKey === PLANTED_KEYS.plansOnly) return issue(res, "plans:read");
      return send(res, 401, errorBody(401, "Unauthorized", "Invalid API key"));
    }
    if (req.method === "POST" && url.pathname === "/oauth/v1/token") {
      const form = new URLSearchParams(body);
      if (form.get("client_id") !== PLANTED_CLIENT.id || form.get("client_secret") !== PLANTED_CLIENT.secret)
        return send(res, 401, errorBody(401, "Unauthorized", "Invalid client credentials"));
      return issue(res, form.get("scope") || "insights:read plans:read");
    }
    const handler = req.method === "GET" ? handlers[url.pathname] : undefined;
    if (!handler) return send(res, 404, errorBody(404, "Not Found", `Cannot ${req.method} ${url.pathname}`));
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const scope = token === undefined ? undefined : tokens.get(token);
    if (scope === undefined)
      return send(res, 401, errorBody(401, "Unauthorized", "Bearer token is missing or has expired"));
    const needed = scopeOf[url.pathname] as string;
    if (!scope.split(" ").includes(needed))
      return send(res, 403, errorBody(403, "Forbidden", `Insufficient scope: ${needed} required`));
    if (url.pathname === "/insights/v1/sustainability" && planted.has("co2ComingSoon"))
      return send(res, 404, errorBody(404, "Not Found", "Cannot GET /insights/v1/sustainability"));
    const asked = url.searchParams.get("planId");
    if (url.pathname !== "/insights/v1/plans" && asked !== planId)
      return send(res, 404, errorBody(404, "Not Found", `Plan ${asked} not found or you do not have access`));
    return send(res, 200, handler(url));
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    get tokens() {
      return [...tokens.keys()];
    },
    close: () =>
      new Promise<void>((closed) => {
        server.close(() => closed());
        server.closeAllConnections();
      }),
  };
}
