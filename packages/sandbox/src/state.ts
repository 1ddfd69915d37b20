// The state of one running sandbox, in one visible object: what it was started with, what it knows (credentials,
// faults, data), what it has seen (counts, recorded requests) and what is in flight (holds, timers, sockets).
// The router, the responder and the fault responses each take it as their first argument.
import type { Socket } from "node:net";
import type { Answers } from "./answers.js";
import type { Auth } from "./auth.js";
import type { OperationId } from "./errors.js";
import type { Faults, OperationSelector } from "./faults.js";

/** What the sandbox has seen. Read it after the calls settle. */
export interface SandboxCounts {
  /** Requests to a token route (both kinds). */
  token: number;
  /** Requests to an insights route. */
  api: number;
  /** Requests per operation id; paths the spec does not know under `unknown`. */
  byOperation: Record<string, number>;
  /** Tokens issued. */
  tokensIssued: number;
  /** Requests a fault or drift changed. */
  faults: number;
  /** Answers the client walked away from before they were complete (an abort, a timeout). */
  clientAborts: number;
  /** The most body bytes written to one response (a `huge` fault shows how much the client pulled). */
  maxBodyBytes: number;
  /** Requests received and not yet answered. */
  inFlight: number;
}

/** One request, as the sandbox saw it (with `record: true`). Holds the secrets it carried: it is your test's data. */
export interface SandboxRequest {
  /** From 1. */
  seq: number;
  operation: OperationId | undefined;
  method: string;
  /** The spec's path it was routed by (without `/api`, or the `/moved` of a same-origin redirect). */
  path: string;
  /** `/api` when it came under SIMCEL's path prefix (a base URL like `https://app.simcel.io/api`). */
  prefix?: string;
  query: string;
  /** Lower-cased header names → values, Authorization included. */
  headers: Record<string, string | string[] | undefined>;
  /** The body of a POST. */
  body?: string;
  /** When it arrived (the sandbox's clock) and from which client port (which connection). */
  at: number;
  port: number | undefined;
  /** The faults that changed it, by kind. */
  faults?: string[];
  /** The status sent; undefined when none was (a hang or reset). */
  status?: number;
}

/** A held route: its answers wait for `gate`. */
export interface Hold {
  gate: Promise<void>;
  release: () => void;
}

export interface SandboxState {
  readonly now: () => number;
  readonly record: boolean;
  readonly sustainability: "available" | "coming-soon";
  /** The older layout's key exchange (`POST /auth/token`) instead of today's. */
  readonly legacyPaths: boolean;
  readonly auth: Auth;
  readonly faults: Faults;
  readonly answers: Answers;
  /** The plans answer, serialized once. */
  readonly plansJson: string;
  /** Recent data answers by request, most recently used last. */
  readonly cache: Map<string, string>;
  readonly holds: Map<OperationSelector, Hold>;
  /** Timers of latencies and slow bodies, cleared on close. */
  readonly timers: Set<NodeJS.Timeout>;
  readonly requests: SandboxRequest[];
  readonly otherRequests: SandboxRequest[];
  readonly issuedTokens: string[];
  readonly counts: Omit<SandboxCounts, "inFlight">;
  /** Sockets reset on purpose (not client aborts). */
  readonly resetting: WeakSet<Socket>;
  /** A short id of this sandbox, in every `X-Request-Id`. */
  readonly instance: string;
  inFlight: number;
  seq: number;
  closing: boolean;
  /** Both origins, once they listen. */
  url: string;
  otherUrl: string;
}
