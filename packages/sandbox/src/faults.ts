// Failing on demand: what a fault is, which requests it answers (an operation, every token or API route, or
// all of them), when (the next N, always, or each with a seeded probability), and how installed faults are
// picked for a request. What each fault then sends is fault-responses.ts's business.
import { type OperationId, SimcelSandboxError } from "./errors.js";
import { operations } from "./generated/operations.js";
import { type Random, seeded } from "./random.js";

/** An operation of the spec, or every token route (`token`), every insights route (`api`), or all (`any`). */
export type OperationSelector = OperationId | "token" | "api" | "any";

/** What the sandbox knows of a request, for an `echo` fault: what it was sent, and the secrets behind it. */
export interface EchoSource {
  /** The request body as sent (a JSON or form body on token routes; empty on API routes). */
  body: string;
  /** The `Authorization` header, if any. */
  authorization: string | undefined;
  /** The bearer token of the request, if any. */
  token: string | undefined;
  /** The API key of the request: sent in the body (key exchange) or behind its bearer; empty when none. */
  apiKey: string;
  /** The OAuth2 client of the request: sent in the form, or behind its bearer; empty when none. */
  clientId: string;
  clientSecret: string;
}

/** A planted difference from the spec: the surprises of a first real key, each in one place. */
export type Drift =
  /** listPlans: each plan carries `owner`, a field the spec does not know. */
  | "extraField"
  /** listPlans: the first what-if scenario is flagged `archived`, a value the spec's enum does not list. */
  | "unknownFlag"
  /** listPlans and the data operations: plan ids have dots (`plan.x`), outside the id alphabet the spec infers. */
  | "planIdDot"
  /** Data operations: the first scenario's `scenarioColor` is `blue`, not the `#RRGGBB` the spec infers. */
  | "colorName"
  /** getDemandForecast: the first scenario's `fillRate` is a string (`"96%"`) where the spec documents a number. */
  | "fillRateString"
  /** getPnlSummary with interval M: rows carry `month`, not `period` (the key the spec infers). */
  | "periodAsMonth"
  /** getSustainability: the summary lacks `totalCO2` (required only by the spec's inference). */
  | "co2TotalMissing"
  /** getSustainability: 404, the endpoint SIMCEL documents as coming soon is not there yet. */
  | "co2ComingSoon"
  /** Token routes: RFC 6749's snake_case (`access_token`, `expires_in`), not SIMCEL's documented camelCase. */
  | "tokenSnakeCase";

/** One way to fail. `kind` may be left out for a plain error status. */
export type Fault =
  /** An error status with the spec's error body for that operation and status (or a generic one). */
  | { kind?: "status"; status: number; message?: string; retryAfterS?: number; headers?: Record<string, string> }
  /** An RFC 6749 §5.2 error body: `{"error": …, "error_description": …}`. */
  | { kind: "oauthError"; status: number; error: string; description?: string }
  /** Any text body (malformed JSON, an HTML page, a non-JSON 200), with its content type (text/plain). */
  | { kind: "text"; status?: number; contentType?: string; body: string }
  /** Any JSON body, sent as given (a 200 of the wrong shape, names with control characters, …). */
  | { kind: "json"; status?: number; body: unknown }
  /** A real token is issued, but fields of the token answer are replaced (`expiresIn: 1e13`, `tokenType: null`). */
  | { kind: "tokenBody"; patch: Record<string, unknown> }
  /** No answer at all; the connection stays open until the client gives up or the sandbox closes. */
  | { kind: "hang" }
  /** The connection is reset before any header is sent. */
  | { kind: "reset" }
  /** The headers (with the whole body's Content-Length) and half the body, then a reset: the normal answer, or `status` with its error body. */
  | { kind: "resetMidBody"; status?: number }
  /** A body of `bytes` bytes, streamed with backpressure; stops as soon as the client goes away. */
  | { kind: "huge"; bytes: number; status?: number; contentType?: string }
  /** A redirect (302 by default) to the same path under `/moved` on this origin, or to the same path on another origin. */
  | { kind: "redirect"; status?: number; to: "same-origin" | "other-origin" }
  /** An error whose `message` is `text(request)`: the server echoing what it was sent. `raw`: a text/plain body instead. */
  | {
      kind: "echo";
      status: number;
      text: (request: EchoSource) => string;
      raw?: boolean;
      headers?: Record<string, string>;
    }
  /** The normal answer, `ms` later (authorization is checked after the wait). */
  | { kind: "latency"; ms: number }
  /** The normal answer, its body trickled `chunkBytes` (default 64) at a time, `delayMs` apart. */
  | { kind: "slowBody"; delayMs: number; chunkBytes?: number }
  /** The normal answer with a planted difference from the spec (see {@link Drift}). */
  | { kind: "drift"; drift: Drift };

/** Which requests a fault answers and how often: the next `times`, each with `probability` (seeded), or always. */
export interface FaultScope {
  /** Default `any`; for a drift, the operations it changes. */
  operation?: OperationSelector;
  /** Only the next `times` matching requests. */
  times?: number;
  /** Each matching request with this probability, drawn from the sandbox's seed (the same run replays the same). */
  probability?: number;
}

/** What `sandbox.fail()` takes: a fault and its scope. */
export type FailOptions = Fault & FaultScope;

/** An installed fault. */
export interface FaultHandle {
  /** Requests it has answered so far. */
  readonly hits: number;
  /** Uses left of a `times` fault; undefined for the others. */
  readonly remaining: number | undefined;
  /** Uninstalls it. */
  remove(): void;
}

/** The kinds that change the normal answer rather than replace it: every matching one applies. */
const MODIFIERS = new Set(["latency", "slowBody", "tokenBody", "drift"]);

/** The operations each drift changes. */
export const DRIFT_OPERATIONS: Record<Drift, OperationId[]> = {
  extraField: ["listPlans"],
  unknownFlag: ["listPlans"],
  planIdDot: ["listPlans", "getPnlSummary", "getDemandForecast", "getSustainability"],
  colorName: ["getPnlSummary", "getDemandForecast", "getSustainability"],
  fillRateString: ["getDemandForecast"],
  periodAsMonth: ["getPnlSummary"],
  co2TotalMissing: ["getSustainability"],
  co2ComingSoon: ["getSustainability"],
  tokenSnakeCase: ["exchangeApiKey", "issueClientCredentialsToken"],
};

const OPERATION_IDS = Object.keys(operations) as OperationId[];
const KINDS = [
  "status",
  "oauthError",
  "text",
  "json",
  "tokenBody",
  "hang",
  "reset",
  "resetMidBody",
  "huge",
  "redirect",
  "echo",
  "latency",
  "slowBody",
  "drift",
];

/** Whether `operation` is a token route (sign-in). */
export const isTokenOperation = (operation: OperationId | undefined) =>
  operation !== undefined && (operations[operation].tags as readonly string[]).includes("Authentication");

/** Whether `selector` picks a request of `operation` (undefined: a path the spec does not know). */
export function selects(selector: OperationSelector, operation: OperationId | undefined): boolean {
  if (selector === "any") return true;
  if (operation === undefined) return false;
  if (selector === "token") return isTokenOperation(operation);
  if (selector === "api") return !isTokenOperation(operation);
  return selector === operation;
}

interface Installed {
  fault: Fault;
  selector: OperationSelector;
  /** For a drift: the operations it changes (within the selector). */
  only: OperationId[] | undefined;
  left: number | undefined;
  probability: number | undefined;
  hits: number;
}

/** The faults of one sandbox, in the order they were installed. */
export class Faults {
  private list: Installed[] = [];
  private readonly random: Random;

  constructor(seed: number) {
    this.random = seeded(seed ^ 0x5eed);
  }

  add(options: FailOptions): FaultHandle {
    const { operation, times, probability, ...rest } = options;
    const fault = { ...rest } as Fault;
    const kind = fault.kind ?? "status";
    if (!KINDS.includes(kind)) throw new SimcelSandboxError(`fail: unknown kind "${kind}"; kinds: ${KINDS.join(", ")}`);
    const selector = operation ?? "any";
    if (!["any", "token", "api", ...OPERATION_IDS].includes(selector))
      throw new SimcelSandboxError(
        `fail: unknown operation "${selector}"; give one of the spec's (${OPERATION_IDS.join(", ")}), or token, api or any`,
      );
    if (times !== undefined && !(Number.isInteger(times) && times > 0))
      throw new SimcelSandboxError(`fail: times must be a whole number > 0, got ${times}`);
    if (probability !== undefined && !(probability >= 0 && probability <= 1))
      throw new SimcelSandboxError(`fail: probability must be between 0 and 1, got ${probability}`);
    if (times !== undefined && probability !== undefined)
      throw new SimcelSandboxError("fail: give times or probability, not both");
    if (
      (kind === "status" || kind === "echo" || kind === "oauthError") &&
      !validStatus((fault as { status: number }).status)
    )
      throw new SimcelSandboxError(
        `fail: status must be an HTTP status 100–599, got ${(fault as { status: unknown }).status}`,
      );
    let only: OperationId[] | undefined;
    if (fault.kind === "drift") {
      const changes = DRIFT_OPERATIONS[fault.drift];
      if (!changes)
        throw new SimcelSandboxError(
          `fail: unknown drift "${fault.drift}"; drifts: ${Object.keys(DRIFT_OPERATIONS).join(", ")}`,
        );
      only = changes.filter((o) => selects(selector, o));
      if (only.length === 0)
        throw new SimcelSandboxError(`fail: drift ${fault.drift} changes ${changes.join(", ")}, not ${selector}`);
    }
    const installed: Installed = { fault, selector, only, left: times, probability, hits: 0 };
    this.list.push(installed);
    return {
      get hits() {
        return installed.hits;
      },
      get remaining() {
        return installed.left;
      },
      remove: () => {
        this.list = this.list.filter((i) => i !== installed);
      },
    };
  }

  clear() {
    this.list = [];
  }

  /**
   * The faults that apply to a request of `operation`: every matching modifier (latency, slow body, token body,
   * drifts), and the first matching fault that replaces the answer. Each one used counts as a use of it.
   */
  pick(operation: OperationId | undefined): { answer: Fault | undefined; modifiers: Fault[] } {
    const modifiers: Fault[] = [];
    let answer: Fault | undefined;
    for (const installed of [...this.list]) {
      if (!selects(installed.selector, operation)) continue;
      if (installed.only && (operation === undefined || !installed.only.includes(operation))) continue;
      const modifier = MODIFIERS.has(installed.fault.kind ?? "status");
      if (!modifier && answer) continue;
      if (installed.probability !== undefined && this.random() >= installed.probability) continue;
      if (installed.left !== undefined && --installed.left <= 0) this.list = this.list.filter((i) => i !== installed);
      installed.hits++;
      if (modifier) modifiers.push(installed.fault);
      else answer = installed.fault;
    }
    return { answer, modifiers };
  }
}

const validStatus = (status: unknown) =>
  Number.isInteger(status) && (status as number) >= 100 && (status as number) <= 599;
