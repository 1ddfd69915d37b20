// `simcel doctor` for people: sections of aligned tables, the differences from the spec in words, and a
// short block to paste into a bug report. Nothing here holds a secret: the report never has one, and
// every line the CLI prints passes through redactSecrets as well. The report is raw data (values the API
// sent, its error messages, the server's Date): tables escape their cells, and every other line that may
// hold API text is shown through safeText here.
import { safeText } from "@simcel/commands";
import type { Styler } from "../style.js";
import { renderTable } from "../table.js";
import type { DoctorReport, OperationResult, Severity, SpecDifference } from "./report.js";

const CREDENTIAL: Record<string, string> = {
  apiKey: "API key",
  clientCredentials: "OAuth2 client credentials",
  static: "a token already issued (SIMCEL_TOKEN)",
};
const MARK: Record<Severity, string> = { problem: "✖", warning: "⚠", note: "·" };

const ms = (value: number | null) => (value === null ? "–" : `${value} ms`);

/** One difference in words: what the spec says (or guessed), what came back. */
export function describeDifference(d: SpecDifference): string {
  const rows = d.count > d.operations.length ? ` (and ${d.count - d.operations.length} more like it)` : "";
  if (d.direction === "request") {
    const [name, ...items] = d.pointer.slice(1).split("/");
    return `parameter ${name}${items.map((i) => `[${i}]`).join("")}: our spec guessed ${d.expected}; ${d.actual} was sent anyway`;
  }
  const said = d.inferred ? "our spec guessed" : "the spec says";
  const what =
    d.expected === "no such field"
      ? "a field the spec does not know"
      : d.actual === "missing"
        ? `${said} it is always there; the API left it out`
        : `${said} ${d.expected}; the API sent ${d.actual}`;
  return `${d.pointer || "the body"}${rows}: ${what}${d.severity === "problem" ? " — SDK calls fail on it" : ""}`;
}

/** The RESULT cell of an operation, with how many differences its answer had. */
function resultOf(r: OperationResult, spec: SpecDifference[]): string {
  const differences = spec.filter((d) => d.operations.includes(r.operation)).length;
  const extra = differences ? `, ${differences} difference${differences > 1 ? "s" : ""} from the spec` : "";
  switch (r.outcome) {
    case "ok":
      return `ok${extra}`;
    case "fails":
      return `FAILS: ${r.detail}`;
    case "coming-soon":
      return `coming soon: ${r.detail}`;
    case "skipped":
      return `not called: ${r.detail}`;
    default:
      return `${r.outcome === "refused" ? "REFUSED" : "ERROR"}: ${r.detail}`;
  }
}

/** The human report. */
export function renderDoctor(report: DoctorReport, style: Styler): string {
  const { configuration: config, signIn } = report;
  const out: string[] = [];
  const section = (title: string) => out.push(`\n${style("bold", safeText(title))}\n`);
  const pairs = (rows: string[][]) => out.push(renderTable(rows, { indent: 2 }));
  const mark = (severity: Severity) =>
    severity === "problem"
      ? style("red", MARK.problem)
      : severity === "warning"
        ? style("yellow", MARK.warning)
        : MARK.note;

  out.push(
    `${style("bold", "simcel doctor")} — ${safeText(`@simcel/cli ${report.versions.cli} · Node ${report.versions.node} · ${report.versions.platform}`)}\n`,
  );

  section("Configuration");
  const clock = config.clock;
  pairs([
    ["Variables read", config.variables.join(", ") || "none"],
    ["Credential", config.credential ? (CREDENTIAL[config.credential] ?? config.credential) : "none"],
    [
      "Base URL",
      `${config.baseUrl}${config.baseUrlFlag ? " (from --base-url)" : ""}${config.production ? " (production)" : ""}`,
    ],
    [
      "Clock",
      clock === null
        ? "unknown (no answer carried a Date header)"
        : Math.abs(clock.skewSeconds) <= 2
          ? `in step with the server (its Date: ${clock.serverDate})`
          : `${Math.abs(clock.skewSeconds)} s ${clock.skewSeconds > 0 ? "behind" : "ahead of"} the server (its Date: ${clock.serverDate})`,
    ],
  ]);

  if (signIn) {
    section("Sign-in");
    pairs([
      [
        "Token endpoint",
        signIn.endpoint
          ? `${signIn.endpoint} → ${signIn.status ?? "no answer"} in ${ms(signIn.latencyMs)}`
          : "none (the token is already issued)",
      ],
      ...(signIn.error
        ? [["Failed", signIn.error]]
        : [
            [
              "Token",
              `${signIn.tokenType}, ${signIn.expiresIn === null ? "expiry unknown" : `valid for ${signIn.expiresIn} s`}`,
            ],
            ["Scopes", signIn.scopes ? `${signIn.scopes.join(" ") || "(none)"} (the token's claim)` : "unknown"],
          ]),
    ]);
  }

  if (signIn && !signIn.error) {
    section("Access (the scope each read operation needs, from the spec)");
    out.push(
      renderTable(
        report.access.map((a) => [a.operation, a.scope, a.granted === null ? "unknown" : a.granted ? "yes" : "NO"]),
        { header: ["OPERATION", "SCOPE", "GRANTED"], indent: 2 },
      ),
    );
    const plan = report.plan ? ` on plan ${report.plan.id} (${report.plan.source})` : "";
    section(`Read operations${plan}`);
    out.push(
      renderTable(
        report.operations.map((r) => [
          r.operation,
          r.status === null ? "–" : String(r.status),
          ms(r.latencyMs),
          resultOf(r, report.spec),
        ]),
        { header: ["OPERATION", "STATUS", "TIME", "RESULT"], align: ["l", "r", "r", "l"], indent: 2 },
      ),
    );
  }

  if (report.spec.length > 0) {
    section("Where the API differs from the spec");
    for (const d of report.spec)
      out.push(`  ${mark(d.severity)} ${safeText(`${d.operations.join(", ")} ${describeDifference(d)}`)}\n`);
  }
  if (report.findings.length > 0) {
    section("Findings");
    for (const f of report.findings) out.push(`  ${mark(f.severity)} ${safeText(f.message)}\n`);
  }

  out.push(`\n${style("bold", "Result:")} ${resultLine(report)}\n`);
  out.push(`\nTo report it, paste this (it holds no key, secret or token):\n\n${bugReport(report)}`);
  return out.join("");
}

function resultLine(report: DoctorReport): string {
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (report.problems === 0 && report.warnings === 0) return "all good (exit 0)";
  return `${count(report.problems, "problem")}, ${count(report.warnings, "warning")} (exit ${report.ok ? 0 : 1})`;
}

/** A few lines for a bug report: versions, setup, each call's status, each difference. */
export function bugReport(report: DoctorReport): string {
  const { configuration: config, signIn } = report;
  const lines = [
    `simcel doctor · @simcel/cli ${report.versions.cli} · Node ${report.versions.node} · ${report.versions.platform}`,
    `base URL ${config.baseUrl} · ${config.credential ?? "no credential"} · server clock ${
      config.clock
        ? `${config.clock.skewSeconds >= 0 ? "+" : ""}${config.clock.skewSeconds} s from this machine's`
        : "unknown"
    }`,
  ];
  if (signIn)
    lines.push(
      signIn.error
        ? `sign-in ${signIn.endpoint ?? ""} failed: ${signIn.error}`
        : `sign-in ${signIn.endpoint ? `${signIn.endpoint.split(" ")[0]} ${new URL(signIn.endpoint.split(" ")[1] as string).pathname} ${signIn.status}` : "static token"} · ${signIn.tokenType} ${signIn.expiresIn ?? "?"} s · scopes ${signIn.scopes?.join(" ") ?? "unknown"}`,
    );
  if (signIn && !signIn.error)
    lines.push(report.operations.map((r) => `${r.operation} ${r.status ?? "–"} ${r.outcome}`).join(" · "));
  for (const d of report.spec) lines.push(`${MARK[d.severity]} ${d.operations.join(", ")} ${describeDifference(d)}`);
  for (const f of report.findings) if (f.severity !== "note") lines.push(`${MARK[f.severity]} ${f.message}`);
  lines.push(`result: ${resultLine(report)}`);
  return `\`\`\`text\n${lines.map(safeText).join("\n")}\n\`\`\`\n`;
}
