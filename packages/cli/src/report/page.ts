// The report as one HTML document: inline CSS, static SVG charts, tables, and no script. A strict
// Content-Security-Policy makes the page refuse every load from outside, wherever it is opened.

import {
  bridgeChart,
  type ChartScenario,
  co2BreakdownChart,
  co2Rows,
  co2SummaryChart,
  type DemandRow,
  demandRows,
  EFFECT_COLORS,
  ebitBridge,
  esc,
  lineChart,
  type SeriesPoint,
  scenarioColors,
  symbolSwatch,
} from "@simcel/commands/charts";
import {
  type ComparisonRow,
  compareScenarios,
  type DemandForecast,
  dataAge,
  type Plan,
  type PnlSummary,
  type ScenarioComparison,
  type Sustainability,
} from "@simcel/insights";
import { describeError } from "../describe-error.js";
import {
  formatAge,
  formatDelta,
  formatDeltaPercent,
  formatNumber,
  formatPercent,
  formatPoints,
  formatTimestamp,
} from "../format.js";
import { PNL_LINES } from "../views/pnl.js";
import { createChartDocument } from "./chart-document.js";
import type { ReportData, SectionResult } from "./gather.js";
import { REPORT_CSS } from "./style.js";

/** What the page needs besides the data. */
export interface PageContext {
  /** The clock: the data's age and the build time. */
  nowMs: number;
  /** The CLI's version, in the footer. */
  version: string;
  /** The API the data came from, in the footer and in error lines. */
  baseUrl: string;
}

/** A section that could not be built, with the one line that says why. */
export interface SectionFailure {
  section: string;
  line: string;
}

/** The built page and what is in it. */
export interface BuiltPage {
  html: string;
  charts: number;
  failures: SectionFailure[];
}

const FLAG_ORDER = ["committed", "primary", "actual", "forecast base"];

/** The report's scenarios in plan order (then any the plan does not list), with names and colours. */
function scenarioList(data: ReportData): ChartScenario[] {
  const fromApi = new Map<string, { name: string; color?: string | undefined }>();
  for (const section of [data.pnl, data.demand, data.co2])
    if (section.status === "ok")
      for (const s of section.data.scenarios)
        if (!fromApi.has(s.scenarioId)) fromApi.set(s.scenarioId, { name: s.scenarioName, color: s.scenarioColor });
  const planIds = data.plan.scenarios.map((s) => s.id);
  const ids = [
    ...planIds.filter((id) => fromApi.has(id)),
    ...[...fromApi.keys()].filter((id) => !planIds.includes(id)),
  ];
  // Colours are given over the plan's scenarios too, so a scenario keeps its colour across reports.
  const colors = scenarioColors([
    ...ids.map((id) => ({ id, color: fromApi.get(id)?.color })),
    ...planIds.filter((id) => !fromApi.has(id)).map((id) => ({ id })),
  ]);
  return ids.map((id) => ({ id, name: fromApi.get(id)?.name ?? id, color: colors.get(id)! }));
}

const swatch = (color: string) => `<span class="swatch" style="background:${esc(color)}"></span>`;

/** The section's failure, or the one-line "not available" note. */
function sectionProblem(
  result: SectionResult<unknown>,
  section: string,
  ctx: PageContext,
  failures: SectionFailure[],
): string | undefined {
  if (result.status === "skipped") return `<p class="note">Nothing to show: ${esc(result.reason)}.</p>`;
  if (result.status === "unavailable")
    return `<p class="note" data-status="unavailable">CO2 is not available yet: SIMCEL documents the sustainability endpoint as coming soon (the API answered ${esc(result.error.status)}).</p>`;
  if (result.status === "failed") {
    const line = describeError(result.error, "report", ctx.baseUrl).line.replace(/^simcel report: /, "");
    failures.push({ section, line });
    return `<div class="failure" role="alert" data-status="failed"><strong>This section could not be built.</strong> ${esc(line)}</div>`;
  }
  return undefined;
}

/** "generated 2025-06-30 08:15 UTC (1 day ago)", or why there is no time. */
function freshness(response: { meta: { generatedAt?: string } }, nowMs: number): string {
  const age = dataAge(response as Parameters<typeof dataAge>[0], nowMs);
  if (age.generatedAt === null) return age.reason === "no computed output" ? "not computed yet" : "unreadable time";
  const iso = age.generatedAt.toISOString();
  return `${formatTimestamp(iso)} (${formatAge(iso, nowMs)})`;
}

function header(data: ReportData, scenarios: ChartScenario[], ctx: PageContext): string {
  const { plan, request } = data;
  const color = new Map(scenarios.map((s) => [s.id, s.color]));
  const fresh = (["pnl", "demand", "co2"] as const)
    .map((k) => [k, data[k]] as const)
    .filter(([, r]) => r.status === "ok")
    .map(([k, r]) => [k, freshness((r as { data: { meta: { generatedAt?: string } } }).data, ctx.nowMs)] as const);
  const distinct = [...new Set(fresh.map(([, f]) => f))];
  const names = { pnl: "P&L", demand: "demand", co2: "CO2" };
  const freshText =
    distinct.length === 0
      ? "unknown (no data)"
      : distinct.length === 1
        ? esc(distinct[0])
        : fresh.map(([k, f]) => `${names[k]}: ${esc(f)}`).join("<br>");
  const period =
    request.dateFrom || request.dateTo
      ? `${esc(request.dateFrom ?? "plan start")} → ${esc(request.dateTo ?? "plan end")}`
      : "whole plan horizon";
  const currency =
    (data.pnl.status === "ok" && data.pnl.data.meta.currency) ||
    (data.demand.status === "ok" && data.demand.data.meta.currency) ||
    request.currency ||
    plan.currency;
  const inReport = new Set(scenarios.map((s) => s.id));
  const chips = plan.scenarios
    .map((s) => {
      const flags = [...s.flags].sort((a, b) => FLAG_ORDER.indexOf(a) - FLAG_ORDER.indexOf(b));
      const tags = [
        ...(s.id === data.baseScenarioId ? [`<span class="tag base">base</span>`] : []),
        ...(flags.length
          ? flags.map((f) => `<span class="tag">${esc(f)}</span>`)
          : [`<span class="tag">what-if</span>`]),
      ].join("");
      const state = inReport.has(s.id) ? "" : ` out`;
      return `<li class="chip${state}" data-scenario="${esc(s.id)}">${inReport.has(s.id) ? swatch(color.get(s.id)!) : swatch("#d4d7de")}<span class="chip-name">${esc(s.name)}</span> <code>${esc(s.id)}</code> ${tags}${inReport.has(s.id) ? "" : `<span class="muted"> · not in this report</span>`}</li>`;
    })
    .join("");
  return `<header class="top">
<p class="eyebrow">SIMCEL scenario report</p>
<h1>${esc(plan.name)}</h1>
<dl class="meta">
<div><dt>Plan</dt><dd><code>${esc(plan.id)}</code></dd></div>
<div><dt>Currency</dt><dd>${esc(currency)}</dd></div>
<div><dt>Interval</dt><dd>${period}<br><span class="muted">P&amp;L and CO2 per fiscal year, demand per month</span></dd></div>
<div><dt>Data generated</dt><dd>${freshText}</dd></div>
<div><dt>Report built</dt><dd>${esc(formatTimestamp(new Date(ctx.nowMs).toISOString()))}</dd></div>
</dl>
<ul class="chips" aria-label="Scenarios of the plan">${chips}</ul>
</header>`;
}

const ebitOf = (row: ComparisonRow) => row.kpis.find((k) => k.kpi === "ebit");

/** One card per scenario: EBIT, EBIT % and the change against the base. */
function keyFigures(summary: PnlSummary, comparison: ScenarioComparison, scenarios: ChartScenario[]): string {
  const color = new Map(scenarios.map((s) => [s.id, s.color]));
  const base = summary.scenarios.find((s) => s.scenarioId === comparison.baseScenarioId);
  const cards = summary.scenarios
    .filter((s) => s.pnl)
    .map((s) => {
      const row = comparison.rows.find((r) => r.scenarioId === s.scenarioId);
      const e = row ? ebitOf(row) : undefined;
      const change =
        s === base
          ? `<span class="muted">base scenario</span>`
          : e
            ? `<span class="${e.delta >= 0 ? "up" : "down"}">${esc(formatDelta(e.delta))} (${esc(formatDeltaPercent(e.deltaRatio))})</span> vs ${esc(comparison.baseScenarioName)}`
            : "";
      return `<div class="card" style="border-top-color:${esc(color.get(s.scenarioId) ?? "#999")}" data-scenario="${esc(s.scenarioId)}">
<div class="card-name">${esc(s.scenarioName)}</div>
<div class="card-label">EBIT (${esc(summary.meta.currency)})</div>
<div class="card-value" data-kpi="ebit">${esc(formatNumber(s.pnl?.ebit))}</div>
<div class="card-sub">EBIT margin ${esc(formatPercent(s.pnl?.ebitPercent))} · ${change}</div>
</div>`;
    })
    .join("");
  return cards ? `<div class="cards" aria-label="Key figures">${cards}</div>` : "";
}

function bridgeSection(
  summary: PnlSummary,
  comparison: ScenarioComparison,
  scenarios: ChartScenario[],
  doc: Document,
  count: { charts: number },
): string {
  const byId = new Map(scenarios.map((s) => [s.id, s]));
  const base = byId.get(comparison.baseScenarioId) ?? {
    id: comparison.baseScenarioId,
    name: comparison.baseScenarioName,
    color: "#555",
  };
  const noOutput = summary.scenarios.filter((s) => !s.pnl && !s.series);
  const notes = noOutput.map(
    (s) => `<p class="note">${esc(s.scenarioName)} (<code>${esc(s.scenarioId)}</code>) has no computed output.</p>`,
  );
  if (comparison.rows.length === 0)
    return `${notes.join("")}<p class="note">Only the base scenario, ${esc(base.name)}, has figures in this report: a bridge needs a second scenario (add one with --scenarios).</p>`;
  const figures = comparison.rows.map((row) => {
    const target = byId.get(row.scenarioId) ?? { id: row.scenarioId, name: row.scenarioName, color: "#555" };
    let bridge: ReturnType<typeof ebitBridge>;
    try {
      bridge = ebitBridge(row);
    } catch (error) {
      return `<p class="note">${esc((error as Error).message)}.</p>`;
    }
    const chart = bridgeChart(doc, bridge, base, target, comparison.currency);
    count.charts++;
    const delta = bridge.ebit - bridge.baseEbit;
    const ratio = ebitOf(row)?.deltaRatio ?? null;
    const biggest = [...bridge.steps]
      .filter((s) => s.amount !== 0)
      .sort((a, b) => Math.abs(b.amount) - Math.abs(a.amount))
      .slice(0, 2)
      .map((s) => `${esc(s.label)} ${esc(formatDelta(s.amount))}`);
    const gap = bridge.steps.find((s) => s.key === "unreconciled");
    return `<figure class="chart" data-figure="bridge" data-scenario="${esc(row.scenarioId)}">
<figcaption><span class="fig-title">${esc(chart.title)}</span>
EBIT <span data-ebit="base">${esc(formatNumber(bridge.baseEbit))}</span> → <span data-ebit="scenario">${esc(formatNumber(bridge.ebit))}</span> ${esc(comparison.currency)}
(<strong>${esc(formatDelta(delta))}</strong>, ${esc(formatDeltaPercent(ratio))})${biggest.length ? `; largest effects: ${biggest.join(", ")}` : ""}.</figcaption>
${chart.svg}
<p class="legend"><span>${swatch(EFFECT_COLORS.up)}raises EBIT</span><span>${swatch(EFFECT_COLORS.down)}lowers EBIT</span>${gap ? `<span>${swatch(EFFECT_COLORS.gap)}not reconciled: the API's figures do not add up along the cascade</span>` : ""}${chart.zoomedFrom !== null ? `<span class="muted">The axis starts at ${esc(formatNumber(chart.zoomedFrom))}, not zero, so the steps can be seen.</span>` : ""}</p>
</figure>`;
  });
  return `${notes.join("")}<p class="lede">How EBIT moves from the base scenario, <strong>${esc(base.name)}</strong>, to each other scenario: each step is one line of the P&amp;L cascade (net sales, COGS, supply-chain cost as storage &amp; handling and transport, other costs). Costs that grow lower EBIT.</p>${figures.join("")}`;
}

function pnlTable(summary: PnlSummary, comparison: ScenarioComparison, scenarios: ChartScenario[]): string {
  const color = new Map(scenarios.map((s) => [s.id, s.color]));
  const base = summary.scenarios.find((s) => s.scenarioId === comparison.baseScenarioId);
  if (!base?.pnl) return `<p class="note">The base scenario has no figures: nothing to compare.</p>`;
  const rows = comparison.rows;
  const head = `<tr><th scope="col">${esc(summary.meta.currency)}</th><th scope="col" class="num">${swatch(color.get(base.scenarioId) ?? "#999")}${esc(base.scenarioName)}<br><span class="muted">base</span></th>${rows
    .map(
      (r) =>
        `<th scope="colgroup" colspan="3" class="num group">${swatch(color.get(r.scenarioId) ?? "#999")}${esc(r.scenarioName)}</th>`,
    )
    .join("")}</tr>${
    rows.length
      ? `<tr class="sub"><th></th><th class="num">value</th>${rows.map(() => `<th class="num">value</th><th class="num">Δ</th><th class="num">Δ %</th>`).join("")}</tr>`
      : ""
  }`;
  const body = PNL_LINES.map(([label, field, ratio]) => {
    const baseValue = base.pnl?.[field];
    const cells = rows.map((r) => {
      const k = r.kpis.find((x) => x.kpi === field);
      const attrs = (col: string) => `data-kpi="${esc(field)}" data-scenario="${esc(r.scenarioId)}" data-col="${col}"`;
      if (!k) return `<td class="num" ${attrs("value")}>—</td><td class="num">—</td><td class="num">—</td>`;
      if (k.percent)
        return `<td class="num" ${attrs("value")}>${esc(formatPercent(k.value))}</td><td class="num delta" ${attrs("delta")}>${esc(formatPoints(k.delta))}</td><td class="num muted" ${attrs("ratio")}>—</td>`;
      return `<td class="num" ${attrs("value")}>${esc(formatNumber(k.value))}</td><td class="num delta" ${attrs("delta")}>${esc(formatDelta(k.delta))}</td><td class="num delta" ${attrs("ratio")}>${esc(formatDeltaPercent(k.deltaRatio))}</td>`;
    });
    const cls = [label.startsWith(" ") ? "indent" : "", field === "ebit" ? "strong" : "", ratio ? "ratio" : ""]
      .filter(Boolean)
      .join(" ");
    return `<tr${cls ? ` class="${cls}"` : ""}><th scope="row">${esc(label.trim())}</th><td class="num" data-kpi="${esc(field)}" data-scenario="${esc(base.scenarioId)}" data-col="value">${esc((ratio ? formatPercent : formatNumber)(baseValue))}</td>${cells.join("")}</tr>`;
  }).join("\n");
  return `<div class="table-wrap"><table class="pnl" data-table="pnl"><thead>${head}</thead><tbody>${body}</tbody></table></div>
<p class="foot">Δ = scenario − base. Percentage KPIs (… %) compare in percentage points (pp), so they have no Δ %. A Δ % is “—” when the base is zero.</p>`;
}

function demandSection(
  body: DemandForecast,
  plan: Plan,
  scenarios: ChartScenario[],
  doc: Document,
  count: { charts: number },
): string {
  const rows = demandRows(body);
  if (rows.length === 0) return `<p class="note">The API returned no demand for these scenarios and dates.</p>`;
  const present = scenarios.filter((s) => rows.some((r) => r.scenarioId === s.id));
  const actualIds = new Set(plan.scenarios.filter((s) => s.flags.includes("actual")).map((s) => s.id));
  const point = (pick: (r: DemandRow) => number | null) => (r: DemandRow) => {
    const value = pick(r);
    return value === null ? [] : [{ scenarioId: r.scenarioId, period: r.period, value }];
  };
  const volume: SeriesPoint[] = rows.flatMap(point((r) => r.volume));
  const fill: SeriesPoint[] = rows.flatMap(point((r) => r.fillRate));
  const accuracy: SeriesPoint[] = rows.filter((r) => actualIds.has(r.scenarioId)).flatMap(point((r) => r.accuracy));
  const names = present.map((s) => s.name).join(", ");
  const periods = [...new Set(rows.map((r) => r.period))].sort();
  const span = `${periods[0]} to ${periods[periods.length - 1]}`;
  const describe = (points: SeriesPoint[], format: (v: number) => string) =>
    present
      .filter((s) => points.some((p) => p.scenarioId === s.id))
      .map(
        (s) =>
          `${s.name}: ${points
            .filter((p) => p.scenarioId === s.id)
            .map((p) => `${p.period} ${format(p.value)}`)
            .join(", ")}.`,
      )
      .join(" ");
  const volumeChart = lineChart(doc, {
    kind: "demand-volume",
    title: "Demand volume per month",
    desc: `Lines of monthly demand volume in units, ${span}, for ${names}. ${describe(volume, formatNumber)}`,
    points: volume,
    scenarios: present,
    yLabel: "Demand volume (units)",
  });
  const fillChart = lineChart(doc, {
    kind: "fill-rate",
    title: "Fill rate per month",
    desc: `Lines of monthly fill rate in percent, ${span}, for ${names}. ${describe(fill, formatPercent)}`,
    points: fill,
    scenarios: present,
    yLabel: "Fill rate (%)",
    percent: true,
    height: 190,
  });
  count.charts += 2;
  const actualPresent = present.filter((s) => actualIds.has(s.id));
  let accuracyBlock: string;
  if (accuracy.length > 0) {
    const chart = lineChart(doc, {
      kind: "forecast-accuracy",
      title: "Forecast accuracy of the actual scenario",
      desc: `Forecast accuracy (1 − MAPE) in percent per month of ${actualPresent.map((s) => s.name).join(", ")}. ${describe(accuracy, formatPercent)}`,
      points: accuracy,
      scenarios: present,
      yLabel: "Forecast accuracy, 1 − MAPE (%)",
      percent: true,
      height: 170,
    });
    count.charts++;
    accuracyBlock = `<figure class="chart" data-figure="forecast-accuracy"><figcaption><span class="fig-title">${esc(chart.title)}</span> Forecast accuracy (1 − MAPE) means something only where actuals exist: it is shown for ${esc(actualPresent.map((s) => s.name).join(", "))} only.</figcaption>${chart.svg}</figure>`;
  } else
    accuracyBlock = `<p class="note">Forecast accuracy is meaningful on the actual scenario only, and ${actualPresent.length ? "the API gave none for it" : "no scenario of this report is flagged actual"}.</p>`;
  const legend = `<p class="legend lead" aria-hidden="true">${present
    .map((s, i) => `<span>${symbolSwatch(doc, i, s.color)}${esc(s.name)}</span>`)
    .join("")}</p>`;
  const byKey = new Map(rows.map((r) => [`${r.scenarioId}\u0000${r.period}`, r]));
  const showAccuracy = accuracy.length > 0;
  const table = `<div class="table-wrap"><table class="demand" data-table="demand"><caption>Monthly demand: volume (units) and fill rate${showAccuracy ? "; forecast accuracy of the actual scenario" : ""}</caption>
<thead><tr><th scope="col">Month</th>${present.map((s) => `<th scope="colgroup" colspan="2" class="num group">${swatch(s.color)}${esc(s.name)}</th>`).join("")}${showAccuracy ? actualPresent.map((s) => `<th scope="col" class="num">${esc(s.name)}<br>accuracy</th>`).join("") : ""}</tr>
<tr class="sub"><th></th>${present.map(() => `<th class="num">volume</th><th class="num">fill rate</th>`).join("")}${showAccuracy ? actualPresent.map(() => "<th></th>").join("") : ""}</tr></thead>
<tbody>${periods
    .map(
      (p) =>
        `<tr><th scope="row">${esc(p)}</th>${present
          .map((s) => {
            const r = byKey.get(`${s.id}\u0000${p}`);
            return `<td class="num">${esc(formatNumber(r?.volume))}</td><td class="num">${esc(formatPercent(r?.fillRate))}</td>`;
          })
          .join(
            "",
          )}${showAccuracy ? actualPresent.map((s) => `<td class="num">${esc(formatPercent(byKey.get(`${s.id}\u0000${p}`)?.accuracy))}</td>`).join("") : ""}</tr>`,
    )
    .join("")}</tbody></table></div>`;
  return `${legend}
<figure class="chart" data-figure="demand-volume"><figcaption><span class="fig-title">${esc(volumeChart.title)}</span> Units per month, one line per scenario.</figcaption>${volumeChart.svg}</figure>
<figure class="chart" data-figure="fill-rate"><figcaption><span class="fig-title">${esc(fillChart.title)}</span> Share of demand served, per month.</figcaption>${fillChart.svg}</figure>
${accuracyBlock}
${table}`;
}

/** Groups drawn in the CO2 breakdown chart (with 3 scenarios, about half a printed page). */
const MAX_CHART_GROUPS = 12;

function co2Section(
  body: Sustainability,
  scenarios: ChartScenario[],
  groupBy: string,
  doc: Document,
  count: { charts: number },
): string {
  if (body.scenarios.length === 0) return `<p class="note">The API returned no CO2 figures for these scenarios.</p>`;
  const byId = new Map(scenarios.map((s) => [s.id, s]));
  const { summary, groups } = co2Rows(body);
  const groupLabel =
    { dc: "distribution centre", region: "region", transport_mode: "transport mode" }[groupBy] ?? groupBy;
  const summaryChart = co2SummaryChart(doc, summary);
  count.charts++;
  const present = scenarios.filter((s) => groups.some((g) => g.scenarioId === s.id));
  let breakdown = `<p class="note">The API gave no breakdown by ${esc(groupLabel)}.</p>`;
  if (groups.length > 0) {
    const keys = [...new Set(groups.map((g) => g.groupKey))];
    // A chart taller than a printed page would be cut: it shows the largest groups, the table all of them.
    const largest = new Map<string, number>();
    for (const g of groups) largest.set(g.groupKey, Math.max(largest.get(g.groupKey) ?? 0, g.total));
    // Largest first, as bar charts read best.
    const ranked = [...keys].sort((a, b) => largest.get(b)! - largest.get(a)!).slice(0, MAX_CHART_GROUPS);
    const shown = new Set(ranked);
    const drawn = groups
      .filter((g) => shown.has(g.groupKey))
      .sort((a, b) => ranked.indexOf(a.groupKey) - ranked.indexOf(b.groupKey));
    const chart = co2BreakdownChart(doc, drawn, present, groupLabel);
    count.charts++;
    const total = new Map(groups.map((g) => [`${g.groupKey}\u0000${g.scenarioId}`, g.total]));
    const some =
      shown.size < keys.length
        ? ` The chart shows the ${shown.size} largest of ${keys.length}; the table below lists them all.`
        : "";
    breakdown = `<figure class="chart" data-figure="co2-breakdown"><figcaption><span class="fig-title">${esc(chart.title)}</span> Total tCO2e per ${esc(groupLabel)}, one bar per scenario.${some}</figcaption>
<p class="legend lead" aria-hidden="true">${present.map((s) => `<span>${swatch(s.color)}${esc(s.name)}</span>`).join("")}</p>${chart.svg}</figure>
<div class="table-wrap"><table data-table="co2-breakdown"><caption>CO2 by ${esc(groupLabel)} (tCO2e)</caption><thead><tr><th scope="col">${esc(groupLabel[0]!.toUpperCase() + groupLabel.slice(1))}</th>${present.map((s) => `<th scope="col" class="num">${swatch(s.color)}${esc(s.name)}</th>`).join("")}</tr></thead>
<tbody>${keys.map((k) => `<tr><th scope="row">${esc(k)}</th>${present.map((s) => `<td class="num">${esc(formatNumber(total.get(`${k}\u0000${s.id}`)))}</td>`).join("")}</tr>`).join("")}</tbody></table></div>`;
  }
  const summaryTable = `<div class="table-wrap"><table data-table="co2"><caption>CO2 per scenario (tCO2e)</caption><thead><tr><th scope="col">Scenario</th><th scope="col" class="num">Inbound</th><th scope="col" class="num">Storage</th><th scope="col" class="num">Outbound</th><th scope="col" class="num">Total</th></tr></thead>
<tbody>${summary.map((r) => `<tr><th scope="row">${swatch(byId.get(r.id)?.color ?? "#999")}${esc(r.name)}</th><td class="num">${esc(formatNumber(r.inbound))}</td><td class="num">${esc(formatNumber(r.storage))}</td><td class="num">${esc(formatNumber(r.outbound))}</td><td class="num strong">${esc(formatNumber(r.total))}</td></tr>`).join("")}</tbody></table></div>`;
  return `<p class="note">SIMCEL documents the sustainability endpoint as coming soon: its figures and shape may still change.</p>
<figure class="chart" data-figure="co2-summary"><figcaption><span class="fig-title">${esc(summaryChart.title)}</span> tCO2e per fiscal year, split into inbound, storage and outbound.</figcaption>
<p class="legend lead" aria-hidden="true"><span>${swatch("#56B4E9")}inbound</span><span>${swatch("#E69F00")}storage</span><span>${swatch("#CC79A7")}outbound</span></p>${summaryChart.svg}</figure>
${summaryTable}
${breakdown}`;
}

/** The P&L compared against the base, or the comparison's failure (a base the summary lacks). */
function compared(
  summary: PnlSummary,
  baseScenarioId: string | undefined,
): SectionResult<{ summary: PnlSummary; comparison: ScenarioComparison }> {
  try {
    const comparison = compareScenarios(summary, baseScenarioId ? { baseScenarioId } : {});
    return { status: "ok", data: { summary, comparison } };
  } catch (error) {
    return { status: "failed", error };
  }
}

function section(id: string, title: string, body: string, extra = ""): string {
  return `<section id="${id}" aria-labelledby="${id}-h"${extra}><h2 id="${id}-h">${esc(title)}</h2>\n${body}\n</section>`;
}

/** Builds the report page from the gathered data. */
export function buildPage(data: ReportData, ctx: PageContext): BuiltPage {
  const doc = createChartDocument();
  const count = { charts: 0 };
  const failures: SectionFailure[] = [];
  const scenarios = scenarioList(data);

  // The bridge, the key figures and the table all stand on the comparison: one outcome for the three.
  const pnl: SectionResult<{ summary: PnlSummary; comparison: ScenarioComparison }> =
    data.pnl.status === "ok" ? compared(data.pnl.data, data.baseScenarioId) : data.pnl;
  const pnlProblem = sectionProblem(pnl, "EBIT bridge and P&L", ctx, failures);
  const cards = pnl.status === "ok" ? keyFigures(pnl.data.summary, pnl.data.comparison, scenarios) : "";
  const bridge =
    pnl.status === "ok"
      ? bridgeSection(pnl.data.summary, pnl.data.comparison, scenarios, doc, count)
      : (pnlProblem as string);
  const table =
    pnl.status === "ok"
      ? pnlTable(pnl.data.summary, pnl.data.comparison, scenarios)
      : pnl.status === "failed"
        ? `<p class="note">The P&amp;L could not be read: see the EBIT bridge above.</p>`
        : (pnlProblem as string);
  const demand =
    sectionProblem(data.demand, "Monthly demand", ctx, failures) ??
    (data.demand.status === "ok" ? demandSection(data.demand.data, data.plan, scenarios, doc, count) : "");
  // The spec's default breakdown is by distribution centre.
  const groupBy = data.request.groupBy ?? "dc";
  const co2 =
    sectionProblem(data.co2, "CO2", ctx, failures) ??
    (data.co2.status === "ok" ? co2Section(data.co2.data, scenarios, groupBy, doc, count) : "");

  const title = `${data.plan.name} — SIMCEL scenario report`;
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="simcel report ${esc(ctx.version)}">
<title>${esc(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
${header(data, scenarios, ctx)}
${cards}
${section("bridge", "EBIT bridge", bridge)}
${section("pnl", "P&L comparison", table)}
${section("demand", "Monthly demand forecast", demand)}
${section("co2", "CO2 emissions", co2)}
<footer>Built by <code>simcel report</code> ${esc(ctx.version)} from ${esc(ctx.baseUrl)} on ${esc(formatTimestamp(new Date(ctx.nowMs).toISOString()))}. Aggregates only, as the SIMCEL API gives them; charts are drawn into this file, which loads nothing from the network.</footer>
</main>
</body>
</html>
`;
  return { html, charts: count.charts, failures };
}
