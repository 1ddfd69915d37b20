// One run of the doctor, as every check sees it: the CLI's input, the report being filled, the watching fetch,
// the spec differences collected, and how a check states a finding.
import { describeError } from "../describe-error.js";
import { type DiagnoseInput, type DoctorReport, newReport, type Severity } from "./report.js";
import { type Differences, differenceList } from "./spec-differences.js";
import { type Watch, watchingFetch } from "./watching-fetch.js";

export interface Diagnosis {
  readonly input: DiagnoseInput;
  readonly report: DoctorReport;
  readonly watch: Watch;
  readonly differences: Differences;
  /** Adds a finding to the report. */
  find(severity: Severity, message: string): void;
}

export function createDiagnosis(input: DiagnoseInput): Diagnosis {
  const report = newReport(input);
  return {
    input,
    report,
    watch: watchingFetch(input.fetch ?? ((request) => globalThis.fetch(request)), input.now),
    differences: differenceList(),
    find: (severity, message) => report.findings.push({ severity, message }),
  };
}

/** `a, b and c`. */
export const andList = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;

/** The one line the CLI would print for `error`, without its `simcel doctor:` start. */
export const describe = (error: unknown, baseUrl: string) =>
  describeError(error, "doctor", baseUrl).line.replace(/^simcel doctor: /, "");
