// Access: the scope each read operation needs (the spec's) against the scopes the token carries.
import { andList, type Diagnosis } from "./diagnosis.js";

export function checkAccess(d: Diagnosis): void {
  const { report } = d;
  const scopes = report.signIn?.scopes ?? null;
  for (const entry of report.access)
    entry.granted = scopes === null ? null : scopes.includes(entry.scope) || scopes.includes("admin");
  if (scopes === null) {
    d.find(
      "note",
      "the token carries no scope claim (or is not a JWT): what the key may do shows only in the answers below",
    );
    return;
  }
  const missing = [...new Set(report.access.filter((a) => a.granted === false).map((a) => a.scope))];
  for (const scope of missing)
    d.find(
      "problem",
      `the key lacks the scope ${scope}: ${andList(report.access.filter((a) => a.scope === scope).map((a) => a.operation))} will be refused; use a key granted ${scope}`,
    );
  if (scopes.includes("admin"))
    d.find(
      "warning",
      "the key has the scope admin (full access): an integration needs only insights:read and plans:read",
    );
}
