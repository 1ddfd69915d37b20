// Where what the API said differs from the spec: one entry per fact, however many rows and operations show it.
import type { Mismatch, SpecMismatchEvent } from "@simcel/insights";
import type { SpecDifference } from "./report.js";

/**
 * Collects differences: one entry per fact (where, what the spec expects, how sure it is), however many
 * rows and operations show it, keeping the first pointer and value seen. Problems come first.
 */
export function differenceList() {
  const byFact = new Map<string, SpecDifference>();
  const add = (operation: string, d: Omit<SpecDifference, "operations" | "count">) => {
    const key = `${d.direction} ${d.pointer.replace(/\/\d+(?=\/|$)/g, "/-")} ${d.expected} ${d.inferred} ${d.severity}`;
    const known = byFact.get(key);
    if (!known) byFact.set(key, { operations: [operation], ...d, count: 1 });
    else {
      known.count++;
      if (!known.operations.includes(operation)) known.operations.push(operation);
    }
  };
  return {
    /** The mismatches of one answer of `operation`; with `canFail`, documented structure is a problem. */
    response(operation: string, found: Mismatch[], canFail: boolean) {
      for (const m of found)
        add(operation, {
          direction: "response",
          pointer: m.pointer,
          expected: m.expected,
          actual: m.actual,
          inferred: m.inferred,
          severity: m.fatal && canFail ? "problem" : "warning",
        });
    },
    /** A parameter the SDK sent although it breaks a rule the spec only inferred. */
    request(event: SpecMismatchEvent) {
      add(event.operation, {
        direction: "request",
        pointer: event.pointer,
        expected: event.expected,
        actual: event.actual,
        inferred: true,
        severity: "warning",
      });
    },
    list: () =>
      [...byFact.values()].sort((a, b) => Number(b.severity === "problem") - Number(a.severity === "problem")),
  };
}

/** The differences collected so far, and how to add more. */
export type Differences = ReturnType<typeof differenceList>;
