import { registerSecret } from "@simcel/core";
import { SimcelAuthConfigError } from "./errors.js";
import type { Credential } from "./types.js";

/**
 * What a shared token store needs to know about a credential, beyond its `kind` and `baseUrl`: the secret
 * that seals its stored tokens, and what else makes its tokens differ from another credential's.
 */
export interface CredentialMaterial {
  /** The API key or client secret. Only key derivation sees it; it is never stored or shown. */
  secret: string;
  /** The OAuth2 client id (client-credentials kind). */
  clientId?: string | undefined;
  /** The scopes asked for; order and repeats do not matter. */
  scopes?: readonly string[] | undefined;
}

// Module-private: the secret is reachable only through the credential object AND this module, never
// as a property (a credential that is logged, spread or serialised shows nothing of it).
const materials = new WeakMap<Credential, Readonly<CredentialMaterial>>();

/**
 * Tells the token-store layer the secret and identity behind `credential`, so its tokens can be shared
 * through a store (sealed with a key derived from the secret). The built-in credential factories call
 * this; call it yourself for a credential of your own. Without it a credential does not use a store.
 */
export function rememberCredentialMaterial(credential: Credential, material: CredentialMaterial): void {
  // redactSecrets() removes it from anything printed, as it does the built-in credentials' secrets
  if (typeof material?.secret === "string") registerSecret(material.secret);
  keepCredentialMaterial(credential, material);
}

/** {@link rememberCredentialMaterial} without registering the secret for redaction (the caller decides when). */
export function keepCredentialMaterial(credential: Credential, material: CredentialMaterial): void {
  if (typeof material?.secret !== "string" || !material.secret)
    throw new SimcelAuthConfigError("secret", "a credential's secret is required to share its tokens");
  if (material.scopes !== undefined && !material.scopes.every((s) => typeof s === "string"))
    throw new SimcelAuthConfigError("scopes", "scopes must be strings");
  materials.set(
    credential,
    Object.freeze({
      secret: material.secret,
      clientId: material.clientId,
      scopes: material.scopes && Object.freeze([...new Set(material.scopes)].sort()),
    }),
  );
}

/** The material remembered for `credential`, if any. Internal to @simcel/auth. */
export function credentialMaterial(credential: Credential): Readonly<CredentialMaterial> | undefined {
  return materials.get(credential);
}
