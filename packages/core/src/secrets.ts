// The process-wide list of secrets to keep out of anything printed: API keys, client secrets and every
// token the process has used. It lives on globalThis under a registered symbol, so every copy of the
// libraries in one process (ESM and CJS builds, @simcel/auth and @simcel/insights each inlining this
// file) shares it: a token issued through one copy is redacted from an error made by another.
// The secrets sit in a closure; the global object exposes only `add` and `redact`.

/** What a server said, with every known secret replaced by this. */
export const REDACTED = "[redacted]";

interface SecretRegistry {
  add(secret: string): void;
  redact(text: string): string;
}

const KEY = Symbol.for("@simcel/secret-registry@1");
/** Older secrets are forgotten first; tokens expire, so only the recent ones can still hurt. */
const CAPACITY = 128;
/** Shorter strings are not registered: redacting them would mangle ordinary words. */
const MIN_LENGTH = 8;
/** Runs that may be base64 (std or url alphabet), long enough to hold a short secret. */
const BASE64_RUN = /[A-Za-z0-9+/_-]{12,}={0,2}/g;
/** Anything shaped like a JWT: its header always starts with `{"` → `eyJ`. */
const JWT = /eyJ[\w-]*\.[\w-]+\.[\w-]*/g;

/**
 * The forms a secret can take in a message: raw, URL-encoded (`%20` and `+`), JSON-escaped, and with each
 * backslash doubled (how text from a server is shown to a person: the CLI's tables escape it so).
 */
function variants(secret: string): string[] {
  const out = new Set([secret, secret.replaceAll("\\", "\\\\")]);
  const encoded = [encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)];
  for (const e of encoded) {
    out.add(e);
    out.add(e.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()));
  }
  const json = JSON.stringify(secret).slice(1, -1);
  out.add(json);
  out.add(json.replaceAll("/", "\\/"));
  // longest first, so a longer form is not half-replaced through a shorter one inside it
  return [...out].sort((a, b) => b.length - a.length);
}

/** The secret as the bytes a base64 decoder yields (one char per byte), for matching decoded runs. */
function binary(secret: string): string {
  return String.fromCharCode(...new TextEncoder().encode(secret));
}

/**
 * What a base64 run may hold of the secret once decoded: the secret itself, or its form-encoded spelling
 * (RFC 6749 §2.3.1 form-encodes the client id and secret before putting them in a Basic header).
 */
const decodedForms = (secret: string) =>
  [...new Set([secret, new URLSearchParams({ s: secret }).toString().slice(2), encodeURIComponent(secret)])].map(
    binary,
  );

function decodeBase64(run: string): string | undefined {
  try {
    const std = run.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
    return atob(std + "=".repeat((4 - (std.length % 4)) % 4));
  } catch {
    return undefined;
  }
}

/** A secret with the forms it can take in text, precomputed once. */
interface SecretForms {
  forms: string[];
  bytes: string[];
}

const formsOf = (secret: string): SecretForms => ({ forms: variants(secret), bytes: decodedForms(secret) });

/** `text` with each of `secrets` (in every form) and anything shaped like a JWT replaced by {@link REDACTED}. */
function redactForms(text: string, secrets: readonly SecretForms[]): string {
  if (typeof text !== "string" || !text) return text;
  let out = text;
  for (const { forms } of secrets) for (const form of forms) out = out.split(form).join(REDACTED);
  if (secrets.length > 0)
    out = out.replace(BASE64_RUN, (run) => {
      const decoded = decodeBase64(run);
      if (decoded === undefined) return run;
      for (const { bytes } of secrets) if (bytes.some((b) => decoded.includes(b))) return REDACTED;
      return run;
    });
  return out.replace(JWT, REDACTED);
}

function createRegistry(): SecretRegistry {
  // secret → its variants; a Map keeps insertion order, so the first key is the oldest
  const secrets = new Map<string, SecretForms>();
  /** The newest secret: the same bearer comes back on every request, and then there is nothing to do. */
  let newest: string | undefined;
  return {
    add(secret) {
      if (secret === newest || typeof secret !== "string" || secret.length < MIN_LENGTH) return;
      newest = secret;
      const known = secrets.get(secret);
      secrets.delete(secret);
      secrets.set(secret, known ?? formsOf(secret));
      if (secrets.size > CAPACITY) secrets.delete(secrets.keys().next().value as string);
    },
    redact: (text) => redactForms(text, [...secrets.values()]),
  };
}

function registry(): SecretRegistry {
  const holder = globalThis as { [KEY]?: SecretRegistry };
  let found = holder[KEY];
  if (!found) {
    found = createRegistry();
    Object.defineProperty(holder, KEY, { value: found, enumerable: false, configurable: false, writable: false });
  }
  return found;
}

/** Remembers `secret` (a key, client secret or token) so that {@link redactSecrets} removes it from text. */
export function registerSecret(secret: string | undefined): void {
  if (secret) registry().add(secret);
}

/**
 * `text` without any secret this process has used (in raw, URL-encoded, JSON-escaped or base64 form)
 * and without anything shaped like a JWT. Run it on whatever a server said before it is shown.
 */
export function redactSecrets(text: string): string {
  return registry().redact(text);
}

/**
 * A redactor of its own: `secrets` (in every form a message can hold them, as {@link redactSecrets} knows them),
 * then everything the process-wide list holds. For a secret that must stay redacted from what one party is shown
 * whatever else the process registers: the process-wide list keeps only the most recent secrets.
 */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
  const own = secrets.filter((s) => typeof s === "string" && s.length >= MIN_LENGTH).map(formsOf);
  return (text) => redactSecrets(redactForms(text, own));
}

/**
 * `value` (JSON-shaped data) with `redact` run on each string it holds, never on its field names nor on the
 * JSON around them: a registered secret that happens to look like `"plans":` or a field name cannot turn a
 * valid answer into broken JSON or rename its fields. Anything but plain objects, arrays and strings is kept.
 */
export function redactValue<T>(value: T, redact: (text: string) => string = redactSecrets): T {
  if (typeof value === "string") return redact(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, redact)) as T;
  if (value === null || typeof value !== "object") return value;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = redactValue(item, redact);
  return out as T;
}
