export type { components as InsightsComponents, paths as InsightsPaths } from "./generated/openapi.js";
export { defaultBaseUrl, operations } from "./generated/operations.js";
