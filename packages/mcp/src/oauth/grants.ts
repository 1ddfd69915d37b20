// Codes, tokens and grants: the authorization-code exchange with PKCE S256, access tokens (opaque, stored
// only as keyed hashes), refresh tokens that rotate on every use, and revocation. A code or refresh token is
// taken from the store atomically, so using one twice (in any replica) fails; a spent one is remembered, and
// its reuse revokes the whole grant, since only a thief or a broken host replays it (OAuth 2.1 §4.3.1, BCP 240).
import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import type { Logger } from "@simcel/commands";
import type { GrantStore } from "./grant-store.js";
import { OAuthError } from "./http-io.js";
import type {
  AccessRecord,
  CodeRecord,
  GrantRecord,
  PendingRecord,
  RefreshRecord,
  SimcelCredential,
  VerifiedAccess,
} from "./records.js";
import { randomToken } from "./sealing.js";

/** Lifetimes, in ms. */
export interface GrantLifetimes {
  /** Authorization codes; at most 60 s. */
  codeMs: number;
  /** Access tokens; default 1 h. */
  accessMs: number;
  /** A grant (and so its refresh tokens) from the person's "Allow"; default 30 days. */
  grantMs: number;
}

export const ACCESS_TOKEN_PREFIX = "mcp_at_";
const REFRESH_TOKEN_PREFIX = "mcp_rt_";
const CODE_PREFIX = "mcp_ac_";
/** A spent code or refresh token is remembered this long, so its reuse is seen (and revokes its grant). */
const SPENT_MS = 24 * 3_600_000;

/** The token response of RFC 6749 §5.1. */
export interface TokenResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token: string;
  scope: string;
}

const invalidGrant = (description: string) => new OAuthError(400, "invalid_grant", description);

/** Whether `verifier` (RFC 7636 §4.1) hashes to `challenge` with S256, compared in constant time. */
export function pkceMatches(verifier: string, challenge: string): boolean {
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) return false;
  const computed = Buffer.from(createHash("sha256").update(verifier).digest("base64url"));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

/** What the grant operations share. */
interface GrantContext {
  store: GrantStore;
  lifetimes: GrantLifetimes;
  now: () => number;
  logger: Logger;
}

async function issueTokens(ctx: GrantContext, grantId: string, grant: GrantRecord): Promise<TokenResponse> {
  const { store, lifetimes, now } = ctx;
  const accessToken = randomToken(ACCESS_TOKEN_PREFIX);
  const refreshToken = randomToken(REFRESH_TOKEN_PREFIX);
  const accessMs = Math.min(lifetimes.accessMs, grant.expiresAt - now());
  if (accessMs <= 0) throw invalidGrant("the grant has expired: authorize again");
  const access: AccessRecord = {
    grantId,
    clientId: grant.clientId,
    resource: grant.resource,
    scopes: grant.scopes,
    expiresAt: now() + accessMs,
  };
  await store.put("at", accessToken, access, accessMs);
  await store.put(
    "rt",
    refreshToken,
    { grantId, clientId: grant.clientId } satisfies RefreshRecord,
    grant.expiresAt - now(),
  );
  return {
    access_token: accessToken,
    token_type: "Bearer",
    expires_in: Math.floor(accessMs / 1000),
    refresh_token: refreshToken,
    scope: grant.scopes.join(" "),
  };
}

/** Revokes a grant: its access tokens stop at their next use and its refresh token is refused. */
async function revokeGrant(ctx: GrantContext, grantId: string, why: string) {
  const { store, logger } = ctx;
  await store.delete("g", grantId);
  logger.info?.("OAuth grant revoked", { grantId, why });
}

/** `resource` (RFC 8707), when the host sends it, must name the resource the grant is for. */
function checkResource(resource: string | undefined, expected: string) {
  if (resource !== undefined && resource !== expected)
    throw new OAuthError(400, "invalid_target", `this server only issues tokens for ${expected}`);
}

export function createGrants(
  store: GrantStore,
  lifetimes: GrantLifetimes,
  now: () => number = Date.now,
  logger: Logger = {},
) {
  const ctx: GrantContext = { store, lifetimes, now, logger };
  return {
    /** A code for a pending request the person allowed (after SIMCEL took their credential). */
    async issueCode(pending: PendingRecord, credential: SimcelCredential, scopes: string[]): Promise<string> {
      const code = randomToken(CODE_PREFIX);
      const record: CodeRecord = {
        grantId: randomUUID(),
        clientId: pending.clientId,
        redirectUri: pending.redirectUri,
        codeChallenge: pending.codeChallenge,
        resource: pending.resource,
        credential,
        scopes,
        expiresAt: now() + lifetimes.codeMs,
      };
      await store.put("ac", code, record, lifetimes.codeMs);
      return code;
    },

    /** The authorization_code grant (RFC 6749 §4.1.3 with PKCE and RFC 8707). */
    async exchangeCode(params: Map<string, string>): Promise<TokenResponse> {
      const code = params.get("code");
      const verifier = params.get("code_verifier");
      const clientId = params.get("client_id");
      if (!code) throw new OAuthError(400, "invalid_request", "code is required");
      if (!clientId) throw new OAuthError(400, "invalid_request", "client_id is required (a public client)");
      if (!verifier) throw new OAuthError(400, "invalid_request", "code_verifier is required: PKCE S256 is mandatory");
      const record = await store.take<CodeRecord>("ac", code);
      if (!record) {
        const spentGrant = await store.get<string>("acx", code);
        if (spentGrant) await revokeGrant(ctx, spentGrant, "its code was used again");
        throw invalidGrant("the code is unknown, expired or already used");
      }
      await store.put("acx", code, record.grantId, SPENT_MS);
      if (record.expiresAt <= now()) throw invalidGrant("the code has expired (codes live 60 s): authorize again");
      if (record.clientId !== clientId) throw invalidGrant("the code was issued to another client");
      if (params.get("redirect_uri") !== record.redirectUri)
        throw invalidGrant("redirect_uri must be the one the authorization request used, exactly");
      if (!pkceMatches(verifier, record.codeChallenge))
        throw invalidGrant("code_verifier does not match the challenge");
      checkResource(params.get("resource"), record.resource);
      const grant: GrantRecord = {
        clientId,
        resource: record.resource,
        credential: record.credential,
        scopes: record.scopes,
        expiresAt: now() + lifetimes.grantMs,
      };
      await store.put("g", record.grantId, grant, lifetimes.grantMs);
      logger.info?.("OAuth grant made", { grantId: record.grantId, clientId, scopes: grant.scopes.join(" ") });
      return issueTokens(ctx, record.grantId, grant);
    },

    /** The refresh_token grant: the token is spent, a new pair is issued; a spent one revokes the grant. */
    async refresh(params: Map<string, string>): Promise<TokenResponse> {
      const token = params.get("refresh_token");
      const clientId = params.get("client_id");
      if (!token) throw new OAuthError(400, "invalid_request", "refresh_token is required");
      if (!clientId) throw new OAuthError(400, "invalid_request", "client_id is required (a public client)");
      const record = await store.take<RefreshRecord>("rt", token);
      if (!record) {
        const spentGrant = await store.get<string>("rtx", token);
        if (spentGrant) await revokeGrant(ctx, spentGrant, "a spent refresh token was presented again");
        throw invalidGrant(
          spentGrant
            ? "this refresh token was already used: the grant is revoked; authorize again"
            : "the refresh token is unknown, expired or revoked",
        );
      }
      await store.put("rtx", token, record.grantId, SPENT_MS);
      if (record.clientId !== clientId) throw invalidGrant("the refresh token was issued to another client");
      const grant = await store.get<GrantRecord>("g", record.grantId);
      if (!grant) throw invalidGrant("the grant was revoked: authorize again");
      checkResource(params.get("resource"), grant.resource);
      return issueTokens(ctx, record.grantId, grant);
    },

    /** RFC 7009: revokes the grant of an access or refresh token of `clientId`; unknown tokens are ignored. */
    async revoke(token: string, clientId: string | undefined): Promise<void> {
      const record =
        (await store.get<AccessRecord>("at", token)) ?? (await store.get<RefreshRecord>("rt", token)) ?? undefined;
      if (!record || (clientId !== undefined && record.clientId !== clientId)) return;
      await store.delete("at", token);
      await revokeGrant(ctx, record.grantId, "revocation request");
    },

    /** What a bearer stands for, when it is a live access token for `resource` of a live grant. */
    async verify(token: string, resource: string): Promise<VerifiedAccess | undefined> {
      const access = await store.get<AccessRecord>("at", token);
      if (!access || access.expiresAt <= now() || access.resource !== resource) return undefined;
      const grant = await store.get<GrantRecord>("g", access.grantId);
      if (!grant || grant.expiresAt <= now()) return undefined;
      return {
        grantId: access.grantId,
        clientId: access.clientId,
        scopes: access.scopes,
        expiresAt: access.expiresAt,
        credential: grant.credential,
      };
    },
  };
}

export type Grants = ReturnType<typeof createGrants>;
