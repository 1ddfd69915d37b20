// Signing in to SIMCEL with the credential typed on the consent page, through @simcel/auth exactly as the
// tools do: one token request, the scopes read from the token (unverified: they only tell the person what
// the host will be able to do; SIMCEL enforces them). A refusal becomes SIMCEL's reason, with the
// credential cut out of it should SIMCEL echo it.
import { createApiKeyCredential, createClientCredentials, SimcelTokenRequestError } from "@simcel/auth";
import { readTokenClaims } from "@simcel/commands";
import { type SignIn, SignInRefused } from "./authorize.js";
import type { SimcelCredential } from "./records.js";

/** The sign-in against SIMCEL at `baseUrl`. */
export function simcelSignIn(baseUrl: string): SignIn {
  return async (credential: SimcelCredential, signal: AbortSignal) => {
    const made =
      credential.kind === "apiKey"
        ? createApiKeyCredential({ apiKey: credential.apiKey, baseUrl, registerKey: "accepted" })
        : createClientCredentials({
            clientId: credential.clientId,
            clientSecret: credential.clientSecret,
            baseUrl,
            registerKey: "accepted",
          });
    const secrets = credential.kind === "apiKey" ? [credential.apiKey] : [credential.clientId, credential.clientSecret];
    try {
      const { token } = await made.getToken({ signal });
      return { scopes: readTokenClaims(token)?.scopes ?? [] };
    } catch (error) {
      if (
        error instanceof SimcelTokenRequestError &&
        error.status !== undefined &&
        error.status < 500 &&
        error.status !== 429
      ) {
        let said = error.serverMessage || error.reason || "no reason given";
        for (const secret of secrets) said = said.split(secret).join("[the credential]");
        const what = credential.kind === "apiKey" ? "this API key" : "these client credentials";
        throw new SignInRefused(`SIMCEL refused ${what} (HTTP ${error.status}): ${said}`);
      }
      throw error;
    } finally {
      await made.close?.();
    }
  };
}
