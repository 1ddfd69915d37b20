// startSandbox(): a SIMCEL on loopback. It signs in (API key or client credentials), enforces tokens, scopes
// and a rate limit, answers the four read operations from seeded data as the spec describes them, and fails on
// demand (faults, drifts, held answers). A second loopback server plays "another origin" for redirect faults.
// This file checks the options, builds the sandbox's state and its two servers, and hands back the handle;
// router.ts, normal-answers.ts, fault-responses.ts and responder.ts answer the requests.
import { randomUUID } from "node:crypto";
import type { Socket } from "node:net";
import { inspect } from "node:util";
import { Answers, type PlansBody } from "./answers.js";
import { Auth, checkRateLimit, type RateLimit, type Scope } from "./auth.js";
import { SimcelSandboxError } from "./errors.js";
import { type FailOptions, type FaultHandle, Faults, type OperationSelector } from "./faults.js";
import { createOtherOrigin, createSandboxServer, listen, track } from "./http-servers.js";
import { API_PREFIX } from "./router.js";
import type { SandboxCounts, SandboxRequest, SandboxState } from "./state.js";
import { createWorld } from "./world.js";

export type { SandboxCounts, SandboxRequest } from "./state.js";

/** Options of {@link startSandbox}; all optional. */
export interface SandboxOptions {
  /** Port to listen on; 0 (the default) lets the kernel pick a free one. */
  port?: number | undefined;
  /** Address to listen on; default `127.0.0.1` (loopback only). */
  host?: string | undefined;
  /** Seed of every plan, id, figure, key and probabilistic fault; default 1. */
  seed?: number | undefined;
  /** Lifetime of issued tokens in seconds (`expiresIn`, and enforced: an expired token gets 401); default 3600. */
  tokenLifetimeS?: number | undefined;
  /** The rate limit of every key and client (each has its own count); default none. */
  rateLimit?: RateLimit | false | undefined;
  /** `coming-soon`: the CO2 endpoint answers 404, as SIMCEL documents it today; default `available`. */
  sustainability?: "available" | "coming-soon" | undefined;
  /**
   * Serve the layout of SIMCEL's older docs (`https://api.simcel.io`): the API-key exchange at `POST /auth/token`,
   * and no `/auth/v1/token` (404). Default false: today's layout.
   */
  legacyPaths?: boolean | undefined;
  /** Keep every request (headers and token bodies included) in `requests`; default false (a log grows). */
  record?: boolean | undefined;
  /**
   * The sandbox's clock in epoch ms (token expiry, the `Date` header, and the plans' dates: read at start, each
   * horizon holds that day and the last simulation ran one to three days before it); default `Date.now`. Give a
   * fixed clock for answers that do not change with the date.
   */
  now?: (() => number) | undefined;
}

/** Options of `createApiKey`. */
export interface ApiKeyOptions {
  /** Scopes of its tokens; default `insights:read` and `plans:read`. */
  scopes?: readonly Scope[] | undefined;
  /** The key itself (e.g. the one your CI already sets); default a new `sk_test_FAKE_…` from the seed. */
  key?: string | undefined;
  /** This key's rate limit, instead of the sandbox's; `false` for none. */
  rateLimit?: RateLimit | false | undefined;
}

/** Options of `createClient`. */
export interface ClientOptions {
  /** Scopes the client may ask for (and gets when it asks for none); default `insights:read` and `plans:read`. */
  scopes?: readonly Scope[] | undefined;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  rateLimit?: RateLimit | false | undefined;
}

/** A running sandbox. */
export interface Sandbox {
  /** `http://127.0.0.1:PORT`: the base URL to give the SDK (SIMCEL_BASE_URL); every path is served from here. */
  readonly url: string;
  /**
   * `http://127.0.0.1:PORT/api`: the same API under SIMCEL's own prefix, as `https://app.simcel.io/api` serves it,
   * for code whose URLs are written against SIMCEL's (a base URL ending in `/api`, or paths starting `/api/`).
   */
  readonly apiUrl: string;
  /** The seed its data came from. */
  readonly seed: number;
  /** Its plans and their scenarios, as `listPlans` answers them. */
  readonly plans: PlansBody["plans"];
  /** A new API key (`sk_test_FAKE_…`) whose tokens carry `scopes`. */
  createApiKey(options?: ApiKeyOptions): string;
  /** A new OAuth2 client for the client-credentials grant. */
  createClient(options?: ClientOptions): { clientId: string; clientSecret: string };
  /** Refuses `key` from now on: its exchange and the tokens it got answer 401. False when unknown. */
  revokeApiKey(key: string): boolean;
  /** Every token issued so far answers 401 from now on; returns how many tokens were issued. */
  revokeTokens(): number;
  /** Installs a fault: the selected operation's next `times` requests, each with `probability`, or all of them. */
  fail(options: FailOptions): FaultHandle;
  /** Removes every fault. */
  clearFaults(): void;
  /** Holds every answer of the selected routes until the returned function is called (tokens are checked after). */
  hold(operation?: OperationSelector): () => void;
  /** Counters; a fresh copy on each read. */
  readonly counts: SandboxCounts;
  /** Every request seen (with `record: true`; else empty). */
  readonly requests: readonly SandboxRequest[];
  /** Every token issued, in order (with `record: true`; else empty): the secrets to look for in outputs. */
  readonly issuedTokens: readonly string[];
  /** The other origin redirect faults point to: its URL and the requests it received (always recorded). */
  readonly otherOrigin: { readonly url: string; readonly requests: readonly SandboxRequest[] };
  /** Stops both servers, dropping open connections and pending timers: nothing is left behind. */
  close(): Promise<void>;
}

function check(condition: boolean, message: string) {
  if (!condition) throw new SimcelSandboxError(message);
}

/** The options with their defaults, each checked: a bad one throws saying what to fix. */
function checkedOptions(options: SandboxOptions) {
  const {
    port = 0,
    host = "127.0.0.1",
    seed = 1,
    tokenLifetimeS = 3600,
    sustainability = "available",
    record = false,
    legacyPaths = false,
    now = Date.now,
  } = options;
  check(Number.isInteger(port) && port >= 0 && port <= 65_535, `port must be a whole number 0–65535, got ${port}`);
  check(Number.isInteger(seed), `seed must be a whole number, got ${seed}`);
  check(
    typeof tokenLifetimeS === "number" && tokenLifetimeS > 0 && Number.isFinite(tokenLifetimeS),
    `tokenLifetimeS must be a number of seconds > 0, got ${tokenLifetimeS}`,
  );
  check(
    sustainability === "available" || sustainability === "coming-soon",
    `sustainability must be "available" or "coming-soon", got ${JSON.stringify(sustainability)}`,
  );
  check(typeof now === "function", "now must be a function returning epoch milliseconds");
  check(typeof legacyPaths === "boolean", `legacyPaths must be true or false, got ${JSON.stringify(legacyPaths)}`);
  return { port, host, seed, tokenLifetimeS, sustainability, record, legacyPaths, now };
}

/** A sandbox's state before it listens. */
function createState(options: ReturnType<typeof checkedOptions>, rateLimit: RateLimit | undefined): SandboxState {
  const { seed, now } = options;
  const answers = new Answers(createWorld(seed, now()));
  return {
    now,
    record: options.record,
    sustainability: options.sustainability,
    legacyPaths: options.legacyPaths,
    auth: new Auth(seed, now, options.tokenLifetimeS, rateLimit),
    faults: new Faults(seed),
    answers,
    plansJson: JSON.stringify(answers.listPlans()),
    cache: new Map(),
    holds: new Map(),
    timers: new Set(),
    requests: [],
    otherRequests: [],
    issuedTokens: [],
    counts: { token: 0, api: 0, byOperation: {}, tokensIssued: 0, faults: 0, clientAborts: 0, maxBodyBytes: 0 },
    resetting: new WeakSet<Socket>(),
    instance: randomUUID().slice(0, 8),
    inFlight: 0,
    seq: 0,
    closing: false,
    url: "",
    otherUrl: "",
  };
}

/** Starts a sandbox and resolves once it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const checked = checkedOptions(options);
  const { host, seed } = checked;
  const state = createState(checked, checkRateLimit(options.rateLimit, "rateLimit"));
  const plans = deepFreeze(JSON.parse(state.plansJson) as PlansBody).plans;
  const sockets = new Set<Socket>();
  const server = track(createSandboxServer(state), sockets);
  const otherServer = track(createOtherOrigin(state), sockets);
  state.url = await listen(server, host, checked.port);
  state.otherUrl = await listen(otherServer, host, 0).catch(async (error) => {
    await new Promise((closed) => server.close(closed));
    throw error;
  });
  const { url } = state;

  const sandbox: Sandbox = {
    url,
    apiUrl: `${url}${API_PREFIX}`,
    seed,
    plans,
    createApiKey: (o) => state.auth.createApiKey(o),
    createClient: (o) => state.auth.createClient(o),
    revokeApiKey: (key) => state.auth.revokeApiKey(key),
    revokeTokens: () => state.auth.revokeTokens(),
    fail: (o) => state.faults.add(o),
    clearFaults: () => state.faults.clear(),
    hold: (operation = "any") => hold(state, operation),
    get counts() {
      const { counts } = state;
      return { ...counts, byOperation: { ...counts.byOperation }, inFlight: state.inFlight };
    },
    get requests() {
      return state.requests;
    },
    get issuedTokens() {
      return state.issuedTokens;
    },
    otherOrigin: { url: state.otherUrl, requests: state.otherRequests },
    async close() {
      if (state.closing) return;
      state.closing = true;
      for (const { release } of state.holds.values()) release();
      state.holds.clear();
      for (const timer of state.timers) clearTimeout(timer);
      state.timers.clear();
      const closed = [server, otherServer].map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
      for (const socket of sockets) socket.destroy();
      await Promise.all(closed);
    },
  };
  // what a log or a serializer shows of a sandbox: where it is, never what it recorded (tokens, keys)
  Object.defineProperty(sandbox, "toJSON", { value: () => ({ url, seed }) });
  Object.defineProperty(sandbox, inspect.custom, { value: () => `Sandbox { url: '${url}', seed: ${seed} }` });
  return sandbox;
}

/** Holds the selected routes' answers until the returned function is called. */
function hold(state: SandboxState, operation: OperationSelector): () => void {
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const held = { gate, release };
  state.holds.set(operation, held);
  return () => {
    if (state.holds.get(operation) === held) state.holds.delete(operation);
    release();
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
