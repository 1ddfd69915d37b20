// The layout: SIMCEL's docs show two. Today's API is `https://app.simcel.io/api`, with the API-key exchange at
// `POST /auth/v1/token` (the SDK's); an older edition shows `https://api.simcel.io`, with it at `POST /auth/token`.
// A base URL on the older host, or a server that answers the older exchange but not today's, gets a finding that
// names both and the fix, instead of a bare "not found".
import { defaultBaseUrl } from "@simcel/insights";
import type { Diagnosis } from "./diagnosis.js";

/** The host of the older docs. */
export const LEGACY_HOST = "api.simcel.io";
const LEGACY_KEY_EXCHANGE = "/auth/token";
const KEY_EXCHANGE = "/auth/v1/token";
/** The token endpoint's answers that mean "no such route here". */
const NO_ROUTE = [404, 405];
const PROBE_TIMEOUT_MS = 5000;

const layouts =
  `SIMCEL's older layout (https://${LEGACY_HOST}, API-key exchange at POST ${LEGACY_KEY_EXCHANGE}), ` +
  `not today's (${defaultBaseUrl}, POST ${KEY_EXCHANGE}, the one the SDK uses)`;

/**
 * Looks for the older layout: from the base URL's host, and, when the sign-in found no route, by asking the server
 * whether it has either key exchange (an empty body: no key is sent). True when it found it; the finding is a
 * problem when the sign-in failed (it is the reason, said instead of a bare "not found"), else a warning.
 */
export async function checkLayout(d: Diagnosis, signedIn: boolean): Promise<boolean> {
  const { report, input } = d;
  const baseUrl = report.configuration.baseUrl;
  const fix = input.baseUrlFlag
    ? `pass --base-url ${defaultBaseUrl}, or leave it out for production`
    : `set SIMCEL_BASE_URL=${defaultBaseUrl}, or leave it unset for production`;
  const failed = signedIn ? "" : `${report.signIn?.error ?? "sign-in failed"}; `;
  const severity = signedIn ? "warning" : "problem";
  if (new URL(baseUrl).hostname === LEGACY_HOST) {
    d.find(severity, `${failed}${baseUrl} is on ${LEGACY_HOST}, the host of ${layouts}; ${fix}`);
    return true;
  }
  const status = report.signIn?.status ?? null;
  if (signedIn || status === null || !NO_ROUTE.includes(status)) return false;
  const fetch = input.fetch ?? ((request: Request) => globalThis.fetch(request));
  const answers = async (path: string) => {
    try {
      const response = await fetch(
        new Request(`${baseUrl}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
          signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
        }),
      );
      await response.body?.cancel();
      return !NO_ROUTE.includes(response.status);
    } catch {
      return false;
    }
  };
  if ((await answers(KEY_EXCHANGE)) || !(await answers(LEGACY_KEY_EXCHANGE))) return false;
  d.find(
    severity,
    `${failed}the server at ${baseUrl} answers POST ${LEGACY_KEY_EXCHANGE} but not POST ${KEY_EXCHANGE}: it has ${layouts}; point the SDK at today's API: ${fix}`,
  );
  return true;
}
