// The daily figures of a plan's scenarios, built once (lazily, per scenario) from the plan's parameters, and
// everything derived from them: another currency at fixed rates, and the split of each day by a dimension.
// Amounts are whole currency units, volumes whole units and CO2 whole quarter-tonnes (0.25 tCO2e), all held
// as integers: every sum of days, periods or groups is then exact, and so is every total an answer shows.
import { partsOf } from "./calendar.js";
import { normal, seeded } from "./random.js";
import type { Levers, PlanDef, ScenarioDef, Split } from "./world.js";

/**
 * Fixed exchange rates: the US-dollar value of one unit of each currency the sandbox converts to. An amount
 * in currency A is shown in B as `amount × rate[A] / rate[B]`, rounded to a whole unit day by day.
 */
export const currencyRates: Readonly<Record<string, number>> = Object.freeze({
  USD: 1,
  EUR: 1.08,
  GBP: 1.27,
  CHF: 1.13,
  CAD: 0.73,
  AUD: 0.66,
  JPY: 0.0067,
  CNY: 0.138,
  INR: 0.012,
  MXN: 0.058,
  BRL: 0.18,
  SEK: 0.095,
});

/** One scenario's figures, day by day over the plan's horizon. */
export interface Daily {
  /** Per SKU: units demanded, units served, value of the demand (currency). */
  skuVolume: Int32Array[];
  skuServed: Int32Array[];
  skuValue: Int32Array[];
  volume: Int32Array;
  served: Int32Array;
  value: Int32Array;
  /** The P&L's inputs (currency); the subtotals are differences of these. */
  gross: Int32Array;
  trade: Int32Array;
  cogs: Int32Array;
  storage: Int32Array;
  transport: Int32Array;
  other: Int32Array;
  overhead: Int32Array;
  /** CO2 in quarter-tonnes. */
  co2Inbound: Int32Array;
  co2Storage: Int32Array;
  co2Outbound: Int32Array;
}

/** A dimension's groups, day by day: demand (units and value) and CO2 (quarter-tonnes). */
export interface Groups {
  keys: string[];
  volume: Int32Array[];
  served: Int32Array[];
  value: Int32Array[];
  co2Inbound: Int32Array[];
  co2Storage: Int32Array[];
  co2Outbound: Int32Array[];
}

/** The dimensions an answer can be split by. */
export type Dimension = "product" | "sku" | "region" | "channel" | "dc" | "transport_mode";

/** Monday … Sunday: shipments peak at the end of the working week and drop at the weekend. */
const WEEKDAY = [1.08, 1.04, 1.02, 1.04, 1.12, 0.92, 0.78];
const QUARTER_TONNE_KG = 250;

/**
 * Whole parts of `total` in proportion to `weights` that add up to `total` exactly (largest remainder), each at
 * most its `cap` when caps are given (the caps must add up to at least `total`).
 */
export function apportion(total: number, weights: readonly number[], caps?: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (sum > 0 ? (total * w) / sum : 0));
  const parts = exact.map((x, i) => Math.min(Math.floor(x), caps?.[i] ?? Number.POSITIVE_INFINITY));
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  while (left > 0) {
    let given = false;
    for (const [, i] of order) {
      if (left === 0) break;
      if (caps && (parts[i] as number) >= (caps[i] as number)) continue;
      parts[i] = (parts[i] as number) + 1;
      left--;
      given = true;
    }
    if (!given) break;
  }
  return parts;
}

/** The plan's data: built lazily, kept for the sandbox's life. */
export class PlanData {
  readonly days: number;
  private readonly noise: Float64Array[];
  private readonly dailies = new Map<string, Daily>();
  private readonly groups = new Map<string, Groups>();
  private readonly keyCache = new Map<string, string[]>();

  constructor(readonly plan: PlanDef) {
    this.days = plan.end - plan.start + 1;
    // one draw of the true demand's day-to-day noise per SKU, shared by the scenarios that see it
    const random = seeded(plan.seed);
    this.noise = plan.skus.map(() => Float64Array.from({ length: this.days * 3 }, () => normal(random)));
  }

  /** The period key of every day of the horizon for `interval`, computed once. */
  keys(interval: string, periodOf: (day: number) => string): string[] {
    let keys = this.keyCache.get(interval);
    if (!keys) {
      keys = Array.from({ length: this.days }, (_, d) => periodOf(this.plan.start + d));
      this.keyCache.set(interval, keys);
    }
    return keys;
  }

  /** The scenario's daily figures in `currency` (the plan's own by default). */
  daily(scenario: ScenarioDef, currency = this.plan.currency): Daily {
    const key = `${scenario.id} ${currency}`;
    let daily = this.dailies.get(key);
    if (!daily) {
      daily =
        currency === this.plan.currency
          ? this.build(scenario)
          : convert(
              this.daily(scenario),
              (currencyRates[this.plan.currency] as number) / (currencyRates[currency] as number),
            );
      this.dailies.set(key, daily);
    }
    return daily;
  }

  /** The scenario's figures split by `dimension`, day by day, in `currency`. */
  split(scenario: ScenarioDef, dimension: Dimension, currency = this.plan.currency): Groups {
    const key = `${scenario.id} ${currency} ${dimension}`;
    let groups = this.groups.get(key);
    if (!groups) {
      groups = this.buildGroups(this.daily(scenario, currency), dimension);
      this.groups.set(key, groups);
    }
    return groups;
  }

  private base(sku: number, day: number): number {
    const s = this.plan.skus[sku]!;
    const { weekday } = partsOf(this.plan.start + day);
    const season =
      1 + s.season.amplitude * Math.cos((2 * Math.PI * (day + this.plan.start - s.season.peakDay)) / 365.25);
    return s.level * season * (WEEKDAY[weekday - 1] as number) * (1 + (s.growth * day) / 365);
  }

  private build(scenario: ScenarioDef): Daily {
    const { plan, days } = this;
    const n = plan.skus.length;
    const ints = () => new Int32Array(days);
    const out: Daily = {
      skuVolume: plan.skus.map(ints),
      skuServed: plan.skus.map(ints),
      skuValue: plan.skus.map(ints),
      volume: ints(),
      served: ints(),
      value: ints(),
      gross: ints(),
      trade: ints(),
      cogs: ints(),
      storage: ints(),
      transport: ints(),
      other: ints(),
      overhead: ints(),
      co2Inbound: ints(),
      co2Storage: ints(),
      co2Outbound: ints(),
    };
    const levers: Levers = scenario.levers;
    const c = plan.costs;
    // "today" for the latest estimate: actuals before it, the forecast after
    const cut = Math.floor(days * 0.4);
    for (let d = 0; d < days; d++) {
      const { month } = partsOf(plan.start + d);
      const boost = levers.months?.months.includes(month) ? levers.months.volume : 1;
      const actual = scenario.kind === "actual" || (scenario.kind === "latest" && d < cut);
      let gross = 0;
      let cogs = 0;
      let served = 0;
      for (let k = 0; k < n; k++) {
        const sku = plan.skus[k]!;
        const noise = this.noise[k]!;
        const base = this.base(k, d);
        // the true demand wanders around the plan; the forecast is a little low and a little noisy
        const factor = actual
          ? 1 + 0.08 * (noise[d] as number) + 0.04 * Math.sin((2 * Math.PI * d) / 97 + k)
          : scenario.kind === "forecast" || scenario.kind === "latest"
            ? (0.985 + 0.015 * (noise[days + d] as number)) * (scenario.kind === "latest" ? 1.01 : 1)
            : 1;
        const volume = Math.max(0, Math.round(base * factor * levers.volume * boost));
        const fill = actual
          ? Math.min(1, Math.max(0.85, 0.955 + 0.02 * (noise[2 * days + d] as number)))
          : 0.975 - 0.005 * Math.abs(noise[2 * days + d] as number);
        const units = Math.min(volume, Math.round(volume * fill));
        const price = sku.price * levers.price;
        out.skuVolume[k]![d] = volume;
        out.skuServed[k]![d] = units;
        out.skuValue[k]![d] = Math.round(volume * price);
        gross += Math.round(units * price);
        cogs += Math.round(units * sku.unitCost * levers.cogs);
        served += units;
        out.volume[d] = (out.volume[d] as number) + volume;
        out.value[d] = (out.value[d] as number) + (out.skuValue[k]![d] as number);
      }
      const trade = Math.round(gross * (c.tradeRate + levers.trade));
      const net = gross - trade;
      out.served[d] = served;
      out.gross[d] = gross;
      out.trade[d] = trade;
      out.cogs[d] = cogs;
      out.storage[d] = Math.round((served * c.storagePerUnit + c.storagePerDay) * levers.storage);
      out.transport[d] = Math.round(served * c.transportPerUnit * levers.transport);
      out.other[d] = Math.round(net * c.otherRate + c.otherPerDay);
      out.overhead[d] = Math.round(net * c.overheadRate + c.overheadPerDay);
      out.co2Inbound[d] = Math.round((served * c.co2Inbound * levers.co2Inbound) / QUARTER_TONNE_KG);
      out.co2Storage[d] = Math.round((served * c.co2Storage * levers.co2Storage) / QUARTER_TONNE_KG);
      out.co2Outbound[d] = Math.round((served * c.co2Outbound * levers.co2Outbound) / QUARTER_TONNE_KG);
    }
    return out;
  }

  private buildGroups(daily: Daily, dimension: Dimension): Groups {
    const { plan, days } = this;
    if (dimension === "sku" || dimension === "product") {
      const keys = dimension === "sku" ? plan.skus.map((s) => s.code) : [...new Set(plan.skus.map((s) => s.product))];
      const of = (arrays: Int32Array[]) =>
        keys.map((key) => {
          const sum = new Int32Array(days);
          plan.skus.forEach((s, k) => {
            if ((dimension === "sku" ? s.code : s.product) !== key) return;
            const a = arrays[k]!;
            for (let d = 0; d < days; d++) sum[d] = (sum[d] as number) + (a[d] as number);
          });
          return sum;
        });
      // CO2 is not split by product: SIMCEL's CO2 dimensions are dc, region and transport mode
      return {
        keys,
        volume: of(daily.skuVolume),
        served: of(daily.skuServed),
        value: of(daily.skuValue),
        co2Inbound: [],
        co2Storage: [],
        co2Outbound: [],
      };
    }
    const split: Split =
      dimension === "region"
        ? plan.region
        : dimension === "channel"
          ? plan.channel
          : dimension === "dc"
            ? plan.dc
            : plan.mode;
    const g = split.keys.length;
    const make = () => split.keys.map(() => new Int32Array(days));
    const out: Groups = {
      keys: [...split.keys],
      volume: make(),
      served: make(),
      value: make(),
      co2Inbound: make(),
      co2Storage: make(),
      co2Outbound: make(),
    };
    const byMode = dimension === "transport_mode";
    if (byMode) {
      // storage emits without transport: its own row, so the rows still add up to the total
      out.keys.push("storage");
      for (const list of [out.volume, out.served, out.value, out.co2Inbound, out.co2Storage, out.co2Outbound])
        list.push(new Int32Array(days));
    }
    for (let d = 0; d < days; d++) {
      const weights = split.weights.map(
        (w, i) =>
          w *
          (1 + (split.amplitudes[i] as number) * Math.sin((2 * Math.PI * d) / 365.25 + (split.phases[i] as number))),
      );
      const put = (into: Int32Array[], parts: number[]) => {
        for (let i = 0; i < parts.length; i++) into[i]![d] = parts[i] as number;
      };
      const volume = apportion(daily.volume[d] as number, weights);
      put(out.volume, volume);
      put(
        out.served,
        apportion(
          daily.served[d] as number,
          volume.map((v, i) => v * (split.service[i] ?? 1)),
          volume,
        ),
      );
      put(out.value, apportion(daily.value[d] as number, volume));
      put(out.co2Inbound, apportion(daily.co2Inbound[d] as number, weights));
      put(out.co2Outbound, apportion(daily.co2Outbound[d] as number, weights));
      if (byMode) out.co2Storage[g]![d] = daily.co2Storage[d] as number;
      else put(out.co2Storage, apportion(daily.co2Storage[d] as number, weights));
    }
    return out;
  }
}

/** The same figures in another currency: each amount of each day times `factor`, rounded; units stay. */
function convert(daily: Daily, factor: number): Daily {
  const scale = (a: Int32Array) => Int32Array.from(a, (x) => Math.round(x * factor));
  const skuValue = daily.skuValue.map(scale);
  const value = new Int32Array(daily.value.length);
  // the total is the sum of the converted parts, so a split by product still adds up
  for (const a of skuValue) for (let d = 0; d < a.length; d++) value[d] = (value[d] as number) + (a[d] as number);
  return {
    ...daily,
    skuValue,
    value,
    gross: scale(daily.gross),
    trade: scale(daily.trade),
    cogs: scale(daily.cogs),
    storage: scale(daily.storage),
    transport: scale(daily.transport),
    other: scale(daily.other),
    overhead: scale(daily.overhead),
  };
}

/** The sum of `a` over days `from`…`to` (both included). */
export function sum(a: Int32Array, from: number, to: number): number {
  let total = 0;
  for (let d = from; d <= to; d++) total += a[d] as number;
  return total;
}
