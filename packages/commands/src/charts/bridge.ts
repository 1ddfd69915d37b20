// The EBIT bridge (a waterfall) from a base scenario to another, built on compareScenarios' deltas.
// Each step is the effect of one P&L line on EBIT, following the spec's cascade:
//   net FIE sales − COGS = gross profit; − supply-chain cost (storage & handling + transport) − other costs = EBIT.
// "Other costs" are not a field of the API: they are what the cascade leaves between gross profit,
// supply-chain cost and EBIT (grossProfit − supplyChainCost − ebit).
import type { ComparisonRow, PnlKpi } from "@simcel/insights";

/** What a bridge step stands for. */
export type BridgeStepKey = "netSales" | "cogs" | "storageAndHandling" | "transport" | "otherCosts" | "unreconciled";

/** One bar of the waterfall between the two EBIT totals. */
export interface BridgeStep {
  key: BridgeStepKey;
  label: string;
  /** The step's effect on EBIT, in the summary's currency: positive raises EBIT. */
  amount: number;
  /** Running EBIT before and after this step. */
  from: number;
  to: number;
  /** `supplyChainCost` for the storage & handling and transport steps. */
  group?: "supplyChainCost";
}

/** The waterfall from the base scenario's EBIT to one other scenario's EBIT. */
export interface EbitBridge {
  scenarioId: string;
  scenarioName: string;
  baseEbit: number;
  ebit: number;
  steps: BridgeStep[];
}

/** The P&L fields a bridge reads. */
const NEEDED: readonly PnlKpi[] = [
  "netFIESales",
  "cogs",
  "grossProfit",
  "supplyChainCost",
  "storageAndHandling",
  "transport",
  "ebit",
];

/**
 * How far the steps may miss EBIT before an explicit "not reconciled" step shows the gap: floating
 * point noise of the sums only (≈ 1e-15 of the largest amount), so even a one-unit rounding gap in
 * the API's figures is shown rather than hidden.
 */
const tolerance = (...amounts: number[]) => 1e-12 * Math.max(1, ...amounts.map(Math.abs));

/**
 * The EBIT bridge of one `compareScenarios` row (a fiscal-year comparison). The steps always add up
 * from the base EBIT to the scenario's EBIT: when the API's figures break the cascade (gross profit ≠
 * net sales − COGS, or supply-chain cost ≠ storage & handling + transport), the gap is shown as a
 * "not reconciled" step instead of being hidden in another one. Throws when a needed KPI is missing.
 */
export function ebitBridge(row: ComparisonRow): EbitBridge {
  const k = Object.fromEntries(row.kpis.map((x) => [x.kpi, x])) as Partial<
    Record<PnlKpi, { base: number; value: number; delta: number }>
  >;
  const missing = NEEDED.filter((name) => k[name] === undefined);
  if (missing.length > 0)
    throw new Error(`the P&L of ${row.scenarioName} or of the base lacks ${missing.join(", ")}: no EBIT bridge`);
  const get = (name: PnlKpi) => k[name] as { base: number; value: number; delta: number };
  const other = (side: "base" | "value") => get("grossProfit")[side] - get("supplyChainCost")[side] - get("ebit")[side];
  const baseEbit = get("ebit").base;
  const ebit = get("ebit").value;
  const effects: Array<Omit<BridgeStep, "from" | "to">> = [
    { key: "netSales", label: "Net sales", amount: get("netFIESales").delta },
    { key: "cogs", label: "COGS", amount: -get("cogs").delta },
    {
      key: "storageAndHandling",
      label: "Storage & handling",
      amount: -get("storageAndHandling").delta,
      group: "supplyChainCost",
    },
    { key: "transport", label: "Transport", amount: -get("transport").delta, group: "supplyChainCost" },
    { key: "otherCosts", label: "Other costs", amount: -(other("value") - other("base")) },
  ];
  const explained = effects.reduce((sum, s) => sum + s.amount, 0);
  const gap = ebit - baseEbit - explained;
  if (Math.abs(gap) > tolerance(baseEbit, ebit, ...effects.map((s) => s.amount)))
    effects.push({ key: "unreconciled", label: "Not reconciled", amount: gap });
  let level = baseEbit;
  const steps = effects.map((s) => {
    // `-0` (a cost that did not move) would print as "-0".
    const amount = s.amount === 0 ? 0 : s.amount;
    const step = { ...s, amount, from: level, to: level + amount };
    level = step.to;
    return step;
  });
  return { scenarioId: row.scenarioId, scenarioName: row.scenarioName, baseEbit, ebit, steps };
}
