// What the MCP App shows for a tool's result: the charts `simcel report` draws (EBIT bridge, monthly lines, CO2
// bars), from the same chart code, drawn into the page's own document. Which charts follows from the result's
// shape, so the page needs nothing but the result. All markup is built as strings with API text through esc();
// the charts' SVG is serialised by the DOM, which escapes its text.
import {
  BRIDGE_PALETTE,
  bridgeChart,
  type ChartScenario,
  co2BreakdownChart,
  co2Rows,
  co2SummaryChart,
  compact,
  demandRows,
  EFFECT_COLORS,
  ebitBridge,
  esc,
  lineChart,
  type SeriesPoint,
  scenarioColors,
  symbolSwatch,
} from "@simcel/commands/charts";
import type { DemandForecast, PnlSummary, ScenarioComparison, Sustainability } from "@simcel/insights";
import { compareScenarios } from "@simcel/insights";

/** The parts of a tools/call result the page reads. */
export interface ToolResultLike {
  isError?: boolean | undefined;
  content?: ReadonlyArray<{ type: string; text?: string }> | undefined;
  structuredContent?: Record<string, unknown> | undefined;
}

/** The page's content for one result, and how many charts it holds. */
export interface Rendered {
  html: string;
  charts: number;
}

type Meta = { planId?: string; currency?: string; generatedAt?: string };

/**
 * The scenarios of a result with the colours the report gives them (the API's when valid, else from `palette`,
 * Okabe–Ito by default).
 */
function scenariosOf(
  list: ReadonlyArray<{ scenarioId: string; scenarioName: string; scenarioColor?: string | undefined }>,
  palette?: readonly string[],
) {
  const colors = scenarioColors(
    list.map((s) => ({ id: s.scenarioId, color: s.scenarioColor })),
    palette,
  );
  return list.map((s): ChartScenario => ({ id: s.scenarioId, name: s.scenarioName, color: colors.get(s.scenarioId)! }));
}

const swatch = (color: string) => `<span class="swatch" style="background:${esc(color)}"></span>`;

const figure = (kind: string, title: string, caption: string, svg: string) =>
  `<figure class="chart" data-figure="${esc(kind)}"><figcaption><strong>${esc(title)}</strong> ${caption}</figcaption>${svg}</figure>`;

function lineLegend(doc: Document, scenarios: ChartScenario[]) {
  return `<p class="legend">${scenarios.map((s, i) => `<span>${symbolSwatch(doc, i, s.color)}${esc(s.name)}</span>`).join("")}</p>`;
}

/** One EBIT bridge per compared scenario, from the base. */
function bridges(doc: Document, comparison: ScenarioComparison, colorsFrom: ChartScenario[]): Rendered {
  const known = new Map(colorsFrom.map((s) => [s.id, s]));
  // a comparison carries no API colours: pick none that an effect bar (raises / lowers EBIT) uses
  const all = scenariosOf(
    [
      { scenarioId: comparison.baseScenarioId, scenarioName: comparison.baseScenarioName },
      ...comparison.rows.map((r) => ({ scenarioId: r.scenarioId, scenarioName: r.scenarioName })),
    ],
    BRIDGE_PALETTE,
  );
  const pick = (id: string) => known.get(id) ?? all.find((s) => s.id === id)!;
  const base = pick(comparison.baseScenarioId);
  if (comparison.rows.length === 0)
    return {
      html: `<p class="note">Only the base scenario, ${esc(base.name)}, has figures: a bridge needs a second scenario.</p>`,
      charts: 0,
    };
  let charts = 0;
  const parts = comparison.rows.map((row) => {
    let bridge: ReturnType<typeof ebitBridge>;
    try {
      bridge = ebitBridge(row);
    } catch (error) {
      return `<p class="note">${esc((error as Error).message)}.</p>`;
    }
    // more scenarios than colours: a target never takes its own chart's base colour
    const target = pick(row.scenarioId);
    const shown =
      target.color !== base.color ? target : { ...target, color: BRIDGE_PALETTE.find((c) => c !== base.color)! };
    const chart = bridgeChart(doc, bridge, base, shown, comparison.currency);
    charts++;
    const legend = `<p class="legend"><span>${swatch(EFFECT_COLORS.up)}raises EBIT</span><span>${swatch(EFFECT_COLORS.down)}lowers EBIT</span>${chart.zoomedFrom !== null ? `<span>the axis starts at ${esc(compact(chart.zoomedFrom))}, not zero</span>` : ""}</p>`;
    return figure(
      "bridge",
      chart.title,
      `EBIT ${esc(compact(bridge.baseEbit))} → ${esc(compact(bridge.ebit))} ${esc(comparison.currency)}.`,
      chart.svg + legend,
    );
  });
  return { html: parts.join(""), charts };
}

function pnl(doc: Document, body: PnlSummary): Rendered {
  const scenarios = scenariosOf(body.scenarios);
  const monthly = body.scenarios.some((s) => s.series?.length);
  if (!monthly) return bridges(doc, compareScenarios(body), scenarios);
  const points = (field: "ebit" | "netFIESales") =>
    body.scenarios.flatMap((s) =>
      (s.series ?? []).map((p): SeriesPoint => ({ scenarioId: s.scenarioId, period: p.period, value: p[field] })),
    );
  const present = scenarios.filter((s) => body.scenarios.find((b) => b.scenarioId === s.id)?.series?.length);
  const currency = body.meta.currency;
  const ebit = lineChart(doc, {
    kind: "pnl-ebit",
    title: "EBIT per period",
    desc: `EBIT in ${currency} per period, one line per scenario.`,
    points: points("ebit"),
    scenarios: present,
    yLabel: `EBIT (${currency})`,
  });
  const sales = lineChart(doc, {
    kind: "pnl-net-sales",
    title: "Net sales per period",
    desc: `Net sales in ${currency} per period, one line per scenario.`,
    points: points("netFIESales"),
    scenarios: present,
    yLabel: `Net sales (${currency})`,
    height: 220,
  });
  return {
    html:
      lineLegend(doc, present) +
      figure("pnl-ebit", ebit.title, "One line per scenario.", ebit.svg) +
      figure("pnl-net-sales", sales.title, "One line per scenario.", sales.svg),
    charts: 2,
  };
}

function demand(doc: Document, body: DemandForecast): Rendered {
  const rows = demandRows(body);
  if (rows.length === 0) return { html: `<p class="note">No demand for these scenarios and dates.</p>`, charts: 0 };
  const present = scenariosOf(body.scenarios).filter((s) => rows.some((r) => r.scenarioId === s.id));
  const volume = rows.map((r): SeriesPoint => ({ scenarioId: r.scenarioId, period: r.period, value: r.volume }));
  const fill = rows.map((r): SeriesPoint => ({ scenarioId: r.scenarioId, period: r.period, value: r.fillRate }));
  const volumeChart = lineChart(doc, {
    kind: "demand-volume",
    title: "Demand volume per period",
    desc: "Demand volume in units per period, one line per scenario.",
    points: volume,
    scenarios: present,
    yLabel: "Demand volume (units)",
  });
  const fillChart = lineChart(doc, {
    kind: "fill-rate",
    title: "Fill rate per period",
    desc: "Fill rate in percent per period, one line per scenario.",
    points: fill,
    scenarios: present,
    yLabel: "Fill rate (%)",
    percent: true,
    height: 190,
  });
  return {
    html:
      lineLegend(doc, present) +
      figure("demand-volume", volumeChart.title, "Units, one line per scenario.", volumeChart.svg) +
      figure("fill-rate", fillChart.title, "Share of demand served.", fillChart.svg),
    charts: 2,
  };
}

function co2(doc: Document, body: Sustainability): Rendered {
  if (body.scenarios.length === 0)
    return { html: `<p class="note">No CO2 figures for these scenarios.</p>`, charts: 0 };
  const scenarios = scenariosOf(body.scenarios);
  const { summary: rows, groups } = co2Rows(body);
  const summary = co2SummaryChart(doc, rows);
  const legend = `<p class="legend"><span>${swatch("#56B4E9")}inbound</span><span>${swatch("#E69F00")}storage</span><span>${swatch("#CC79A7")}outbound</span></p>`;
  let html = figure(
    "co2-summary",
    summary.title,
    "tCO2e, split into inbound, storage and outbound.",
    legend + summary.svg,
  );
  if (groups.length === 0) return { html, charts: 1 };
  const present = scenarios.filter((s) => groups.some((g) => g.scenarioId === s.id));
  const breakdown = co2BreakdownChart(doc, groups, present, "group");
  html += figure(
    "co2-breakdown",
    breakdown.title,
    "Total tCO2e per group, one bar per scenario.",
    `<p class="legend">${present.map((s) => `<span>${swatch(s.color)}${esc(s.name)}</span>`).join("")}</p>${breakdown.svg}`,
  );
  return { html, charts: 2 };
}

/** What kind of result this is, from its shape (the host need not say which tool answered). */
export function kindOf(value: Record<string, unknown>): "compare" | "pnl" | "demand" | "co2" | undefined {
  if (Array.isArray(value.rows) && typeof value.baseScenarioId === "string") return "compare";
  const scenarios = value.scenarios;
  if (!Array.isArray(scenarios) || typeof value.meta !== "object") return undefined;
  const first = scenarios[0] as Record<string, unknown> | undefined;
  if (!first) return undefined;
  if ("summary" in first && "breakdown" in first) return "co2";
  const point = Array.isArray(first.series) ? (first.series[0] as Record<string, unknown> | undefined) : undefined;
  if (point && "demandVolume" in point) return "demand";
  if ("pnl" in first || (point && "ebit" in point)) return "pnl";
  return undefined;
}

const TITLES = {
  compare: "EBIT bridge against the base scenario",
  pnl: "P&L",
  demand: "Demand forecast",
  co2: "CO2 emissions",
};

/** The page's content for a tool result: its charts under a header, or a note saying why there are none. */
export function renderResult(doc: Document, result: ToolResultLike): Rendered {
  const text = result.content?.find((c) => c.type === "text")?.text ?? "";
  if (result.isError) return { html: `<p class="note error">${esc(text || "The tool call failed.")}</p>`, charts: 0 };
  const value = result.structuredContent;
  const kind = value && kindOf(value);
  if (!value || !kind) return { html: `<p class="note">Nothing to draw for this result.</p>`, charts: 0 };
  const meta = (value.meta ?? {}) as Meta;
  const header = `<header><p class="eyebrow">SIMCEL</p><h1>${esc(TITLES[kind])}</h1><p class="muted">Plan <code>${esc(meta.planId ?? "?")}</code>${meta.currency ? ` · ${esc(meta.currency)}` : ""} · ${meta.generatedAt ? `simulated ${esc(meta.generatedAt)}` : "no simulation time given: the figures may be missing"}</p></header>`;
  const body =
    kind === "compare"
      ? bridges(doc, value as unknown as ScenarioComparison, [])
      : kind === "pnl"
        ? pnl(doc, value as unknown as PnlSummary)
        : kind === "demand"
          ? demand(doc, value as unknown as DemandForecast)
          : co2(doc, value as unknown as Sustainability);
  return { html: header + body.html, charts: body.charts };
}
