// The sandbox's plans: four plans of a consumer-goods business in three currencies, each with a 24-month horizon
// that starts on its own fiscal-year start, a small product range, regions, channels, distribution centres and
// transport modes, and the scenarios a SIMCEL user meets (actual, committed, forecast base, primary, what-ifs).
// Structure is fixed; ids, prices, volumes and every figure come from the seed. Dates come from the sandbox's
// clock, so the plans look current: each horizon is the one that holds today (the latest fiscal-year start at
// least three months back), and the last simulation ran one to three days ago.
import { addMonths, dayOf } from "./calendar.js";
import { derive, type Random, seeded, token } from "./random.js";

/** A scenario flag of the API (none = a user's what-if scenario). */
export type ScenarioFlag = "actual" | "committed" | "forecast base" | "primary";

/** How a scenario's figures are made from the plan's demand. */
export type ScenarioKind = "committed" | "actual" | "forecast" | "latest" | "whatIf";

/** What a what-if scenario changes, as factors on the committed plan (1 = unchanged). */
export interface Levers {
  price: number;
  volume: number;
  /** Added to the trade-expense rate (0.02 = two points more promotion). */
  trade: number;
  cogs: number;
  storage: number;
  transport: number;
  co2Inbound: number;
  co2Storage: number;
  co2Outbound: number;
  /** Extra volume in these months (1–12), e.g. a summer promotion. */
  months?: { months: readonly number[]; volume: number };
}

export interface ScenarioDef {
  id: string;
  name: string;
  flags: ScenarioFlag[];
  color: string;
  kind: ScenarioKind;
  levers: Levers;
  /** False: never simulated, so it has no computed output (asked for by id: 422; listed: no figures). */
  computed: boolean;
}

export interface Sku {
  code: string;
  product: string;
  /** Units per day at the trend's start, before season and weekday. */
  level: number;
  /** List price per unit, in the plan's currency. */
  price: number;
  /** Cost of goods per unit, in the plan's currency. */
  unitCost: number;
  season: { amplitude: number; peakDay: number };
  /** Yearly growth of the trend (0.04 = 4 % a year). */
  growth: number;
}

/** A dimension's members and their shares (weights that drift with the season, so groups differ month to month). */
export interface Split {
  keys: string[];
  weights: number[];
  amplitudes: number[];
  phases: number[];
  /** How well each group is served (around 1): fill rates differ by region and channel. */
  service: number[];
}

export interface PlanDef {
  id: string;
  name: string;
  currency: string;
  /** The month (1–12) on whose first day the plan's fiscal years start. */
  fiscalStartMonth: number;
  /** First and last day of the horizon (24 months from a fiscal-year start). */
  start: number;
  end: number;
  /** Time of the last simulation (`meta.generatedAt`). */
  generatedAt: string;
  skus: Sku[];
  region: Split;
  channel: Split;
  dc: Split;
  mode: Split;
  costs: {
    tradeRate: number;
    storagePerUnit: number;
    storagePerDay: number;
    transportPerUnit: number;
    otherRate: number;
    otherPerDay: number;
    overheadRate: number;
    overheadPerDay: number;
    /** kg CO2e per unit served. */
    co2Inbound: number;
    co2Storage: number;
    co2Outbound: number;
  };
  scenarios: ScenarioDef[];
  /** Seed of the plan's own figures. */
  seed: number;
}

/** The fixed part of each plan: what it is about. The seed decides ids and figures. */
const CATALOGUE = [
  {
    name: "Operating Plan {year}–{next}",
    currency: "USD",
    fiscalStartMonth: 1,
    scale: 1,
    products: [
      ["Sparkling Water", ["SPW-330", "SPW-1000"]],
      ["Cold Brew Coffee", ["CBC-250", "CBC-1000"]],
      ["Energy Drink", ["END-250", "END-500"]],
    ],
    regions: ["Northeast", "South", "Midwest", "West"],
    channels: ["Grocery", "Convenience", "E-commerce", "Club"],
    dcs: ["DC Atlanta", "DC Chicago", "DC Reno"],
    modes: ["road", "rail", "sea"],
    whatIf: "Summer promotion",
    whatIfLevers: { trade: 0.03, months: { months: [6, 7, 8], volume: 1.12 } },
  },
  {
    name: "EU Network Redesign",
    currency: "EUR",
    fiscalStartMonth: 4,
    scale: 1.4,
    products: [
      ["Laundry Detergent", ["LDT-1L", "LDT-3L"]],
      ["Dish Soap", ["DSH-500", "DSH-1L"]],
      ["Surface Cleaner", ["SFC-750", "SFC-REF"]],
    ],
    regions: ["DACH", "Benelux", "France", "Iberia"],
    channels: ["Hypermarkets", "Discounters", "E-commerce"],
    dcs: ["DC Rotterdam", "DC Lyon", "DC Duisburg"],
    modes: ["road", "rail", "barge"],
    whatIf: "Two DCs instead of three",
    whatIfLevers: { storage: 0.86, transport: 1.07, co2Storage: 0.82, co2Outbound: 1.06 },
  },
  {
    name: "UK Retail S&OP",
    currency: "GBP",
    fiscalStartMonth: 10,
    scale: 0.8,
    products: [
      ["Sea Salt Crisps", ["SSC-40", "SSC-150"]],
      ["Oat Bars", ["OTB-4PK", "OTB-12PK"]],
      ["Dark Chocolate", ["DKC-100", "DKC-200"]],
    ],
    regions: ["London & South East", "Midlands", "North", "Scotland"],
    channels: ["Supermarkets", "Convenience", "Online"],
    dcs: ["DC Daventry", "DC Bristol", "DC Glasgow"],
    modes: ["road", "rail"],
    whatIf: "Rail-first transport",
    whatIfLevers: { transport: 0.95, co2Inbound: 0.8, co2Outbound: 0.72 },
  },
  {
    name: "US Sourcing Scenarios",
    currency: "USD",
    fiscalStartMonth: 7,
    scale: 1.2,
    products: [
      ["Shampoo", ["SHP-250", "SHP-500"]],
      ["Body Wash", ["BDW-400", "BDW-750"]],
      ["Toothpaste", ["TTP-75", "TTP-2PK"]],
    ],
    regions: ["East", "Central", "West"],
    channels: ["Mass", "Drugstore", "E-commerce"],
    dcs: ["DC Memphis", "DC Dallas", "DC Ontario"],
    modes: ["road", "rail", "sea"],
    whatIf: "Nearshoring to Mexico",
    whatIfLevers: { cogs: 1.06, transport: 0.84, co2Inbound: 0.62 },
    draft: "Draft: new DC in Monterrey",
  },
] as const;

/** Scenario colours: the category10 palette, one per scenario of a plan. */
const COLORS = ["#1F77B4", "#FF7F0E", "#2CA02C", "#9467BD", "#8C564B", "#E377C2", "#7F7F7F"];

const SAME: Levers = {
  price: 1,
  volume: 1,
  trade: 0,
  cogs: 1,
  storage: 1,
  transport: 1,
  co2Inbound: 1,
  co2Storage: 1,
  co2Outbound: 1,
};

const round = (value: number, step: number) => Math.round(value / step) * step;

function split(random: Random, keys: readonly string[]): Split {
  return {
    keys: [...keys],
    weights: keys.map(() => 0.6 + random()),
    amplitudes: keys.map(() => 0.05 + random() * 0.2),
    phases: keys.map(() => random() * 2 * Math.PI),
    service: keys.map(() => 0.97 + random() * 0.06),
  };
}

/** How far into its horizon today is, at least: the plan has months of actuals behind it. */
const MONTHS_INTO_HORIZON = 3;
const MS_PER_DAY = 86_400_000;

/**
 * The first month of a plan whose fiscal years start in `fiscalStartMonth`, as seen on `today` (epoch ms): the
 * latest fiscal-year start at least {@link MONTHS_INTO_HORIZON} months back, so today falls 3 to 15 months into
 * the 24-month horizon. The same for every day of a calendar month.
 */
export function horizonStart(today: number, fiscalStartMonth: number): [year: number, month: number] {
  const date = new Date(today);
  const back = date.getUTCFullYear() * 12 + date.getUTCMonth() - MONTHS_INTO_HORIZON;
  const [year, month] = [Math.floor(back / 12), (back % 12) + 1];
  return [month >= fiscalStartMonth ? year : year - 1, fiscalStartMonth];
}

/**
 * The plans of the sandbox for `seed` as they stand on `today` (epoch ms, the sandbox's clock at start): their
 * structure, ids and parameters (the daily figures come later, lazily). The same for every moment of a UTC day.
 */
export function createWorld(seed: number, today: number): PlanDef[] {
  const ids = seeded(derive(seed, "ids"));
  const midnight = Math.floor(today / MS_PER_DAY) * MS_PER_DAY;
  return CATALOGUE.map((entry, slot) => {
    const random = seeded(derive(seed, `plan ${slot}`));
    const [year, month] = horizonStart(today, entry.fiscalStartMonth);
    const start = dayOf(year, month, 1);
    const end = addMonths(year, month, 24) - 1;
    const skus: Sku[] = entry.products.flatMap(([product, codes]) =>
      codes.map((code, i) => {
        const price = round((1.2 + random() * 5.3) * (i === 1 ? 1.8 : 1), 0.05);
        return {
          code,
          product,
          level: Math.round((700 + random() * 1800) * entry.scale * (i === 1 ? 0.6 : 1)),
          price,
          unitCost: round(price * (0.44 + random() * 0.1), 0.01),
          season: { amplitude: 0.05 + random() * 0.25, peakDay: Math.floor(random() * 365) },
          growth: 0.01 + random() * 0.06,
        };
      }),
    );
    const whatIf: Levers = { ...SAME, ...entry.whatIfLevers };
    const scenarios: Omit<ScenarioDef, "id" | "color">[] = [
      { name: "Committed plan", flags: ["committed"], kind: "committed", levers: SAME, computed: true },
      {
        name: "Price increase +3%",
        flags: [],
        kind: "whatIf",
        levers: { ...SAME, price: 1.03, volume: 0.985 },
        computed: true,
      },
      { name: "Actuals", flags: ["actual"], kind: "actual", levers: SAME, computed: true },
      { name: "Forecast base", flags: ["forecast base"], kind: "forecast", levers: SAME, computed: true },
      { name: "Latest estimate", flags: ["primary"], kind: "latest", levers: SAME, computed: true },
      { name: entry.whatIf, flags: [], kind: "whatIf", levers: whatIf, computed: true },
      ...("draft" in entry
        ? [{ name: entry.draft, flags: [], kind: "whatIf" as const, levers: SAME, computed: false }]
        : []),
    ];
    // the last simulation: one to three days before today, at a working hour
    const simulated =
      midnight - (1 + Math.floor(random() * 3)) * MS_PER_DAY + (6 + Math.floor(random() * 10)) * 3_600_000;
    return {
      id: `plan_${token(ids, 5)}`,
      name: entry.name.replace("{year}", String(year)).replace("{next}", String(year + 1)),
      currency: entry.currency,
      fiscalStartMonth: month,
      start,
      end,
      generatedAt: new Date(simulated + Math.floor(random() * 60) * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
      skus,
      region: split(random, entry.regions),
      channel: split(random, entry.channels),
      dc: split(random, entry.dcs),
      mode: split(random, entry.modes),
      costs: {
        tradeRate: 0.1 + random() * 0.03,
        storagePerUnit: round(0.06 + random() * 0.05, 0.001),
        storagePerDay: Math.round(400 + random() * 500) * entry.scale,
        transportPerUnit: round(0.12 + random() * 0.08, 0.001),
        otherRate: 0.035 + random() * 0.02,
        otherPerDay: Math.round(200 + random() * 300) * entry.scale,
        overheadRate: 0.05 + random() * 0.03,
        overheadPerDay: Math.round(600 + random() * 600) * entry.scale,
        co2Inbound: 0.25 + random() * 0.2,
        co2Storage: 0.06 + random() * 0.06,
        co2Outbound: 0.45 + random() * 0.3,
      },
      scenarios: scenarios.map((s, i) => ({ ...s, id: `scen_${token(ids, 5)}`, color: COLORS[i] as string })),
      seed: derive(seed, `figures ${slot}`),
    };
  });
}
