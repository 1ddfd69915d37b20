// Sign-in: one token request through a token cache (which the API calls then reuse), how it went, the token's
// lifetime and scopes, and the token answer held against the spec (read leniently by the SDK, so nothing here
// fails a call).
import type { EnvCredential, TokenCache } from "@simcel/auth";
import { readTokenClaims, tokenOperations, tokenShapes } from "@simcel/commands";
import { checkResponse, type Shape } from "@simcel/insights";
import { type Diagnosis, describe } from "./diagnosis.js";

/** The sign-in's outcome: true when a token was had; on false, `report.signIn.error` says why. */
export async function checkSignIn(d: Diagnosis, credential: EnvCredential, cache: TokenCache): Promise<boolean> {
  const { report, watch, input } = d;
  const startedEpoch = Date.now();
  const started = input.now();
  let token: Awaited<ReturnType<TokenCache["getToken"]>>;
  try {
    token = await cache.getToken();
  } catch (error) {
    const exchange = watch.exchanges.at(-1);
    report.signIn = {
      endpoint: exchange ? `${exchange.method} ${exchange.url.origin}${exchange.url.pathname}` : null,
      status: exchange?.status ?? null,
      latencyMs: Math.round(input.now() - started),
      expiresIn: null,
      tokenType: null,
      scopes: null,
      error: describe(error, credential.baseUrl),
    };
    return false;
  }
  const exchange = credential.kind === "static" ? undefined : watch.exchanges.at(-1);
  const claims = readTokenClaims(token.token);
  // an expiry the SDK measured is on the local clock; a JWT's own `exp` is the issuer's time, read on the
  // doctor's clock (the one its skew check uses)
  const measured = Number.isFinite(token.expiresAt);
  const expiresAt = measured ? token.expiresAt : claims?.expiresAt;
  report.signIn = {
    endpoint: exchange ? `${exchange.method} ${exchange.url.origin}${exchange.url.pathname}` : null,
    status: exchange?.status ?? null,
    latencyMs: exchange ? Math.round(input.now() - started) : null,
    expiresIn: expiresAt === undefined ? null : Math.floor((expiresAt - (measured ? startedEpoch : started)) / 1000),
    tokenType: token.tokenType,
    scopes: claims?.scopes ?? null,
  };
  if (credential.kind === "static")
    d.find(
      "note",
      "SIMCEL_TOKEN holds a token already issued: the sign-in itself (API key or client credentials) was not tried",
    );
  const tokenOperation = Object.entries(tokenOperations).find(([, op]) => exchange?.url.pathname.endsWith(op.path));
  if (tokenOperation && exchange?.body !== undefined)
    d.differences.response(
      tokenOperation[0],
      checkResponse(tokenOperation[1].response as Shape, exchange.body, tokenShapes as Record<string, Shape>),
      false,
    );
  return true;
}
