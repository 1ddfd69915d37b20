// Types of contract-proxy.mjs for the TypeScript tests.

/** One distinct violation Prism reported, as reports/contract-violations.json lists it. */
export interface ContractViolation {
  /** The spec operation of the answer (an insights or token operation id); null when none matched. */
  operation: string | null;
  method: string;
  path: string;
  status: number;
  /** `request` (what was sent) or `response` (what came back). */
  side: string;
  /** JSON pointer of the field in the body (a missing or extra field's name included); null off the body. */
  pointer: string | null;
  /** Prism's location, dotted (`response.body.plans.0`). */
  location: string;
  severity: string;
  /** Prism's (ajv's) keyword: `type`, `required`, `additionalProperties`, … */
  code: string;
  message: string;
  /** The spec only inferred this field (`x-simcel-inferred`). */
  inferred: boolean;
  /** How many times it was seen (each row of a list, each answer). */
  count: number;
}

export interface RunningContractProxy {
  /** The tap's URL: point the SDK (SIMCEL_BASE_URL) or the suite (SIMCEL_CONTRACT_BASE_URL) here. */
  url: string;
  prismUrl: string;
  violations(): ContractViolation[];
  /** Answers seen so far. */
  exchanges(): number;
  stop(): Promise<{ upstreamNotImplemented: string[] }>;
}

export function startContractProxy(options: {
  upstream: string;
  spec?: string;
  log?: (line: string) => void;
}): Promise<RunningContractProxy>;
export function strictSpec<T>(doc: T): T;
export function inferredAt(shape: object, segments: string[], shapes: Record<string, object>): boolean;
export function writeViolationReport(
  path: string,
  report: {
    upstream: string;
    violations: ContractViolation[];
    exchanges: number;
    notes: { upstreamNotImplemented: string[] };
    command: string;
    exitCode: number;
  },
): object;
