// The forms a secret takes when a server echoes it back (raw, URL-encoded in both styles, JSON-escaped,
// base64 as in a Basic header), and a scanner that finds any of them — whole or in part — in a text.
// Shared by the fault rig (to echo secrets through the sandbox's echo faults) and the tests (to prove no rendering holds one).

/** Every encoding of `secret` a server message can hold, by name. */
export function secretForms(secret: string): Record<string, string> {
  return {
    raw: secret,
    // encodeURIComponent writes a space as %20 …
    percent: encodeURIComponent(secret),
    // … and a form body (URLSearchParams) as +
    form: new URLSearchParams({ v: secret }).toString().slice(2),
    json: JSON.stringify(secret).slice(1, -1),
    base64: Buffer.from(secret).toString("base64"),
    base64url: Buffer.from(secret).toString("base64url"),
  };
}

/** A Basic `Authorization` value's credentials part, RFC 6749 §2.3.1 style (both halves form-encoded first). */
export function basicCredentials(id: string, secret: string): string {
  const form = (s: string) => new URLSearchParams({ v: s }).toString().slice(2);
  return Buffer.from(`${form(id)}:${form(secret)}`).toString("base64");
}

/** The same without the form-encoding step, as many clients send it. */
export function basicCredentialsRaw(id: string, secret: string): string {
  return Buffer.from(`${id}:${secret}`).toString("base64");
}

/**
 * The part of a secret worth looking for: a JWT's header is the same public constant for every token
 * (`{"alg":…,"typ":"JWT"}`), so only its payload and signature identify the token.
 */
function identifying(secret: string): string {
  const parts = secret.split(".");
  return parts.length === 3 && secret.startsWith("eyJ") ? parts.slice(1).join(".") : secret;
}

/** Length of the fragments looked for: long enough never to match by chance, short enough to catch a cut secret. */
const WINDOW = 16;

/** What a needle stands for: which secret, and whether it is a whole form of it or a fragment. */
export interface Needle {
  label: string;
  whole: boolean;
}

/**
 * Every form of every secret (label → secret), whole, and every fragment of `WINDOW` characters of each form,
 * each mapped to the secret it belongs to. A fragment two secrets share names the later one.
 */
export function leakNeedles(secrets: Readonly<Record<string, string>>): Map<string, Needle> {
  const needles = new Map<string, Needle>();
  for (const [label, secret] of Object.entries(secrets)) {
    const forms = new Set([...Object.values(secretForms(identifying(secret))), ...Object.values(secretForms(secret))]);
    for (const text of forms)
      for (let at = 0; at + WINDOW <= text.length; at++) {
        const part = text.slice(at, at + WINDOW);
        if (!needles.get(part)?.whole) needles.set(part, { label, whole: false });
      }
    for (const text of forms) needles.set(text, { label, whole: true });
  }
  return needles;
}

/**
 * The secrets `text` holds in any form — `label` for a whole form, `label (a part)` for a fragment of 16
 * characters or more when no whole form of that secret is there — plus the test marker FAKE that every
 * test secret carries.
 */
export function findLeaks(text: string, needles: Map<string, Needle>): string[] {
  const whole = new Set<string>();
  const parts = new Set<string>();
  if (text.includes("FAKE")) whole.add("marker FAKE");
  for (const [needle, { label, whole: isWhole }] of needles)
    if (text.includes(needle)) (isWhole ? whole : parts).add(label);
  return [...whole, ...[...parts].filter((label) => !whole.has(label)).map((label) => `${label} (a part)`)];
}
