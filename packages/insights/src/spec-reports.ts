// What differs from the spec without failing a call: a response field or a parameter the spec only inferred, an
// unknown field or enum value. Each is reported once per operation and field for each hook and logger in the process
// (mismatch-reports.ts keeps the record); documented structure that is wrong fails the call.
import { callHook, type Logger, log, redactSecrets } from "@simcel/core";
import type { InferredRuleBroken } from "./checks.js";
import { cut, type OperationId } from "./error-mapping.js";
import { ResponseValidationError } from "./errors.js";
import { operations, shapes } from "./generated/operations.js";
import { firstReport } from "./mismatch-reports.js";
import type { InsightsHooks, SpecMismatchEvent } from "./options.js";
import { checkResponse, type Mismatch, type Shape } from "./response-check.js";

/** Where a client reports spec mismatches. */
export interface SpecReports {
  /** Fails on documented structure that is wrong; reports the rest. */
  checkBody(id: OperationId, data: unknown): void;
  /** Reports a parameter sent although it breaks a rule the spec only inferred. */
  reportParam(id: OperationId, broken: InferredRuleBroken): void;
}

/** The spec-mismatch reporting of a client with this logger and these hooks. */
export function createSpecReports(logger: Logger | undefined, hooks: InsightsHooks | undefined): SpecReports {
  function tell(event: SpecMismatchEvent, message: string): void {
    // array positions count as one field, so a mismatch in every row is one report; what the spec
    // expected is part of the key (a limit and an alphabet broken on one field are two facts to hear)
    const key = `${event.direction} ${event.operation} ${event.pointer.replace(/\/\d+(?=\/|$)/g, "/-")} ${event.expected}`;
    if (hooks?.onSpecMismatch && firstReport(hooks.onSpecMismatch, key)) callHook(hooks.onSpecMismatch, event);
    // keyed by the warn function: clients given `{ warn }` objects of their own around one function share it too
    if (typeof logger?.warn === "function" && firstReport(logger.warn, key)) log(logger, "warn", message, { ...event });
  }

  function report(id: OperationId, m: Mismatch): void {
    const actual = cut(redactSecrets(m.actual));
    tell(
      { operation: id, direction: "response", pointer: m.pointer, expected: m.expected, actual, inferred: m.inferred },
      `${id}: the response differs from the spec at ${m.pointer}: the spec ${m.inferred ? "guessed" : "says"} ${m.expected}, the API sent ${actual}`,
    );
  }

  return {
    checkBody(id, data) {
      const shape = (operations[id] as { response?: Shape }).response;
      if (!shape) return;
      const found = checkResponse(shape, data, shapes as Record<string, Shape>);
      if (found.length === 0) return;
      const { method, path } = operations[id];
      for (const m of found) if (!m.fatal) report(id, m);
      const fatal = found.find((m) => m.fatal);
      if (fatal)
        throw new ResponseValidationError(
          `${method} ${path} answered with a body the spec does not allow: ${fatal.pointer || "the body"} should be ${
            fatal.expected
          }, got ${cut(redactSecrets(fatal.actual))}`,
          { status: 200, operation: id, method, path, pointer: fatal.pointer },
        );
    },
    reportParam(id, b) {
      const actual = cut(redactSecrets(b.actual));
      tell(
        { operation: id, direction: "request", pointer: b.pointer, expected: b.expected, actual, inferred: true },
        `${id}: ${b.param} ${actual} breaks a rule the spec only guessed (${b.expected}): sent anyway (strict: true refuses it)`,
      );
    },
  };
}
