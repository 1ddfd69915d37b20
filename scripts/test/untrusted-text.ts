// What the tests of API text look for in anything shown to a person: the code points a terminal or a
// browser acts on instead of showing, written here independently of safeText (packages/commands/src/safe-text.ts)
// so that a test of it can fail; hostile strings to plant in API data; a reader of safeText's escapes; and the
// hostile API itself, a sandbox whose answers carry them.
import type { Fault, OperationId, OperationSelector, Sandbox } from "../../packages/sandbox/src/index.js";
import { RIG_SECRETS, startRig } from "./rig.js";

/**
 * The code points that must never reach a person as themselves: C0, DEL, C1, the bidi marks, line and
 * paragraph separators, embeddings, overrides and isolates, and surrogates (only a lone one shows up as a
 * code point of its own).
 */
export const DANGEROUS_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x00, 0x1f],
  [0x7f, 0x9f],
  [0x061c, 0x061c],
  [0x200e, 0x200f],
  [0x2028, 0x2029],
  [0x202a, 0x202e],
  [0x2066, 0x2069],
  [0xd800, 0xdfff],
];

const dangerous = (cp: number) => DANGEROUS_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi);

/**
 * The dangerous code points in `text`, as `U+XXXX` strings (empty when there is none). `allow` lists code
 * points the text may hold on its own account, such as the newlines between a program's output lines.
 */
export function dangerousIn(text: string, allow: readonly string[] = []): string[] {
  const allowed = new Set(allow.map((c) => c.codePointAt(0)));
  return [...text]
    .map((c) => c.codePointAt(0) as number)
    .filter((cp) => dangerous(cp) && !allowed.has(cp))
    .map((cp) => `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`);
}

/**
 * A hostile suffix for API strings: clear the screen, an OSC 52 clipboard write ended by BEL, an 8-bit CSI,
 * NEL, a newline and a tab (to break a table row), DEL, each bidi override and isolate and the marks.
 */
export const HOSTILE =
  "\u001b[2J\u001b]52;c;aGk=\u0007\u009b31m\u0085\n\t\u007f\u0000\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c";

/** HOSTILE as safeText shows it. */
export const HOSTILE_SHOWN =
  "\\x1b[2J\\x1b]52;c;aGk=\\x07\\x9b31m\\x85\\n\\t\\x7f\\x00\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c";

/** Reads safeText's output back: `\\`, `\n`, `\r`, `\t`, `\xHH`, `\uHHHH`; any other backslash throws. */
export function readEscaped(shown: string): string {
  return shown.replace(/\\(?:x([0-9a-f]{2})|u([0-9a-f]{4})|(.))/gsu, (whole, x?: string, u?: string, c?: string) => {
    if (x) return String.fromCharCode(Number.parseInt(x, 16));
    if (u) return String.fromCharCode(Number.parseInt(u, 16));
    const short: Record<string, string> = { "\\": "\\", n: "\n", r: "\r", t: "\t" };
    if (c !== undefined && short[c] !== undefined) return short[c];
    throw new Error(`not an escape of safeText: ${JSON.stringify(whole)}`);
  });
}

// ---- The hostile API: the one place the tests' server-side setup lives (a sandbox of the rig, its answers replaced).

/** `text` with the hostile suffix. */
const h = (text: string) => `${text}${HOSTILE}`;

/** The plan the commands are run on: its id is plain, as a person would type it; all else in it is hostile. */
export const PLAN_ID = "plan_h1";
const SCEN_BASE = h("scen_base");
const SCEN_OTHER = h("scen_px");
const SCEN_MONTHLY = h("scen_m");
/** A name holding the text `\x1b` (a backslash, x, 1, b): shown with its backslash doubled, never taken for ESC. */
export const FORGED_NAME = `Forged \\x1b ${HOSTILE}`;

const figures = (k: number) => ({
  grossFIESales: 12_500_000 * k,
  tradeExpenses: 1_500_000 * k,
  netFIESales: 11_000_000 * k,
  cogs: 6_050_000 * k,
  cogsPercent: 0.55,
  grossProfit: 4_950_000 * k,
  supplyChainCost: 900_000 * k,
  storageAndHandling: 500_000 * k,
  transport: 400_000 * k,
  ebit: 3_300_000 * k,
  ebitPercent: 0.3,
  dpm: 4_050_000 * k,
  dpmPercent: 0.324,
});
const demandPoint = (period: string, k: number) => ({
  period,
  groupKey: h("DC Lyon "),
  demandVolume: 1000 * k,
  demandValue: 50_000 * k,
  fillRate: 0.96,
  forecastAccuracy: 0.9,
});

/**
 * The answers of the hostile API, per operation: names, ids, flags, currencies, periods, group keys, colours and
 * times carrying HOSTILE. Only rules our spec infers are broken (an enum, a pattern), so every body is one the
 * SDK passes through, with a warning.
 */
export const HOSTILE_BODIES = {
  listPlans: {
    plans: [
      {
        id: h("plan_x"),
        name: h("Other plan "),
        currency: "EUR",
        scenarios: [{ id: h("scen_x"), name: h("Lone "), flags: [h("archived")] }],
      },
      {
        id: PLAN_ID,
        name: h("Plan "),
        currency: h("US"),
        scenarios: [
          { id: SCEN_BASE, name: h("Committed "), flags: ["committed"] },
          { id: SCEN_OTHER, name: FORGED_NAME, flags: [] },
          { id: SCEN_MONTHLY, name: h("Monthly "), flags: ["actual"] },
        ],
      },
    ],
  },
  getPnlSummary: {
    meta: { planId: h("plan_h1"), currency: h("US"), interval: "FY", generatedAt: "2025-06-30T08:15:00Z" },
    scenarios: [
      { scenarioId: SCEN_BASE, scenarioName: h("Committed "), scenarioColor: "#0072B2", pnl: figures(1) },
      { scenarioId: SCEN_OTHER, scenarioName: FORGED_NAME, scenarioColor: h("#E69F00"), pnl: figures(1.02) },
      { scenarioId: SCEN_MONTHLY, scenarioName: h("Monthly "), series: [{ period: h("2025-01"), ...figures(0.1) }] },
      { scenarioId: h("scen_empty"), scenarioName: h("Empty ") },
    ],
  },
  getDemandForecast: {
    meta: { planId: h("plan_h1"), currency: h("US"), interval: "M", generatedAt: h("2025-06-30T08:15:00Z") },
    scenarios: [
      {
        scenarioId: SCEN_BASE,
        scenarioName: h("Committed "),
        series: [demandPoint(h("2025-01"), 1), demandPoint("2025-02", 1.1)],
      },
      {
        scenarioId: SCEN_MONTHLY,
        scenarioName: h("Monthly "),
        series: [demandPoint(h("2025-01"), 0.9), demandPoint("2025-02", 1)],
      },
    ],
  },
  getSustainability: {
    meta: { planId: h("plan_h1"), currency: h("US"), interval: "FY", generatedAt: "2025-06-30T08:15:00Z" },
    scenarios: [
      {
        scenarioId: SCEN_BASE,
        scenarioName: h("Committed "),
        summary: { inboundCO2: 10, storageCO2: 5, outboundCO2: 20, totalCO2: 35 },
        breakdown: [{ groupKey: h("DC Lyon "), inboundCO2: 10, storageCO2: 5, outboundCO2: 20, totalCO2: 35 }],
      },
    ],
  },
} as const;

/** An error message a server sends back, hostile. */
export const HOSTILE_MESSAGE = h("Plan not found: ");

/**
 * A JWT a token endpoint hands out whose `sub` and `scope` claims carry HOSTILE (what `simcel token` and
 * `simcel doctor` show). Unsigned, with the test marker FAKE; the API routes do not know it.
 */
export function hostileJwt(): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const exp = Math.floor(Date.now() / 1000) + 3600;
  return `${part({ alg: "none", typ: "JWT" })}.${part({ sub: h("svc "), scope: `insights:read plans:read ${h("x")}`, exp })}.FAKE_hostile`;
}

/** The hostile API on a free loopback port, and the environment that points a `simcel` or `simcel-mcp` at it. */
export interface HostileApi {
  server: Sandbox;
  /** SIMCEL_API_KEY and SIMCEL_BASE_URL for this server. */
  env: Record<string, string>;
  /** The next request of `selector` is answered by `fault` (an error whose message is hostile, say); then as before. */
  failNext(selector: OperationSelector, fault: Fault): void;
  close(): Promise<void>;
}

/**
 * Starts a sandbox (the rig's) answering every read operation with HOSTILE_BODIES (its `json` fault) and every
 * sign-in with the hostile JWT (its `tokenBody` fault). A fault's answer replaces the normal one before the bearer is
 * checked, so the API routes take that token.
 */
export async function startHostileApi(): Promise<HostileApi> {
  const server = await startRig();
  const install = () => {
    server.fail({ operation: "token", kind: "tokenBody", patch: { accessToken: hostileJwt() } });
    for (const [operation, body] of Object.entries(HOSTILE_BODIES))
      server.fail({ operation: operation as OperationId, kind: "json", body });
  };
  install();
  return {
    server,
    env: { SIMCEL_API_KEY: RIG_SECRETS.apiKey, SIMCEL_BASE_URL: server.url },
    failNext(selector, fault) {
      // the first installed fault that matches answers: this one goes before the bodies
      server.clearFaults();
      server.fail({ ...fault, operation: selector, times: 1 });
      install();
    },
    close: () => server.close(),
  };
}
