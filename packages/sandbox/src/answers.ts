// The bodies of the four read operations, computed from the plan's daily figures for the asked scenarios,
// range, interval, currency and split — typed by the spec's response schemas (openapi-typescript), so an answer
// that stopped matching the spec would not compile.
import { type Interval, periodOf, segments } from "./calendar.js";
import { ApiRefusal, messages } from "./errors.js";
import type { components } from "./generated/openapi.js";
import type { DataRequest } from "./requests.js";
import { currencyRates, type Dimension, PlanData, sum } from "./series.js";
import type { PlanDef, ScenarioDef } from "./world.js";

type Schemas = components["schemas"];
/** `GET /insights/v1/plans`. */
export type PlansBody = Schemas["PlansResponse"];
/** `GET /insights/v1/pnl-summary`. */
export type PnlBody = Schemas["PnlSummaryResponse"];
/** `GET /insights/v1/demand-forecast`. */
export type DemandBody = Schemas["DemandForecastResponse"];
/** `GET /insights/v1/sustainability`. */
export type Co2Body = Schemas["SustainabilityResponse"];
type PnlFigures = Schemas["PnlFigures"];
type DemandPoint = Schemas["DemandPoint"];
type Co2Figures = Schemas["Co2Figures"];
type Header = Schemas["ScenarioHeader"];

/** What an answer is about, once the plan, the scenarios and the range are known. */
interface Resolved {
  plan: PlanDef;
  data: PlanData;
  scenarios: ScenarioDef[];
  currency: string;
  /** Day offsets into the horizon, both included; empty when `from > to`. */
  from: number;
  to: number;
}

/** The sandbox's plans with their data, and the answers read from them. */
export class Answers {
  private readonly data: Map<string, PlanData>;

  constructor(readonly plans: readonly PlanDef[]) {
    this.data = new Map(plans.map((p) => [p.id, new PlanData(p)]));
  }

  /** The plan data of `id` (built lazily). */
  planData(id: string): PlanData | undefined {
    return this.data.get(id);
  }

  listPlans(): PlansBody {
    return {
      plans: this.plans.map((p) => ({
        id: p.id,
        name: p.name,
        currency: p.currency,
        scenarios: p.scenarios.map((s) => ({ id: s.id, name: s.name, flags: [...s.flags] })),
      })),
    };
  }

  /** The plan, scenarios and range of a request, or the spec's 400, 404 or 422. */
  resolve(request: DataRequest): Resolved {
    if (request.currency !== undefined && !(request.currency in currencyRates))
      throw new ApiRefusal(400, messages.oneOf("currency", Object.keys(currencyRates)));
    const plan = this.plans.find((p) => p.id === request.planId);
    if (!plan) throw new ApiRefusal(404, messages.planNotFound(request.planId));
    const scenarios = request.scenarioIds
      ? request.scenarioIds.map((id) => {
          const found = plan.scenarios.find((s) => s.id === id);
          if (!found) throw new ApiRefusal(404, messages.scenarioNotFound(id));
          return found;
        })
      : plan.scenarios;
    const { dateFrom, dateTo } = request;
    if (dateFrom !== undefined && dateTo !== undefined && dateFrom > dateTo)
      throw new ApiRefusal(422, messages.dateRange());
    // asked for by id, a scenario never simulated has nothing to show; listed by default it shows without figures
    const idle = request.scenarioIds && scenarios.find((s) => !s.computed);
    if (idle) throw new ApiRefusal(422, messages.noComputedOutput(idle.id));
    return {
      plan,
      data: this.data.get(plan.id) as PlanData,
      scenarios,
      currency: request.operation === "getSustainability" ? plan.currency : (request.currency ?? plan.currency),
      from: Math.max(dateFrom ?? plan.start, plan.start) - plan.start,
      to: Math.min(dateTo ?? plan.end, plan.end) - plan.start,
    };
  }

  pnl(request: DataRequest): PnlBody {
    const r = this.resolve(request);
    const keys = this.keys(r, request.interval);
    return {
      meta: meta(r, request.interval),
      scenarios: r.scenarios.map((s) => {
        const head = header(s);
        if (!s.computed || r.from > r.to) return request.interval === "M" ? { ...head, series: [] } : head;
        const daily = r.data.daily(s, r.currency);
        if (request.interval !== "M") return { ...head, pnl: figures(daily, r.from, r.to) };
        return {
          ...head,
          series: segments(keys, r.from, r.to).map((g) => ({ period: g.period, ...figures(daily, g.from, g.to) })),
        };
      }),
    };
  }

  demand(request: DataRequest): DemandBody {
    const r = this.resolve(request);
    const keys = this.keys(r, request.interval);
    const periods = r.from > r.to ? [] : segments(keys, r.from, r.to);
    const forecast = r.plan.scenarios.find((s) => s.kind === "forecast");
    const dimension = request.groupBy as Dimension | undefined;
    return {
      meta: meta(r, request.interval),
      scenarios: r.scenarios.map((s) => {
        if (!s.computed) return { ...header(s), series: [] };
        // forecast accuracy is the actual scenario's: how far the forecast base was from what happened
        const against = s.kind === "actual" && forecast ? forecast : undefined;
        const daily = r.data.daily(s, r.currency);
        const groups = dimension
          ? r.data.split(s, dimension, r.currency)
          : { keys: [undefined], volume: [daily.volume], served: [daily.served], value: [daily.value] };
        const compare = against
          ? dimension
            ? r.data.split(against, dimension).volume
            : [r.data.daily(against).volume]
          : undefined;
        const series: DemandPoint[] = [];
        for (const g of periods)
          groups.keys.forEach((groupKey, i) => {
            if (groupKey === "storage") return;
            const volume = sum(groups.volume[i]!, g.from, g.to);
            const served = sum(groups.served[i]!, g.from, g.to);
            series.push({
              period: g.period,
              ...(groupKey !== undefined && { groupKey }),
              demandVolume: volume,
              demandValue: sum(groups.value[i]!, g.from, g.to),
              fillRate: volume > 0 ? round4(served / volume) : 1,
              forecastAccuracy: compare ? accuracy(groups.volume[i]!, compare[i]!, g.from, g.to) : null,
            });
          });
        return { ...header(s), series };
      }),
    };
  }

  co2(request: DataRequest): Co2Body {
    const r = this.resolve(request);
    const dimension = (request.groupBy ?? "dc") as Dimension;
    const empty = r.from > r.to;
    return {
      meta: meta(r, request.interval),
      // a scenario never simulated has no CO2 to state (the summary's totalCO2 is required): it is left out
      scenarios: r.scenarios
        .filter((s) => s.computed)
        .map((s) => {
          const daily = r.data.daily(s);
          const groups = r.data.split(s, dimension);
          return {
            ...header(s),
            summary: co2(daily.co2Inbound, daily.co2Storage, daily.co2Outbound, r.from, r.to, true),
            breakdown: empty
              ? []
              : groups.keys.map((groupKey, i) => ({
                  groupKey,
                  ...co2(
                    groups.co2Inbound[i]!,
                    groups.co2Storage[i]!,
                    groups.co2Outbound[i]!,
                    r.from,
                    r.to,
                    dimension !== "transport_mode",
                    groupKey === "storage",
                  ),
                })),
          };
        }),
    };
  }

  private keys(r: Resolved, interval: Interval): string[] {
    return r.data.keys(interval, (day) => periodOf(day, interval, r.plan.fiscalStartMonth));
  }
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

function header(s: ScenarioDef): Header {
  return { scenarioId: s.id, scenarioName: s.name, scenarioColor: s.color };
}

function meta(r: Resolved, interval: Interval): PnlBody["meta"] {
  // the time of the last simulation, unless a scenario of the answer was never simulated
  const complete = r.scenarios.every((s) => s.computed);
  return {
    planId: r.plan.id,
    currency: r.currency,
    interval,
    ...(complete && { generatedAt: r.plan.generatedAt }),
  };
}

/** The P&L cascade of days `from`…`to`: every subtotal a difference of whole amounts, each percent of net sales. */
function figures(d: ReturnType<PlanData["daily"]>, from: number, to: number): PnlFigures {
  const grossFIESales = sum(d.gross, from, to);
  const tradeExpenses = sum(d.trade, from, to);
  const netFIESales = grossFIESales - tradeExpenses;
  const cogs = sum(d.cogs, from, to);
  const grossProfit = netFIESales - cogs;
  const storageAndHandling = sum(d.storage, from, to);
  const transport = sum(d.transport, from, to);
  const supplyChainCost = storageAndHandling + transport;
  const ebit = grossProfit - supplyChainCost - sum(d.other, from, to);
  const dpm = ebit - sum(d.overhead, from, to);
  const percent = (x: number) => (netFIESales === 0 ? 0 : x / netFIESales);
  return {
    grossFIESales,
    tradeExpenses,
    netFIESales,
    cogs,
    cogsPercent: percent(cogs),
    grossProfit,
    supplyChainCost,
    storageAndHandling,
    transport,
    ebit,
    ebitPercent: percent(ebit),
    dpm,
    dpmPercent: percent(dpm),
  };
}

/** 1 − Σ|actual − forecast| / Σ actual over the days (a volume-weighted MAPE), between 0 and 1. */
function accuracy(actual: Int32Array, forecast: Int32Array, from: number, to: number): number | null {
  let error = 0;
  let total = 0;
  for (let d = from; d <= to; d++) {
    error += Math.abs((actual[d] as number) - (forecast[d] as number));
    total += actual[d] as number;
  }
  return total > 0 ? round4(Math.max(0, 1 - error / total)) : null;
}

/** CO2 of days `from`…`to` in tCO2e (quarter-tonnes / 4: sums of such numbers are exact). */
function co2(
  inbound: Int32Array,
  storage: Int32Array,
  outbound: Int32Array,
  from: number,
  to: number,
  withStorage: boolean,
  storageOnly = false,
): Co2Figures {
  const i = storageOnly ? 0 : sum(inbound, from, to);
  const s = withStorage || storageOnly ? sum(storage, from, to) : 0;
  const o = storageOnly ? 0 : sum(outbound, from, to);
  return {
    ...(!storageOnly && { inboundCO2: i / 4 }),
    ...((withStorage || storageOnly) && { storageCO2: s / 4 }),
    ...(!storageOnly && { outboundCO2: o / 4 }),
    totalCO2: (i + s + o) / 4,
  };
}
