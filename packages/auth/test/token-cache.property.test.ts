// Property test of the token cache: random interleavings of concurrent calls, clock moves, token
// responses, failures, aborts and invalidations. Invariants: at most one token request in flight; no
// caller ever receives an expired token; a failure is never served from cache (a caller only sees a
// failure of a token request that settled after it called); every caller that did not abort settles.
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { tokenRequestError } from "../src/errors.js";
import {
  type AccessToken,
  type Credential,
  createTokenCache,
  type TokenCache,
  TokenRequestError,
  TokenResponseError,
} from "../src/index.js";

const NOW = Date.UTC(2026, 0, 1);
// only the clock is faked: setImmediate stays real to let promise chains run between steps
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

type Step =
  | { op: "call"; abortable: boolean; forceRefresh: boolean }
  | { op: "advance"; ms: number }
  | { op: "resolve"; lifetimeMs: number }
  | { op: "fail" }
  | { op: "abort"; caller: number }
  | { op: "invalidate"; which: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant("call" as const),
      abortable: fc.boolean(),
      forceRefresh: fc.nat(4).map((n) => n === 0),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ op: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 120_000 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant("resolve" as const), lifetimeMs: fc.integer({ min: 1, max: 200_000 }) }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("fail" as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("abort" as const), caller: fc.nat(50) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("invalidate" as const), which: fc.nat(20) }) },
);

interface Call {
  id: number;
  startedAt: number;
  resolve: (token: AccessToken) => void;
  reject: (error: unknown) => void;
}

type MakeCache = (credential: Credential, refreshWindowMs: number) => Pick<TokenCache, "getToken" | "invalidate">;
const real: MakeCache = (credential, refreshWindowMs) => createTokenCache(credential, { refreshWindowMs });

async function run(steps: Step[], refreshWindowMs: number, makeCache: MakeCache = real) {
  let inFlight: Call | undefined;
  let maxInFlight = 0;
  let nextId = 0;
  const failures = new Map<unknown, number>(); // error → id of the token request that failed
  const settledFailures = new Set<number>();
  const credential: Credential = {
    kind: "apiKey",
    baseUrl: "https://app.simcel.io/api",
    // like a real credential, it gives up its request when the cache cancels it
    getToken: ({ signal } = {}) =>
      new Promise<AccessToken>((resolve, reject) => {
        maxInFlight = Math.max(maxInFlight, inFlight ? 2 : 1);
        const mine: Call = { id: nextId++, startedAt: Date.now(), resolve, reject };
        inFlight = mine;
        signal?.addEventListener("abort", () => {
          if (inFlight === mine) inFlight = undefined;
          reject(signal.reason);
        });
      }),
  };
  const cache = makeCache(credential, refreshWindowMs);
  const violations: string[] = [];
  const callers: { controller?: AbortController; settled: boolean }[] = [];

  const call = (abortable: boolean, forceRefresh: boolean) => {
    const controller = abortable ? new AbortController() : undefined;
    const caller: (typeof callers)[number] = { settled: false, ...(controller && { controller }) };
    callers.push(caller);
    const failedBefore = new Set(settledFailures);
    cache.getToken({ signal: controller?.signal, forceRefresh }).then(
      (token) => {
        caller.settled = true;
        if (token.expiresAt <= Date.now()) violations.push(`expired token ${token.token} served`);
      },
      (error: unknown) => {
        caller.settled = true;
        if (controller?.signal.aborted && error === controller.signal.reason) return;
        if (error instanceof TokenResponseError) return; // a token that expired on arrival: refused, fine
        const id = failures.get(error);
        if (id === undefined) violations.push(`unexpected error ${String(error)}`);
        else if (failedBefore.has(id)) violations.push(`failure of request ${id} served from cache`);
      },
    );
  };

  for (const s of steps) {
    if (s.op === "call") call(s.abortable, s.forceRefresh);
    else if (s.op === "advance") vi.setSystemTime(Date.now() + s.ms);
    else if (s.op === "abort") callers[s.caller % Math.max(callers.length, 1)]?.controller?.abort(new Error("gave up"));
    else if (s.op === "invalidate") cache.invalidate(`tok_FAKE_${s.which % Math.max(nextId, 1)}`);
    else if (inFlight) {
      const current = inFlight;
      inFlight = undefined;
      if (s.op === "resolve")
        current.resolve({
          token: `tok_FAKE_${current.id}`,
          tokenType: "Bearer",
          expiresAt: current.startedAt + s.lifetimeMs,
        });
      else {
        const error = tokenRequestError({ status: 503, serverMessage: `failure ${current.id}` });
        failures.set(error, current.id);
        current.reject(error);
        await tick();
        settledFailures.add(current.id);
      }
    }
    await tick();
  }
  // drain: answer whatever is still asked for, so every caller that did not abort must settle
  for (let i = 0; inFlight && i < 10; i++) {
    const current: Call = inFlight;
    inFlight = undefined;
    current.resolve({ token: `tok_FAKE_${current.id}`, tokenType: "Bearer", expiresAt: Date.now() + 3_600_000 });
    await tick();
    await tick();
  }
  const hanging = callers.filter((c) => !c.settled && !c.controller?.signal.aborted).length;
  return { violations, maxInFlight, hanging, requests: nextId };
}

describe("token cache under random interleavings", () => {
  it("keeps its invariants", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 60 }),
        fc.constantFrom(0, 1_000, 60_000),
        async (steps, window) => {
          vi.setSystemTime(NOW);
          const { violations, maxInFlight, hanging } = await run(steps, window);
          expect(violations).toEqual([]);
          expect(maxInFlight).toBeLessThanOrEqual(1);
          expect(hanging).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  const invariantsHold = (makeCache: MakeCache) =>
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 60 }), async (steps) => {
      vi.setSystemTime(NOW);
      const { violations, maxInFlight, hanging } = await run(steps, 60_000, makeCache);
      return violations.length === 0 && maxInFlight <= 1 && hanging === 0;
    });

  it.each<[string, MakeCache]>([
    // smithy's memoize bug (aws-sdk-js-v3 #2067): the first promise, rejected or expired, is kept forever
    [
      "memoizes the first promise",
      (credential) => {
        let memo: Promise<AccessToken> | undefined;
        return { getToken: () => (memo ??= credential.getToken()), invalidate: () => {} };
      },
    ],
    ["has no single flight", (credential) => ({ getToken: () => credential.getToken(), invalidate: () => {} })],
  ])("finds a counterexample against a cache that %s (the property can fail)", async (_, makeCache) => {
    const result = await fc.check(invariantsHold(makeCache), { numRuns: 300, seed: 42 });
    expect(result.failed).toBe(true);
  });
});
