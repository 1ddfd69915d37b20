// The soak: many calls through @simcel/auth + @simcel/insights against the rig's sandbox with short-lived tokens
// and a share of injected 5xx (token endpoint included), `concurrency` calls in flight at all times. Used by the
// CI soak test (on the sources) and by bench/soak.mjs (the long one, on the builds); the libraries are passed in.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { RIG_SECRETS } from "./rig.js";
import { startRigProcess } from "./rig-process.js";

/** The parts of the two libraries the soak uses (sources or builds). */
export interface SoakLibraries {
  // biome-ignore lint/suspicious/noExplicitAny: sources and builds have the same shape but distinct types
  createApiKeyCredential(options: any): any;
  // biome-ignore lint/suspicious/noExplicitAny: idem
  createAuthMiddleware(options: any): any;
  // biome-ignore lint/suspicious/noExplicitAny: idem
  createInsightsClient(options: any): any;
}

export interface SoakOptions {
  calls: number;
  concurrency: number;
  /** Token lifetime in seconds. */
  tokenLifetimeS: number;
  /** Share of all requests (token and API) answered 503. */
  faultRate: number;
  /** Heap samples (after a full GC) taken at these fractions of the calls. */
  samples?: readonly number[];
}

export interface SoakResult {
  calls: number;
  failed: number;
  /** The first few failures, summarised (name, code, message head). */
  failures: string[];
  seconds: number;
  tokenRequests: number;
  /** Token lifetimes that fit in the soak's duration. */
  lifetimesElapsed: number;
  /** What half-life renewal predicts: two token requests per lifetime. */
  expectedTokenRequests: number;
  apiRequests: number;
  /** 503s the server injected. */
  injected: number;
  /** Heap used after a full GC, in MB, at each sample point: [fraction, MB]. */
  heapMb: [number, number][];
}

/** A full GC, from inside a process started without --expose-gc. */
export function collectGarbage(): () => void {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  return gc;
}

export async function runSoak(libs: SoakLibraries, options: SoakOptions): Promise<SoakResult> {
  const { calls, concurrency, tokenLifetimeS, faultRate, samples = [0.1, 0.5, 1] } = options;
  const gc = collectGarbage();
  // the server in its own process: sharing the client's event loop would make the rig, not the SDK, the bottleneck
  const server = await startRigProcess({ tokenLifetimeS, record: false, seed: 20_260_101 });
  await server.fail({ operation: "any", status: 503, probability: faultRate });
  const credential = libs.createApiKeyCredential({ apiKey: RIG_SECRETS.apiKey, baseUrl: server.url });
  const auth = libs.createAuthMiddleware({ credential });
  const client = libs.createInsightsClient({ baseUrl: server.url, middleware: [auth] });
  const operations = [
    () => client.listPlans(),
    () => client.getPnlSummary({ planId: server.planId }),
    () => client.getDemandForecast({ planId: server.planId, interval: "M" }),
    () => client.getSustainability({ planId: server.planId }),
  ];
  const failures: string[] = [];
  let failed = 0;
  let started = 0;
  let done = 0;
  const heapMb: [number, number][] = [];
  const points = samples.map((f) => Math.max(1, Math.round(f * calls)));
  const sample = () => {
    gc();
    heapMb.push([done / calls, process.memoryUsage().heapUsed / 1048576]);
  };
  const t0 = performance.now();
  const worker = async () => {
    while (started < calls) {
      const i = started++;
      try {
        await operations[i % operations.length]!();
      } catch (error) {
        failed++;
        if (failures.length < 5) {
          const e = error as { name?: string; code?: string; message?: string };
          failures.push(`${e?.name} ${e?.code ?? ""}: ${String(e?.message).slice(0, 120)}`);
        }
      }
      done++;
      // samples are taken between calls of one worker; the others keep going meanwhile
      if (points.includes(done)) sample();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  for (const closable of [client, auth]) await (closable as { close?: () => Promise<void> }).close?.();
  const { token: tokenRequests, api: apiRequests, faults: injected } = await server.counts();
  await server.close();
  const lifetimesElapsed = seconds / tokenLifetimeS;
  return {
    calls,
    failed,
    failures,
    seconds,
    tokenRequests,
    lifetimesElapsed,
    expectedTokenRequests: lifetimesElapsed * 2,
    apiRequests,
    injected,
    heapMb,
  };
}

/** The soak's figures as a few printable lines. */
export function describeSoak(r: SoakResult, options: SoakOptions): string {
  return [
    `soak: ${r.calls} calls, concurrency ${options.concurrency}, ${options.tokenLifetimeS}-second tokens, ${(options.faultRate * 100).toFixed(0)} % injected 503 (token endpoint included)`,
    `  ${r.failed} failed calls in ${r.seconds.toFixed(1)} s (${Math.round(r.calls / r.seconds)} calls/s)`,
    `  token requests ${r.tokenRequests} vs lifetimes elapsed × 2 = ${r.lifetimesElapsed.toFixed(1)} × 2 = ${r.expectedTokenRequests.toFixed(1)}`,
    `  API requests ${r.apiRequests} (${r.apiRequests - r.calls} more than calls: retries and 401 replays); ${r.injected} 503s injected`,
    `  heap after GC: ${r.heapMb.map(([f, mb]) => `${Math.round(f * 100)} % ${mb.toFixed(1)} MB`).join(", ")}`,
    ...r.failures.map((f) => `  failure: ${f}`),
  ].join("\n");
}
