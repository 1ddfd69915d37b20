// The server secret (SIMCEL_MCP_SECRET) and what it protects: every OAuth record is sealed with
// AES-256-GCM before it reaches the shared store, under a key HKDF derives from the secret, and is named by
// an HMAC under a second derived key. A reader of the store (a Redis dump, a backup of the directory) learns
// neither a SIMCEL credential nor a token, cannot tell which token a record belongs to, and cannot plant one.
// The record's store key is the GCM additional data, so a sealed value moved under another key fails to open.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";

/** Seals records and names store entries under the server secret. */
export interface Sealer {
  /** The store key of `kind` + `id`: `oa-<kind>-<HMAC, base64url>`; `id` (a token, a code) never leaves this. */
  key(kind: string, id: string): string;
  /** `value` as JSON, sealed for the entry `key`. */
  seal(key: string, value: unknown): string;
  /** The value sealed for `key`, or `undefined` when it is not one (another key, another secret, tampered). */
  open<T>(key: string, sealed: string | undefined): T | undefined;
}

/** The shortest secret taken: 32 characters, as `openssl rand -base64 32` prints 44. */
export const MIN_SECRET_LENGTH = 32;

/**
 * Why `secret` is too weak to seal credentials with, or `undefined` when it will do: it must be at least 32
 * characters drawn from at least 12 distinct ones (a repeated character, a word or a short hex string is refused).
 */
export function weakSecretReason(secret: string): string | undefined {
  if (secret.length < MIN_SECRET_LENGTH)
    return `it has ${secret.length} characters; it needs at least ${MIN_SECRET_LENGTH} random ones (e.g. \`openssl rand -base64 32\`)`;
  if (new Set(secret).size < 12)
    return "it repeats too few distinct characters to be random; make one with `openssl rand -base64 32`";
  if (/^(.{1,16})\1+$/.test(secret)) return "it is a short pattern repeated; make one with `openssl rand -base64 32`";
  return undefined;
}

const VERSION = "v1";

/** The sealer of `secret` (checked with {@link weakSecretReason} by the caller). */
export function createSealer(secret: string): Sealer {
  const derive = (info: string) =>
    Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), "simcel-mcp-oauth", `simcel-mcp-oauth ${info}`, 32));
  const nameKey = derive("name");
  const sealKey = derive("seal");
  return {
    key(kind, id) {
      return `oa-${kind}-${createHmac("sha256", nameKey).update(`${kind}\n${id}`).digest("base64url")}`;
    },
    seal(key, value) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", sealKey, iv);
      cipher.setAAD(Buffer.from(`${VERSION}\n${key}`));
      const data = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final(), cipher.getAuthTag()]);
      return `${VERSION}.${iv.toString("base64url")}.${data.toString("base64url")}`;
    },
    open<T>(key: string, sealed: string | undefined) {
      if (typeof sealed !== "string" || sealed.length > 65_536) return undefined;
      const [version, ivText, dataText, ...rest] = sealed.split(".");
      if (version !== VERSION || rest.length || !ivText || !dataText) return undefined;
      const iv = Buffer.from(ivText, "base64url");
      const data = Buffer.from(dataText, "base64url");
      if (iv.length !== 12 || data.length < 17) return undefined;
      try {
        const decipher = createDecipheriv("aes-256-gcm", sealKey, iv);
        decipher.setAAD(Buffer.from(`${VERSION}\n${key}`));
        decipher.setAuthTag(data.subarray(data.length - 16));
        const plain = Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]);
        return JSON.parse(plain.toString("utf8")) as T;
      } catch {
        return undefined;
      }
    },
  };
}

/** A random opaque token: `prefix` + 32 random bytes in base64url (256 bits; nothing in it can be read). */
export function randomToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}
