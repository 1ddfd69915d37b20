// Types of vitest-report.mjs.
export function readVitestReport(path: string): {
  passed: number;
  failed: number;
  skipped: number;
  skippedNames: string[];
  broken: string[];
};
