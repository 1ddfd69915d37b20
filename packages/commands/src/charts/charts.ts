// The charts of SIMCEL data, as SVG drawn by Observable Plot into the document it is given: the report
// (`simcel report`) draws them once into a linkedom document in Node and ships the SVG text only; the MCP
// App draws them into the browser's own document from a tool's result. One chart code for both. Every chart
// gets a <title> and <desc> for screen readers; the tables beside the charts hold the same figures.
// Names, periods, group keys and the currency come from the API: each is shown through safeText where it
// enters the SVG (tick labels, tooltips, axis labels, <title>, <desc>), and only there, as the page's
// own text is escaped by esc().

import * as Plot from "@observablehq/plot";
import { safeText } from "../safe-text.js";
import type { EbitBridge } from "./bridge.js";
import { CO2_COLORS, EFFECT_COLORS } from "./colors.js";
import { compact, signedCompact } from "./numbers.js";

/** A chart ready to be put in the page. */
export interface Chart {
  /** The <svg> element as text. */
  svg: string;
  /** Short title, also the SVG's <title>: raw text, for the page to escape. */
  title: string;
}

/** A scenario as the charts need it. */
export interface ChartScenario {
  id: string;
  name: string;
  color: string;
}

/** Shapes of the series' points, a second cue beside colour. */
const SYMBOLS = ["circle", "square", "triangle", "diamond", "star", "cross", "wye"] as const;

const WIDTH = 720;

/** Rounds the long decimals Plot writes into coordinates: the file gets smaller, the picture does not change. */
const trim = (svg: string) =>
  svg.replace(/(="[^"]*")/g, (attr) => attr.replace(/(\d+\.\d)\d+/g, (_, kept: string) => kept));

/** Charts drawn into each document so far: ids stay unique in a page and the same from run to run. */
const drawn = new WeakMap<Document, number>();

/** Serialises a Plot SVG with a <title> and <desc> in front, named by role="img". */
function finish(document: Document, svg: Element, kind: string, title: string, desc: string): Chart {
  const n = (drawn.get(document) ?? 0) + 1;
  drawn.set(document, n);
  const id = `chart-${n}`;
  const ns = "http://www.w3.org/2000/svg";
  const t = document.createElementNS(ns, "title");
  t.setAttribute("id", `${id}-title`);
  t.textContent = safeText(title);
  const d = document.createElementNS(ns, "desc");
  d.setAttribute("id", `${id}-desc`);
  d.textContent = safeText(desc);
  svg.insertBefore(d, svg.firstChild);
  svg.insertBefore(t, svg.firstChild);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-labelledby", `${id}-title ${id}-desc`);
  svg.setAttribute("data-chart", kind);
  svg.removeAttribute("aria-label");
  svg.removeAttribute("aria-description");
  return { svg: trim(svg.outerHTML), title };
}

/** A y domain that shows the bridge's steps: from zero when they are large, zoomed in when they are small. */
export function bridgeDomain(levels: number[]): { floor: number; top: number; zoomed: boolean } {
  const lo = Math.min(...levels);
  const hi = Math.max(...levels);
  const span = hi - lo || Math.abs(hi) * 0.1 || 1;
  const step = 10 ** Math.floor(Math.log10(span));
  // Zoom in only when the steps would be slivers against a zero-based axis.
  const zoomed = lo > 0 && span < lo / 3;
  const floor = zoomed ? Math.floor((lo - span * 0.6) / step) * step : Math.min(0, Math.floor(lo / step) * step);
  const top = Math.max(0, hi) + span * 0.18;
  return { floor, top, zoomed };
}

/** The EBIT bridge of one scenario against the base: the two totals and the steps between them. */
export function bridgeChart(
  document: Document,
  bridge: EbitBridge,
  base: ChartScenario,
  target: ChartScenario,
  currency: string,
): Chart & { zoomedFrom: number | null } {
  const levels = [bridge.baseEbit, bridge.ebit, ...bridge.steps.map((s) => s.to)];
  const { floor, top, zoomed } = bridgeDomain(levels);
  // Tick labels break on "\n": the scenario's name over "EBIT" keeps neighbouring labels apart (a newline
  // in the name itself is shown escaped). Cut by code points, so an emoji is never split in half.
  const label = (name: string) => {
    const chars = [...name];
    return safeText(chars.length > 20 ? `${chars.slice(0, 19).join("")}…` : name);
  };
  const startLabel = `${label(base.name)}\nEBIT`;
  const endLabel = `${label(target.name)}\nEBIT${label(target.name) === label(base.name) ? " " : ""}`;
  const bars = [
    { x: startLabel, y1: floor, y2: bridge.baseEbit, kind: "base", text: compact(bridge.baseEbit) },
    ...bridge.steps.map((s) => ({
      x: s.label,
      y1: s.from,
      y2: s.to,
      kind: s.key === "unreconciled" ? "gap" : s.amount >= 0 ? "up" : "down",
      text: signedCompact(s.amount),
    })),
    { x: endLabel, y1: floor, y2: bridge.ebit, kind: "target", text: compact(bridge.ebit) },
  ];
  const fill = {
    base: base.color,
    target: target.color,
    up: EFFECT_COLORS.up,
    down: EFFECT_COLORS.down,
    gap: EFFECT_COLORS.gap,
  };
  // Connectors: from each bar's end level to the next bar.
  const links = bars.slice(0, -1).map((b, i) => ({ x1: b.x, x2: bars[i + 1]!.x, y: b.kind === "base" ? b.y2 : b.y2 }));
  const scc = bridge.steps.filter((s) => s.group === "supplyChainCost");
  const margin = { left: 64, right: 20 };
  const padding = 0.28;
  // Band centres are one step apart (Plot's band scale, paddingInner = paddingOuter = padding).
  const bandStep = (WIDTH - margin.left - margin.right) / (bars.length + padding);
  const svg = Plot.plot({
    document,
    width: WIDTH,
    height: 310,
    marginLeft: margin.left,
    marginRight: margin.right,
    marginBottom: 58,
    x: { domain: bars.map((b) => b.x), label: null, padding, tickSize: 0 },
    y: {
      domain: [floor, top],
      label: `EBIT (${safeText(currency)})`,
      grid: true,
      tickFormat: compact,
      ticks: 6,
    },
    marks: [
      Plot.link(links, {
        x1: "x1",
        x2: "x2",
        y1: "y",
        y2: "y",
        stroke: "#555",
        strokeDasharray: "3,3",
        ariaHidden: "true",
      }),
      Plot.barY(bars, {
        x: "x",
        y1: "y1",
        y2: "y2",
        fill: (b: { kind: keyof typeof fill }) => fill[b.kind],
        title: (b: { x: string; text: string }) => `${b.x}: ${b.text}`,
      }),
      Plot.text(bars, {
        x: "x",
        y: (b: { y1: number; y2: number }) => Math.max(b.y1, b.y2),
        text: "text",
        dy: -7,
        fontWeight: 600,
      }),
      ...(scc.length
        ? [
            // A bracket under the storage & handling and transport steps, centred between them.
            Plot.text([scc[0]!.label], {
              x: (d: string) => d,
              frameAnchor: "bottom",
              dy: 46,
              dx: ((scc.length - 1) * bandStep) / 2,
              text: () => (scc.length > 1 ? "└──── supply-chain cost ────┘" : "supply-chain cost"),
              fill: "#555",
              ariaHidden: "true",
            }),
          ]
        : []),
    ],
    color: { type: "identity" },
  });
  const desc = [
    `Waterfall of EBIT in ${currency} from ${base.name} (${compact(bridge.baseEbit)}) to ${target.name} (${compact(bridge.ebit)}).`,
    ...bridge.steps.map((s) => `${s.label}: ${signedCompact(s.amount)}.`),
    zoomed ? `The axis starts at ${compact(floor)}, not at zero.` : "",
  ]
    .filter(Boolean)
    .join(" ");
  return {
    ...finish(document, svg, "bridge", `EBIT bridge: ${base.name} → ${target.name}`, desc),
    zoomedFrom: zoomed ? floor : null,
  };
}

/** A point of a per-scenario monthly series. */
export interface SeriesPoint {
  scenarioId: string;
  period: string;
  value: number;
}

/** Periods to label on the x axis: all of them up to 12, then every 2nd, 3rd… */
function periodTicks(periods: string[]): string[] {
  const every = Math.ceil(periods.length / 12);
  return periods.filter((_, i) => i % every === 0);
}

/** One line per scenario over the periods, with a distinct point shape per scenario. */
export function lineChart(
  document: Document,
  options: {
    kind: string;
    title: string;
    desc: string;
    points: SeriesPoint[];
    scenarios: ChartScenario[];
    yLabel: string;
    percent?: boolean;
    height?: number;
  },
): Chart {
  const { points, scenarios } = options;
  const periods = [...new Set(points.map((p) => p.period))].sort();
  // Colour and shape follow the scenario's place in `scenarios`, so a scenario looks the same in every chart.
  const color = { domain: scenarios.map((s) => s.id), range: scenarios.map((s) => s.color) };
  const symbol = { domain: scenarios.map((s) => s.id), range: scenarios.map((_, i) => SYMBOLS[i % SYMBOLS.length]!) };
  const name = new Map(scenarios.map((s) => [s.id, s.name]));
  const svg = Plot.plot({
    document,
    width: WIDTH,
    height: options.height ?? 260,
    marginLeft: 64,
    marginRight: 24,
    x: {
      type: "point",
      domain: periods,
      label: "Month",
      ticks: periodTicks(periods),
      tickFormat: safeText,
      padding: 0.3,
    },
    y: {
      label: options.yLabel,
      grid: true,
      ...(options.percent ? { percent: true, tickFormat: (v: number) => `${+v.toFixed(1)}` } : { tickFormat: compact }),
      nice: true,
      zero: false,
    },
    color,
    symbol,
    marks: [
      Plot.lineY(points, {
        x: "period",
        y: "value",
        z: "scenarioId",
        stroke: "scenarioId",
        strokeWidth: 2.2,
      }),
      Plot.dot(points, {
        x: "period",
        y: "value",
        stroke: "scenarioId",
        fill: "white",
        symbol: "scenarioId",
        r: 4,
        strokeWidth: 1.8,
        ariaHidden: "true",
        title: (p: SeriesPoint) => safeText(`${name.get(p.scenarioId)} ${p.period}: ${p.value}`),
      }),
    ],
  });
  return finish(document, svg, options.kind, options.title, options.desc);
}

/** The point shape of the i-th scenario of a line chart, as a small SVG for the legend. */
export function symbolSwatch(document: Document, index: number, color: string): string {
  const shape = SYMBOLS[index % SYMBOLS.length]!;
  const svg = Plot.plot({
    document,
    width: 28,
    height: 14,
    margin: 0,
    axis: null,
    x: { domain: [0, 1] },
    y: { domain: [0, 1] },
    marks: [
      Plot.ruleY([0.5], { stroke: color, strokeWidth: 2.2 }),
      Plot.dot([0.5], { x: (d: number) => d, y: 0.5, symbol: () => shape, stroke: color, fill: "white", r: 4 }),
    ],
    symbol: { type: "identity" },
  });
  svg.setAttribute("aria-hidden", "true");
  return trim(svg.outerHTML).replace(/<style>[\s\S]*?<\/style>/, "");
}

/** CO2 figures of one scenario or group. */
export interface Co2Row {
  id: string;
  name: string;
  inbound?: number | undefined;
  storage?: number | undefined;
  outbound?: number | undefined;
  total: number;
}

/** Splits a total into the API's components, and what the components do not explain. */
export function co2Segments(row: Co2Row) {
  const parts: Array<{ component: string; value: number; color: string }> = [
    { component: "Inbound", value: row.inbound ?? 0, color: CO2_COLORS.inbound },
    { component: "Storage", value: row.storage ?? 0, color: CO2_COLORS.storage },
    { component: "Outbound", value: row.outbound ?? 0, color: CO2_COLORS.outbound },
  ];
  const rest = row.total - parts.reduce((sum, p) => sum + p.value, 0);
  if (rest > 1e-9 * Math.max(1, row.total))
    parts.push({ component: "Not split", value: rest, color: CO2_COLORS.other });
  return parts.filter((p) => p.value > 0).map((p) => ({ ...p, id: row.id, name: row.name }));
}

/** Total CO2 per scenario as horizontal bars stacked by component (inbound, storage, outbound). */
export function co2SummaryChart(document: Document, rows: Co2Row[]): Chart {
  const segments = rows.flatMap(co2Segments);
  const names = rows.map((r) => r.name);
  const marginLeft = Math.min(200, 16 + 6.2 * Math.max(...names.map((n) => safeText(n).length)));
  const svg = Plot.plot({
    document,
    width: WIDTH,
    height: 56 + 42 * rows.length,
    marginLeft,
    marginRight: 70,
    y: { domain: names, label: null, tickSize: 0, tickFormat: safeText },
    x: { label: "CO2 (tCO2e)", grid: true, tickFormat: compact },
    color: { type: "identity" },
    marks: [
      Plot.barX(
        segments,
        Plot.stackX({
          y: "name",
          x: "value",
          fill: "color",
          order: null,
          inset: 0.5,
          title: (s: { component: string; value: number }) => `${s.component}: ${s.value}`,
        }),
      ),
      Plot.text(rows, { y: "name", x: "total", text: (r: Co2Row) => compact(r.total), dx: 6, textAnchor: "start" }),
      Plot.ruleX([0]),
    ],
  });
  const desc = rows
    .map(
      (r) =>
        `${r.name}: ${compact(r.total)} tCO2e in total${r.inbound !== undefined ? `, inbound ${compact(r.inbound)}` : ""}${r.storage !== undefined ? `, storage ${compact(r.storage)}` : ""}${r.outbound !== undefined ? `, outbound ${compact(r.outbound)}` : ""}.`,
    )
    .join(" ");
  return finish(document, svg, "co2-summary", "CO2 per scenario, by component", desc);
}

/** One row of the CO2 breakdown: a group (DC, region, transport mode) of one scenario. */
export interface Co2GroupRow {
  groupKey: string;
  scenarioId: string;
  total: number;
}

/** Total CO2 per group, one bar per scenario inside each group. */
export function co2BreakdownChart(
  document: Document,
  rows: Co2GroupRow[],
  scenarios: ChartScenario[],
  groupLabel: string,
): Chart {
  const groups = [...new Set(rows.map((r) => r.groupKey))];
  const present = scenarios.filter((s) => rows.some((r) => r.scenarioId === s.id));
  const name = new Map(scenarios.map((s) => [s.id, s.name]));
  const marginLeft = Math.min(200, 16 + 6.2 * Math.max(...groups.map((g) => safeText(g).length)));
  const svg = Plot.plot({
    document,
    width: WIDTH,
    height: 50 + groups.length * (present.length * 20 + 14),
    marginLeft,
    marginRight: 70,
    fy: { domain: groups, label: null, padding: 0.15, tickFormat: safeText },
    y: { domain: present.map((s) => s.id), axis: null, padding: 0.1 },
    x: { label: "CO2 (tCO2e)", grid: true, tickFormat: compact },
    color: { domain: present.map((s) => s.id), range: present.map((s) => s.color) },
    facet: { label: null },
    marks: [
      Plot.barX(rows, {
        fy: "groupKey",
        y: "scenarioId",
        x: "total",
        fill: "scenarioId",
        title: (r: Co2GroupRow) => safeText(`${r.groupKey}, ${name.get(r.scenarioId)}: ${r.total}`),
      }),
      Plot.text(rows, {
        fy: "groupKey",
        y: "scenarioId",
        x: "total",
        text: (r: Co2GroupRow) => compact(r.total),
        dx: 5,
        textAnchor: "start",
        fontSize: 10,
      }),
      Plot.ruleX([0]),
    ],
  });
  const desc = groups
    .map(
      (g) =>
        `${g}: ${rows
          .filter((r) => r.groupKey === g)
          .map((r) => `${name.get(r.scenarioId)} ${compact(r.total)}`)
          .join(", ")} tCO2e.`,
    )
    .join(" ");
  return finish(document, svg, "co2-breakdown", `CO2 by ${groupLabel}`, desc);
}
