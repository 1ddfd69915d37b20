// The CI soak: thousands of calls, 100 in flight, 5-second tokens, 1 % of all requests answered 503 (the token
// endpoint's too) — not one call may fail. It prints token requests against what half-life renewal predicts and
// the heap after GC; it asserts no timing, only 0 failures, 0 leaks and a heap that does not keep growing.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, expect, it } from "vitest";
import * as auth from "../../packages/auth/src/index.js";
import * as insights from "../../packages/insights/src/index.js";
import { repoRoot } from "../prism.mjs";
import { leftOpen, resources } from "./fault-matrix.js";
import { describeSoak, runSoak, type SoakOptions } from "./soak.js";

// 5-second tokens, not 1: on two cores that run the whole suite at once (the contract run against the sandbox, the
// typecheck and four test files beside it), fresh-machine runs saw a 1-second token arrive expired (refused by
// design) and a 2-second one expire between its replay and the server; renewed at half-life, the token still
// changes every ~2.5 s of a 10–40 s run. bench/soak.mjs keeps 1-second tokens, on a quiet machine.
const options: SoakOptions = { calls: 10_000, concurrency: 100, tokenLifetimeS: 5, faultRate: 0.01 };
const printed: string[] = [];
afterAll(() => {
  writeFileSync(resolve(repoRoot, "reports/soak.txt"), `${printed.join("\n")}\n`);
});

it(`soak: ${options.calls} calls, concurrency ${options.concurrency}, ${options.tokenLifetimeS}-second tokens, 1 % 503: no call fails`, async () => {
  const baseline = resources();
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  process.on("unhandledRejection", onRejection);
  // a warning is printed on a user's stderr: e.g. MaxListenersExceededWarning when 100 calls share one signal
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
  process.on("warning", onWarning);
  const result = await runSoak({ ...auth, ...insights }, options);
  const open = await leftOpen(baseline);
  process.off("unhandledRejection", onRejection);
  process.off("warning", onWarning);
  const text = describeSoak(result, options);
  printed.push(text);
  console.log(text);

  expect(result.failures).toEqual([]);
  expect(result.failed).toBe(0);
  // the faults were there to be survived
  expect(result.injected).toBeGreaterThan(0);
  expect(rejections).toEqual([]);
  expect(warnings).toEqual([]);
  expect(open).toEqual([]);
  // Loose: from the first sample (10 %) to the end the heap after GC grows by less than 16 MB; a per-call
  // leak of even 3 KB would add 15 MB over these calls.
  const [first, last] = [result.heapMb[0]?.[1] ?? 0, result.heapMb.at(-1)?.[1] ?? Infinity];
  expect(last - first).toBeLessThan(16);
}, 120_000);
