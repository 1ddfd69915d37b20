// ┌─ MERGE POINT (the one placeholder of this package) ─────────────────────────────────────────────┐
// │ @simcel/auth is gaining `redactSecrets(text)` (hardening, issue 9): it removes every API key,     │
// │ client secret and token the process has used, in every encoding, plus anything JWT-shaped. Once  │
// │ it is on main, replace this whole file with:                                                     │
// │     export { redactSecrets } from "@simcel/auth";                                                │
// │ and delete test/redact.test.ts (it tests this stand-in).                                         │
// │ Until then this stand-in covers the secrets this server can know: the SIMCEL_* variables it was  │
// │ started with and anything JWT-shaped (the tokens SIMCEL issues).                                  │
// └──────────────────────────────────────────────────────────────────────────────────────────────────┘

const SECRET_VARIABLES = ["SIMCEL_API_KEY", "SIMCEL_CLIENT_SECRET", "SIMCEL_TOKEN"];
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const REDACTED = "[redacted]";

/** `text` without any secret this process holds (stand-in: see the box above). */
export function redactSecrets(text: string): string {
  let out = text.replace(JWT, REDACTED);
  for (const name of SECRET_VARIABLES) {
    const secret = process.env[name]?.trim();
    if (!secret || secret.length < 4) continue;
    const forms = new Set([
      secret,
      encodeURIComponent(secret),
      encodeURIComponent(secret).replaceAll("%20", "+"),
      JSON.stringify(secret).slice(1, -1),
      Buffer.from(secret).toString("base64"),
    ]);
    for (const form of forms) out = out.replaceAll(form, REDACTED);
  }
  return out;
}
