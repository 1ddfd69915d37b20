// The seal of a credential's stored tokens: derived once from its secret; without WebCrypto the store is not used,
// and that is said once.
import { callHook, log } from "@simcel/core";
import type { CredentialMaterial } from "./credential-material.js";
import { reasonOf } from "./store-calls.js";
import type { StoreSettings } from "./store-options.js";
import { createTokenSeal, type TokenSeal } from "./token-seal.js";
import { TokenStoreError } from "./token-store.js";
import type { CredentialKind } from "./types.js";

/** The credential's seal, derived on first use; undefined when there is no material or no WebCrypto. */
export function sealOnce(
  kind: CredentialKind,
  baseUrl: string,
  material: CredentialMaterial | undefined,
  { logger, hooks }: StoreSettings,
): () => Promise<TokenSeal | undefined> {
  let sealing: Promise<TokenSeal | undefined> | undefined;
  return () =>
    (sealing ??= material
      ? createTokenSeal(kind, baseUrl, material).catch((cause) => {
          const error = new TokenStoreError("cannot seal tokens here, the store is not used", {
            operation: "seal",
            cause,
          });
          log(logger, "warn", "cannot seal tokens here (no WebCrypto), the token store is not used", {
            reason: reasonOf(cause),
          });
          callHook(hooks?.onStoreError, { operation: "seal", error });
          return undefined;
        })
      : Promise.resolve(undefined));
}
