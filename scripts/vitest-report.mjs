// What a vitest JSON report (`--reporter=json --outputFile.json=…`) says, read in one place: `pnpm test`, the Node
// matrix, `pnpm test:live` and `contract:sandbox` all count their runs from it.
import { readFileSync } from "node:fs";

/**
 * The counts of a report, its skipped tests by full name, and its broken files (failed with no failed test: a file
 * that did not load, a hook or an unhandled error). Throws when the report is missing or unreadable.
 * @param {string} path
 * @returns {{ passed: number, failed: number, skipped: number, skippedNames: string[], broken: string[] }}
 */
export function readVitestReport(path) {
  const json = JSON.parse(readFileSync(path, "utf8"));
  return {
    passed: json.numPassedTests,
    failed: json.numFailedTests,
    skipped: json.numPendingTests + (json.numTodoTests ?? 0),
    skippedNames: json.testResults.flatMap((file) =>
      file.assertionResults.filter((t) => t.status !== "passed" && t.status !== "failed").map((t) => t.fullName),
    ),
    broken: json.testResults
      .filter((file) => file.status === "failed" && !file.assertionResults.some((t) => t.status === "failed"))
      .map((file) => `broken file ${file.name}: ${(file.message ?? "").slice(0, 200)}`),
  };
}
