// vitest globalSetup of the contract tests: starts Prism on a free loopback port and hands its URL
// to the tests as `inject("simcelBaseUrl")`; the returned teardown always stops it.
// SIMCEL_CONTRACT_BASE_URL runs the same suite against another server (a live one) instead.
import type { TestProject } from "vitest/node";
import { startPrism } from "./prism.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    simcelBaseUrl: string;
    simcelIsMock: boolean;
  }
}

export default async function setup(project: TestProject) {
  const override = process.env.SIMCEL_CONTRACT_BASE_URL;
  if (override) {
    project.provide("simcelBaseUrl", override);
    project.provide("simcelIsMock", false);
    return;
  }
  const prism = await startPrism({ errors: true });
  process.stderr.write(`[contract] Prism listening on ${prism.url} after ${prism.startMs} ms (pid ${prism.pid})\n`);
  project.provide("simcelBaseUrl", prism.url);
  project.provide("simcelIsMock", true);
  return async () => {
    await prism.stop();
  };
}
