// vitest globalSetup of the contract tests: starts Prism on a free loopback port and hands its URL
// to the tests as `inject("simcelBaseUrl")`; the returned teardown always stops it.
// SIMCEL_CONTRACT_BASE_URL runs the same suite against another server (a live one) instead, with the
// credentials of the environment (SIMCEL_API_KEY, or SIMCEL_CLIENT_ID + SIMCEL_CLIENT_SECRET, or
// SIMCEL_TOKEN): tests that only make sense on the mock are then skipped with their reason printed
// (scripts/test/contract-env.ts), the others find a plan to read instead of assuming the mock's ids.
import type { TestProject } from "vitest/node";
import { startPrism } from "./prism.mjs";

// The contract and release projects both name this setup; vitest loads it once per project, in one process, so the
// projects share one Prism through globalThis (one start less of a process that takes seconds of CPU), stopped when
// the last project is done with it.
type Shared = { prism: ReturnType<typeof startPrism>; users: number };
const KEY = Symbol.for("simcel.prism-global-setup");
const holder = globalThis as { [KEY]?: Shared | undefined };

declare module "vitest" {
  export interface ProvidedContext {
    simcelBaseUrl: string;
    simcelIsMock: boolean;
  }
}

export default async function setup(project: TestProject) {
  const override = process.env.SIMCEL_CONTRACT_BASE_URL?.trim();
  if (override) {
    const variables = ["SIMCEL_API_KEY", "SIMCEL_CLIENT_ID", "SIMCEL_CLIENT_SECRET", "SIMCEL_SCOPES", "SIMCEL_TOKEN"];
    const set = variables.filter((name) => process.env[name]?.trim());
    if (!set.some((name) => name !== "SIMCEL_SCOPES"))
      throw new Error(
        "[contract] SIMCEL_CONTRACT_BASE_URL is set, so this is a live run: it needs credentials too (SIMCEL_API_KEY, or SIMCEL_CLIENT_ID + SIMCEL_CLIENT_SECRET, or SIMCEL_TOKEN); see `pnpm test:live`",
      );
    process.stderr.write(`[contract] LIVE run against ${override} with ${set.join(", ")}\n`);
    project.provide("simcelBaseUrl", override.replace(/\/+$/, ""));
    project.provide("simcelIsMock", false);
    return;
  }
  const first = holder[KEY] === undefined;
  if (first) holder[KEY] = { prism: startPrism({ errors: true }), users: 0 };
  const shared = holder[KEY] as Shared;
  shared.users++;
  const prism = await shared.prism;
  if (first)
    process.stderr.write(`[contract] Prism listening on ${prism.url} after ${prism.startMs} ms (pid ${prism.pid})\n`);
  project.provide("simcelBaseUrl", prism.url);
  project.provide("simcelIsMock", true);
  return async () => {
    if (--shared.users === 0) {
      holder[KEY] = undefined;
      await prism.stop();
    }
  };
}
