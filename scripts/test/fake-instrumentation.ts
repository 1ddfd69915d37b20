// A tracer for tests, installed in the libraries' instrumentation slot the way a real one (@simcel/opentelemetry)
// is: by the registered symbol's name, not by importing the libraries. It keeps every operation it was told about,
// with its parent (the operation running when it started, tracked with AsyncLocalStorage as a real context is).
import { AsyncLocalStorage } from "node:async_hooks";

const SLOT = Symbol.for("simcel.instrumentation/v1");

/** One operation as the fake tracer saw it. */
export interface RecordedOperation {
  id: number;
  /** The id of the operation running when this one started. */
  parent: number | undefined;
  start: { operation: string; kind: string; method: string; url: string; sdkVersion: string };
  /** What `headers()` returned, in the order asked for. */
  headers: Record<string, string>[];
  attempts: { attempt: number; status?: number; error?: { code: string }; durationMs: number; url: string }[];
  retries: { attempt: number; delayMs: number; status?: number; code?: string }[];
  ends: { status?: number; requestId?: string; error?: Record<string, unknown> }[];
}

/** Installs the fake tracer; `uninstall` empties the slot again. Each `headers()` call gives a new traceparent. */
export function installFakeInstrumentation() {
  const operations: RecordedOperation[] = [];
  const current = new AsyncLocalStorage<number>();
  let headerCount = 0;
  const slot = globalThis as { [SLOT]?: unknown };
  slot[SLOT] = {
    startOperation(start: RecordedOperation["start"]) {
      const op: RecordedOperation = {
        id: operations.length + 1,
        parent: current.getStore(),
        start: { ...start },
        headers: [],
        attempts: [],
        retries: [],
        ends: [],
      };
      operations.push(op);
      return {
        run: <T>(fn: () => Promise<T>) => current.run(op.id, fn),
        headers() {
          headerCount++;
          const value = { traceparent: `00-${"a".repeat(32)}-${String(headerCount).padStart(16, "0")}-01` };
          op.headers.push(value);
          return value;
        },
        attempt: (e: RecordedOperation["attempts"][number]) => op.attempts.push({ ...e }),
        retry: (e: RecordedOperation["retries"][number]) => op.retries.push({ ...e }),
        end: (e: RecordedOperation["ends"][number]) => op.ends.push(structuredClone(e)),
      };
    },
  };
  return {
    operations,
    uninstall() {
      delete slot[SLOT];
    },
  };
}
