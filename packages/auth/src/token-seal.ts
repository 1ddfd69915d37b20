// Sealing tokens for a shared store, with WebCrypto only (Node ≥ 20 and browsers alike).
//
// From the credential's secret, HKDF-SHA-256 derives two independent keys: an HMAC key that names the
// store entry (from the credential's identity: kind, base URL, client id, scopes) and an AES-256-GCM key
// that seals the token. The entry name and the identity are the GCM additional data, so a value moved to
// another entry (another base URL or scope set of the same secret) fails to open. Without the secret a
// reader of the store learns nothing (not even which client an entry belongs to) and cannot plant a token.
import type { CredentialMaterial } from "./credential-material.js";
import { b64token } from "./input-checks.js";
import type { AccessToken, CredentialKind } from "./types.js";

/** Seals and opens the tokens of one credential, and names its store entry. */
export interface TokenSeal {
  /** The store key of the credential's entry: base64url of an HMAC, 43 characters. */
  readonly key: string;
  /** The token as a store value: `s1.<iv>.<ciphertext+tag>` (base64url). */
  seal(token: AccessToken): Promise<string>;
  /** The token in `value`, or `undefined` if it is not a value this credential sealed for this entry. */
  open(value: string): Promise<AccessToken | undefined>;
}

const version = "s1";
const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Longer values are not ours: do not spend time decrypting them. */
const maxValueLength = 16_384;

export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[\w-]*$/.test(text)) return undefined;
  let binary: string;
  try {
    binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    return undefined;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** WebCrypto, or a clear reason why a store cannot be used here (e.g. a page served over plain http). */
function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error("WebCrypto (crypto.subtle) is not available here: it needs a secure context");
  return s;
}

/** Derives the seal of a credential's tokens. Async: WebCrypto key derivation is. */
export async function createTokenSeal(
  kind: CredentialKind,
  baseUrl: string,
  material: Readonly<CredentialMaterial>,
): Promise<TokenSeal> {
  const crypto = subtle();
  const identity = encoder.encode(
    JSON.stringify([version, kind, baseUrl, material.clientId ?? null, material.scopes ?? null]),
  );
  const base = await crypto.importKey("raw", encoder.encode(material.secret), "HKDF", false, ["deriveKey"]);
  const hkdf = (info: string) => ({
    name: "HKDF",
    hash: "SHA-256",
    salt: encoder.encode("simcel-token-store"),
    info: encoder.encode(`simcel-token-store ${version} ${info}`),
  });
  const nameKey = await crypto.deriveKey(hkdf("name"), base, { name: "HMAC", hash: "SHA-256", length: 256 }, false, [
    "sign",
  ]);
  const sealKey = await crypto.deriveKey(hkdf("seal"), base, { name: "AES-GCM", length: 256 }, false, [
    "encrypt",
    "decrypt",
  ]);
  const key = toBase64Url(new Uint8Array(await crypto.sign("HMAC", nameKey, identity)));
  const additionalData = new Uint8Array([...encoder.encode(`${version}\n${key}\n`), ...identity]);
  return {
    key,
    async seal({ token, expiresAt }) {
      const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
      const plain = encoder.encode(JSON.stringify({ t: token, e: expiresAt }));
      const sealed = await crypto.encrypt({ name: "AES-GCM", iv, additionalData }, sealKey, plain);
      return `${version}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(sealed))}`;
    },
    async open(value) {
      if (typeof value !== "string" || value.length > maxValueLength) return undefined;
      const [tag, ivText, dataText, ...rest] = value.split(".");
      if (tag !== version || rest.length > 0 || !ivText || !dataText) return undefined;
      const iv = fromBase64Url(ivText);
      const data = fromBase64Url(dataText);
      if (iv?.length !== 12 || !data) return undefined;
      let parsed: { t?: unknown; e?: unknown };
      try {
        parsed = JSON.parse(
          decoder.decode(await crypto.decrypt({ name: "AES-GCM", iv, additionalData }, sealKey, data)),
        );
      } catch {
        // wrong key, wrong entry, tampered: all the same to us
        return undefined;
      }
      const { t, e } = parsed ?? {};
      if (typeof t !== "string" || !b64token.test(t) || typeof e !== "number" || !(e > 0)) return undefined;
      return { token: t, tokenType: "Bearer", expiresAt: e };
    },
  };
}
