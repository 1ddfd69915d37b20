// The chart code shared by `simcel report` (SVG drawn in Node) and the MCP App (drawn in the browser). A separate
// entry of @simcel/commands, so that code importing the command table does not pull in Observable Plot.
export { type BridgeStep, type BridgeStepKey, type EbitBridge, ebitBridge } from "./bridge.js";
export {
  bridgeChart,
  bridgeDomain,
  type Chart,
  type ChartScenario,
  type Co2GroupRow,
  type Co2Row,
  co2BreakdownChart,
  co2Segments,
  co2SummaryChart,
  lineChart,
  type SeriesPoint,
  symbolSwatch,
} from "./charts.js";
export { co2Rows } from "./co2-rows.js";
export { BRIDGE_PALETTE, CO2_COLORS, EFFECT_COLORS, SAFE_PALETTE, scenarioColors } from "./colors.js";
export { type DemandRow, demandRows } from "./demand-rows.js";
export { esc } from "./esc.js";
export { compact, signedCompact } from "./numbers.js";
