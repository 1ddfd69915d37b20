import { formatExpiry, formatTimestamp } from "../format.js";
import { renderTable } from "../table.js";
import type { ViewContext } from "./context.js";

/** What `simcel token` reports; `token` only with --show-token. */
export interface TokenReport {
  kind: string;
  /** The environment variables the credential came from. */
  source: string;
  baseUrl: string;
  tokenType: string;
  /** ISO timestamp; null when unknown (a static token without `exp`). */
  expiresAt: string | null;
  /** From the JWT's `scope` claim; null when the token does not say. */
  scopes: string[] | null;
  subject: string | null;
  /** Where this run's token came from: the token cache kept between runs, the token endpoint, or SIMCEL_TOKEN. */
  tokenFrom: string;
  token?: string;
}

const KIND_LABEL: Record<string, string> = {
  apiKey: "API key",
  clientCredentials: "OAuth2 client credentials",
  static: "static token",
};

/** `simcel token`: a two-column who-am-I table. */
export function renderToken(report: TokenReport, { style, nowMs, columns }: ViewContext): string {
  const rows = [
    ["Credential", `${KIND_LABEL[report.kind] ?? report.kind} (${report.source})`],
    ["Base URL", report.baseUrl],
    [
      "Token",
      report.expiresAt
        ? `${report.tokenType}, expires ${formatTimestamp(report.expiresAt)} (${formatExpiry(Date.parse(report.expiresAt), nowMs)})`
        : `${report.tokenType}, expiry unknown`,
    ],
    ["From", report.tokenFrom],
    ["Scopes", report.scopes ? report.scopes.join(" ") || "(none)" : "unknown (the token carries no scope claim)"],
    ...(report.subject ? [["Subject", report.subject]] : []),
    ...(report.token ? [["Access token", report.token]] : []),
  ];
  return renderTable(rows, { styleCell: (t, _r, c) => (c === 0 ? style("bold", t) : t), maxWidth: columns, flex: [1] });
}
