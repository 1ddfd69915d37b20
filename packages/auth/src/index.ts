export type { components as AuthComponents, paths as AuthPaths } from "./generated/openapi.js";
export { defaultBaseUrl, scopes } from "./generated/operations.js";
