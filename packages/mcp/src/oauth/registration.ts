// Dynamic client registration (RFC 7591) for public clients: a host posts its name and redirect URIs and
// gets a client id. Redirect URIs must be https, or http on a loopback address (a native host's local
// listener, RFC 8252 §7.3); nothing else (no custom schemes, no fragments, no credentials in them). Every
// registration counts against a cap per window and a cap per registration lifetime, store-wide, so a
// caller without any key cannot fill the store or spend its time.
import { randomBytes } from "node:crypto";
import { isLoopbackName } from "./endpoints.js";
import type { GrantStore } from "./grant-store.js";
import { OAuthError } from "./http-io.js";
import type { ClientRecord } from "./records.js";

/** Limits of registration. */
export interface RegistrationLimits {
  /** Registrations in any minute, store-wide; default 30. */
  perMinute: number;
  /** Registrations in any registration lifetime, store-wide (so at most twice as many live at once); default 10 000. */
  perLifetime: number;
  /** How long a registration lives; default 30 days. */
  lifetimeMs: number;
}

const MAX_REDIRECT_URIS = 10;
const MAX_NAME = 200;
const invalid = (description: string) => new OAuthError(400, "invalid_client_metadata", description);

/** Checks one redirect URI; returns it unchanged (it is compared exactly later). */
export function checkRedirectUri(value: unknown): string {
  if (typeof value !== "string" || value.length > 2000) throw invalid("each redirect_uri must be a URL string");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new OAuthError(400, "invalid_redirect_uri", `${JSON.stringify(value.slice(0, 100))} is not a URL`);
  }
  const ok = url.protocol === "https:" || (url.protocol === "http:" && isLoopbackName(url.hostname));
  if (!ok)
    throw new OAuthError(400, "invalid_redirect_uri", "redirect URIs must be https, or http on a loopback address");
  if (url.hash || value.includes("#"))
    throw new OAuthError(400, "invalid_redirect_uri", "a redirect URI must not have a fragment");
  if (url.username || url.password)
    throw new OAuthError(400, "invalid_redirect_uri", "a redirect URI must not carry credentials");
  return value;
}

function checkList(metadata: Record<string, unknown>, name: string, allowed: readonly string[]) {
  const value = metadata[name];
  if (value === undefined) return;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || !allowed.includes(v)))
    throw invalid(`${name} may only hold ${allowed.join(", ")}`);
}

/** Registers a client from its metadata; returns the registration response (RFC 7591 §3.2.1). */
export async function registerClient(
  store: GrantStore,
  metadata: Record<string, unknown>,
  limits: RegistrationLimits,
  now: () => number = Date.now,
) {
  const uris = metadata.redirect_uris;
  if (!Array.isArray(uris) || uris.length === 0 || uris.length > MAX_REDIRECT_URIS)
    throw new OAuthError(400, "invalid_redirect_uri", `redirect_uris must list 1 to ${MAX_REDIRECT_URIS} URIs`);
  const redirectUris = uris.map(checkRedirectUri);
  const name = metadata.client_name ?? "an unnamed MCP host";
  if (typeof name !== "string" || name.length > MAX_NAME)
    throw invalid(`client_name must be a string of at most ${MAX_NAME} characters`);
  checkList(metadata, "grant_types", ["authorization_code", "refresh_token"]);
  checkList(metadata, "response_types", ["code"]);
  const method = metadata.token_endpoint_auth_method;
  if (method !== undefined && method !== "none" && typeof method !== "string")
    throw invalid("token_endpoint_auth_method must be a string");

  const busy = () =>
    new OAuthError(429, "temporarily_unavailable", "too many registrations; retry later", { "retry-after": "60" });
  if (!(await store.count("register-minute", limits.perMinute, 60_000))) throw busy();
  if (!(await store.count("register-lifetime", limits.perLifetime, limits.lifetimeMs))) throw busy();

  const clientId = `mcp_client_${randomBytes(16).toString("base64url")}`;
  const createdAt = now();
  await store.put("c", clientId, { name, redirectUris, createdAt } satisfies ClientRecord, limits.lifetimeMs);
  return {
    client_id: clientId,
    client_id_issued_at: Math.floor(createdAt / 1000),
    client_name: name,
    redirect_uris: redirectUris,
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    // public clients only: PKCE protects the code, and a host has nowhere safe to keep a secret of ours
    token_endpoint_auth_method: "none",
  };
}
