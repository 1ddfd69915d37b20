import * as openapiFetch from "openapi-fetch";

/**
 * openapi-fetch's `createClient`, also from our CommonJS builds: openapi-fetch's CommonJS file sets
 * `exports.default`, and the bundler's interop then hands over that whole exports object as `default`,
 * so the function sits one level further down there.
 */
export const createClient: typeof openapiFetch.default =
  (openapiFetch.default as unknown as { default?: typeof openapiFetch.default }).default ?? openapiFetch.default;
