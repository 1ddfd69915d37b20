// The authorization endpoint. GET checks the request (client, exact redirect URI, PKCE S256, resource) and
// shows the consent page; each POST from that page passes three CSRF checks (the Origin is ours, the form's
// token equals the SameSite=Strict cookie's and the pending request's) before anything else. "Allow" signs in
// to SIMCEL with the credential typed on the page: a refusal shows SIMCEL's reason and issues no code (and is
// remembered for a minute, so retyping the same wrong key makes no SIMCEL request); a success shows the scopes
// the token carries, and "Continue" then issues the code and returns to the host.
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "@simcel/commands";
import { createKeyedHash } from "../tenant-pool.js";
import { consentBody, type PageContext, problemBody, sendPage, signedInBody } from "./consent-page.js";
import type { OAuthEndpoints } from "./endpoints.js";
import type { GrantStore } from "./grant-store.js";
import type { Grants } from "./grants.js";
import { OAuthError, readForm, uniqueParams } from "./http-io.js";
import { SCOPES_SUPPORTED } from "./metadata.js";
import type { ClientRecord, PendingRecord, SimcelCredential } from "./records.js";

/** Signs in to SIMCEL with a credential: resolves the scopes its token carries, or rejects with a reason to show. */
export type SignIn = (credential: SimcelCredential, signal: AbortSignal) => Promise<{ scopes: string[] }>;

/** SIMCEL refused the credential: `message` is safe to show (no secret in it). */
export class SignInRefused extends Error {}

export interface AuthorizeContext {
  store: GrantStore;
  grants: Grants;
  endpoints: OAuthEndpoints;
  signIn: SignIn;
  /** How long the person has between the page and "Continue"; default 10 min. */
  pendingMs: number;
  logger: Logger;
}

const COOKIE = "simcel_oauth_csrf";
const REFUSAL_MS = 60_000;
/** Credentials one page may have refused before it is spent. */
const MAX_REFUSED_PER_PAGE = 5;
const MAX_REFUSALS = 10_000;

const same = (a: string | undefined, b: string) =>
  a !== undefined && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}

/** The redirect back to the host with `params` (and `iss`, RFC 9207). */
function redirectTo(res: ServerResponse, redirectUri: string, params: Record<string, string | undefined>, iss: string) {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  url.searchParams.set("iss", iss);
  res.writeHead(303, { location: url.href, "cache-control": "no-store", "referrer-policy": "same-origin" });
  res.end();
}

/** What is wrong with an authorization request of a known host and redirect URI: an OAuth error and why, or nothing. */
function requestError(params: Map<string, string>, resource: string): [string, string] | undefined {
  if (params.get("response_type") !== "code") return ["unsupported_response_type", "response_type must be code"];
  const challenge = params.get("code_challenge");
  if (params.get("code_challenge_method") !== "S256" || !challenge || !/^[\w-]{43}$/.test(challenge))
    return ["invalid_request", "PKCE is required: code_challenge_method=S256 with a code_challenge (plain is refused)"];
  if ((params.get("resource") ?? resource) !== resource)
    return ["invalid_target", `this server only protects ${resource}`];
  const scope = params.get("scope");
  if (scope?.split(" ").some((s) => s && !(SCOPES_SUPPORTED as readonly string[]).includes(s)))
    return ["invalid_scope", `scopes supported: ${SCOPES_SUPPORTED.join(" ")}`];
  if ((params.get("state") ?? "").length > 2048) return ["invalid_request", "state is too long"];
  return undefined;
}

/** The credential typed on the page, or what to tell the person when it is not one. */
function credentialOf(form: Map<string, string>): SimcelCredential | string {
  const apiKey = form.get("api_key")?.trim();
  const id = form.get("simcel_client_id")?.trim();
  const secret = form.get("simcel_client_secret")?.trim();
  if (apiKey && (id || secret)) return "Enter either an API key, or a client ID and secret, not both.";
  if (apiKey) return { kind: "apiKey", apiKey };
  if (id && secret) return { kind: "client", clientId: id, clientSecret: secret };
  if (id || secret) return "Enter both the client ID and the client secret.";
  return "Enter a SIMCEL API key, or a client ID and secret.";
}

/**
 * Signs in, or says why not. A refusal is remembered for a minute by a keyed hash of the credential, so that
 * retyping the same wrong key makes no SIMCEL request (and junk cannot make SIMCEL count failures against a person).
 */
function createSignInGate(signIn: SignIn, logger: Logger) {
  const hash = createKeyedHash();
  const refusals = new Map<string, { reason: string; until: number }>();
  return async (credential: SimcelCredential): Promise<{ scopes: string[] } | string> => {
    const id = hash(
      credential.kind === "apiKey"
        ? `k\n${credential.apiKey}`
        : `c\n${credential.clientId}\n${credential.clientSecret}`,
    );
    const known = refusals.get(id);
    if (known && known.until > Date.now()) return known.reason;
    try {
      return await signIn(credential, AbortSignal.timeout(15_000));
    } catch (error) {
      if (!(error instanceof SignInRefused))
        return "SIMCEL could not be reached to check the credential; try again in a moment.";
      logger.info?.("OAuth sign-in refused by SIMCEL", { kind: credential.kind });
      if (refusals.size >= MAX_REFUSALS) refusals.delete(refusals.keys().next().value as string);
      refusals.set(id, { reason: error.message, until: Date.now() + REFUSAL_MS });
      return error.message;
    }
  };
}

export function createAuthorizeEndpoint(context: AuthorizeContext) {
  const { store, grants, endpoints, signIn, pendingMs, logger } = context;
  const secureCookie = endpoints.issuer.startsWith("https:");
  const trySignIn = createSignInGate(signIn, logger);

  function problem(res: ServerResponse, status: number, title: string, message: string) {
    sendPage(res, status, title, problemBody(title, message), { secureCookie });
  }

  /** GET: the request is checked, then shown; errors after the redirect URI is known go back to the host. */
  async function show(req: IncomingMessage, res: ServerResponse) {
    let params: Map<string, string>;
    try {
      params = uniqueParams(new URL(req.url ?? "/", endpoints.issuer).searchParams);
    } catch (error) {
      return problem(res, 400, "Bad authorization request", (error as Error).message);
    }
    const clientId = params.get("client_id") ?? "";
    const client = clientId ? await store.get<ClientRecord>("c", clientId) : undefined;
    if (!client)
      return problem(
        res,
        400,
        "Unknown MCP host",
        "This host is not registered here (or its registration expired): connect again from the host.",
      );
    const requested = params.get("redirect_uri");
    const redirectUri = requested ?? (client.redirectUris.length === 1 ? client.redirectUris[0] : undefined);
    if (!redirectUri || !client.redirectUris.includes(redirectUri))
      return problem(
        res,
        400,
        "Bad authorization request",
        "redirect_uri is not one this host registered (it must match exactly).",
      );
    const state = params.get("state");
    const refused = requestError(params, endpoints.resource);
    if (refused) {
      const [error, description] = refused;
      return redirectTo(res, redirectUri, { error, error_description: description, state }, endpoints.issuer);
    }
    const challenge = params.get("code_challenge") as string;
    const resource = params.get("resource") ?? endpoints.resource;

    const requestId = randomBytes(24).toString("base64url");
    const csrf = randomBytes(24).toString("base64url");
    const pending: PendingRecord = { clientId, redirectUri, state, codeChallenge: challenge, resource, csrf };
    await store.put("p", requestId, pending, pendingMs);
    const view = { clientName: client.name, redirectUri, requestId, csrf, action: endpoints.authorize };
    sendPage(res, 200, "Sign in to SIMCEL", consentBody(view), pageContext(redirectUri), {
      "set-cookie": `${COOKIE}=${csrf}; Path=/oauth/authorize; HttpOnly; SameSite=Strict${secureCookie ? "; Secure" : ""}; Max-Age=${Math.floor(pendingMs / 1000)}`,
    });
  }

  const pageContext = (redirectUri: string): PageContext => ({
    redirectOrigin: new URL(redirectUri).origin,
    secureCookie,
  });

  /** POST: one of the page's buttons. */
  async function submit(req: IncomingMessage, res: ServerResponse) {
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== endpoints.issuer)
      return problem(res, 403, "Refused", "This form may only be posted from this server's own page.");
    let form: Map<string, string>;
    try {
      form = await readForm(req);
    } catch (error) {
      return problem(res, error instanceof OAuthError ? error.status : 400, "Bad request", (error as Error).message);
    }
    const requestId = form.get("request") ?? "";
    const pending = requestId ? await store.get<PendingRecord>("p", requestId) : undefined;
    if (!pending)
      return problem(
        res,
        400,
        "This sign-in expired",
        "Start again from the MCP host: this page was used or is too old.",
      );
    const csrf = form.get("csrf");
    if (!same(csrf, pending.csrf) || !same(cookie(req, COOKIE), pending.csrf))
      return problem(res, 403, "Refused", "The form's CSRF check failed: open the sign-in again from the MCP host.");
    const decision = form.get("decision");
    const client = await store.get<ClientRecord>("c", pending.clientId);
    const clientName = client?.name ?? "an unnamed MCP host";
    const context = pageContext(pending.redirectUri);
    const view = {
      clientName,
      redirectUri: pending.redirectUri,
      requestId,
      csrf: pending.csrf,
      action: endpoints.authorize,
    };

    if (decision === "deny") {
      if (!(await store.take<PendingRecord>("p", requestId)))
        return problem(res, 400, "This sign-in expired", "Start again from the MCP host.");
      return redirectTo(
        res,
        pending.redirectUri,
        { error: "access_denied", error_description: "the person denied access", state: pending.state },
        endpoints.issuer,
      );
    }
    if (decision === "allow") {
      const credential = credentialOf(form);
      const outcome = typeof credential === "string" ? credential : await trySignIn(credential);
      if (typeof outcome === "string" || typeof credential === "string") {
        const refused = (pending.refused ?? 0) + (typeof credential === "string" ? 0 : 1);
        if (refused >= MAX_REFUSED_PER_PAGE) {
          await store.delete("p", requestId);
          return problem(res, 400, "Too many refused credentials", "Start again from the MCP host.");
        }
        await store.put("p", requestId, { ...pending, refused }, pendingMs);
        return sendPage(res, 400, "Sign in to SIMCEL", consentBody({ ...view, error: outcome as string }), context);
      }
      await store.put("p", requestId, { ...pending, signedIn: { credential, scopes: outcome.scopes } }, pendingMs);
      return sendPage(res, 200, "Signed in to SIMCEL", signedInBody({ ...view, scopes: outcome.scopes }), context);
    }
    if (decision === "continue") {
      const taken = await store.take<PendingRecord>("p", requestId);
      if (!taken?.signedIn) return problem(res, 400, "This sign-in expired", "Start again from the MCP host.");
      const code = await grants.issueCode(taken, taken.signedIn.credential, taken.signedIn.scopes);
      return redirectTo(res, taken.redirectUri, { code, state: taken.state }, endpoints.issuer);
    }
    return problem(res, 400, "Bad request", "Choose Allow or Deny.");
  }

  return { show, submit };
}
