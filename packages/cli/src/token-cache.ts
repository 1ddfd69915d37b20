// The token kept between runs: without it every `simcel` run exchanges the key again (two round trips
// where one does, and agents call the command in loops). A sealed file store in the user's cache
// directory (@simcel/auth/node): 0600 files in a 0700 directory, encrypted with a key derived from the
// credential's secret, so the directory alone gives nobody a usable token.

import type { TokenStore } from "@simcel/auth";
import { createFileTokenStore, defaultTokenStoreDir } from "@simcel/auth/node";

/** Where the CLI keeps its token between runs. */
export interface RunTokenCache {
  store: TokenStore;
  /** `$XDG_CACHE_HOME/simcel`, else `~/.cache/simcel`. */
  dir: string;
}

/** The values of SIMCEL_TOKEN_CACHE that turn the cache off. */
const OFF = ["off", "0", "false", "no"];

/** The file token cache, or undefined when `--no-token-cache` was given or SIMCEL_TOKEN_CACHE says off. */
export function runTokenCache(
  env: Readonly<Record<string, string | undefined>>,
  disabled: boolean,
): RunTokenCache | undefined {
  if (disabled || OFF.includes(env.SIMCEL_TOKEN_CACHE?.trim().toLowerCase() ?? "")) return undefined;
  const dir = defaultTokenStoreDir(env);
  return { dir, store: createFileTokenStore({ dir }) };
}
