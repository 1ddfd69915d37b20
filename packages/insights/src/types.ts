import type { components, operations as Ops } from "./generated/openapi.js";

type Schemas = components["schemas"];
/** The query parameters of an operation, as the spec types them. */
type Query<K extends keyof Ops> = NonNullable<Ops[K]["parameters"]["query"]>;

/** `GET /insights/v1/plans`: the plans the token may read. */
export type PlansResponse = Schemas["PlansResponse"];
/** A plan with its scenarios. */
export type Plan = Schemas["Plan"];
/** A scenario of a plan, with its flags (`committed`, `actual`, …; none = a user what-if). */
export type PlanScenario = Schemas["PlanScenario"];
/** A scenario flag. */
export type ScenarioFlag = Schemas["ScenarioFlag"];
/** The `meta` envelope of every data response; `generatedAt` is absent without computed output. */
export type Meta = Schemas["Meta"];
/** `GET /insights/v1/pnl-summary`: `pnl` per scenario with `interval=FY`, `series` with `M`. */
export type PnlSummary = Schemas["PnlSummaryResponse"];
/** One scenario of a P&L summary. */
export type PnlScenario = Schemas["PnlScenario"];
/** The figures of one step of the P&L cascade. */
export type PnlFigures = Schemas["PnlFigures"];
/** A KPI of the P&L cascade (`ebit`, `ebitPercent`, …). */
export type PnlKpi = keyof PnlFigures;
/** `GET /insights/v1/demand-forecast`. */
export type DemandForecast = Schemas["DemandForecastResponse"];
/** `GET /insights/v1/sustainability` (documented as "coming soon"). */
export type Sustainability = Schemas["SustainabilityResponse"];
/** The error body every endpoint documents. */
export type ApiErrorBody = Schemas["Error"];

/** Parameters of `getPnlSummary`. */
export type PnlSummaryParams = Query<"getPnlSummary">;
/** Parameters of `getDemandForecast`. */
export type DemandForecastParams = Query<"getDemandForecast">;
/** Parameters of `getSustainability`. */
export type SustainabilityParams = Query<"getSustainability">;
