// What `simcel doctor` finds out, as data: the configuration it read, the sign-in, the layout of the API it
// talks to, what the key may do, one call of each read operation, the clock, and every place where what the
// API said differs from the spec. Each check is its own function (check-*.ts); this file runs them in order.
// Everything goes through the typed clients exactly as any command's calls do; the only addition is a
// watching `fetch` (the clients' own injection point) that notes each exchange.
import { createAuthMiddleware, createTokenCache } from "@simcel/auth";
import { createInsightsClient, type SpecMismatchEvent } from "@simcel/insights";
import { checkAccess } from "./check-access.js";
import { checkClock } from "./check-clock.js";
import { checkConfiguration } from "./check-configuration.js";
import { checkLayout } from "./check-layout.js";
import { checkReadOperations } from "./check-operations.js";
import { checkSignIn } from "./check-sign-in.js";
import { createDiagnosis, type Diagnosis } from "./diagnosis.js";
import type { DiagnoseInput, DoctorReport } from "./report.js";

export type {
  DiagnoseInput,
  DoctorReport,
  OperationResult,
  ReadOperation,
  Severity,
  SpecDifference,
} from "./report.js";

/**
 * Runs the diagnosis. Never throws for what it finds (a refused key, a broken answer, a missing
 * variable are findings); throws `UsageError` only for a `--base-url` that is not a URL.
 */
export async function diagnose(input: DiagnoseInput): Promise<DoctorReport> {
  const d = createDiagnosis(input);
  const { logger } = input;
  const credential = checkConfiguration(d);
  if (!credential) return finish(d);
  const cache = createTokenCache(credential, logger ? { logger } : {});
  const auth = createAuthMiddleware({ cache, ...(logger && { logger }) });
  const requestSide: SpecMismatchEvent[] = [];
  const client = createInsightsClient({
    baseUrl: credential.baseUrl,
    middleware: [auth],
    fetch: d.watch.fetch,
    // a doctor reports what happened, not what a retry hid
    maxRetries: 0,
    hooks: { onSpecMismatch: (event) => event.direction === "request" && requestSide.push(event) },
    ...(logger && { logger }),
  });
  try {
    const signedIn = await checkSignIn(d, credential, cache);
    const layoutFound = await checkLayout(d, signedIn);
    if (!signedIn) {
      // the older layout, when found, is the reason the sign-in failed: said once, in its words
      if (!layoutFound) d.find("problem", d.report.signIn?.error as string);
      return finish(d);
    }
    checkAccess(d);
    await checkReadOperations(d, client, requestSide);
    return finish(d);
  } finally {
    await client.close();
    await auth.close();
    await cache.close();
  }
}

/** The clock check (from every answer's `Date`), then the tally: problems and warnings, findings and differences. */
function finish(d: Diagnosis): DoctorReport {
  const { report } = d;
  report.spec = d.differences.list();
  checkClock(d);
  const all = [...report.findings.map((f) => f.severity), ...report.spec.map((s) => s.severity)];
  report.problems = all.filter((s) => s === "problem").length;
  report.warnings = all.filter((s) => s === "warning").length;
  report.ok = report.problems === 0;
  return report;
}
