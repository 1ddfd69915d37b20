// Discovery documents: the protected resource's metadata (RFC 9728), which names this server as the
// authorization server of `<public-url>/mcp`, and the authorization server's metadata (RFC 8414), with the
// endpoints, PKCE S256 only, public clients only, and the scopes (SIMCEL's read scopes, which the tools use).
import type { OAuthEndpoints } from "./endpoints.js";

/** The scopes a host may ask for: the SIMCEL scopes the tools use. */
export const SCOPES_SUPPORTED = ["insights:read", "plans:read"] as const;

export function protectedResourceMetadata(endpoints: OAuthEndpoints) {
  return {
    resource: endpoints.resource,
    authorization_servers: [endpoints.issuer],
    scopes_supported: [...SCOPES_SUPPORTED],
    bearer_methods_supported: ["header"],
    resource_name: "SIMCEL (simcel-mcp)",
  };
}

export function authorizationServerMetadata(endpoints: OAuthEndpoints) {
  return {
    issuer: endpoints.issuer,
    authorization_endpoint: endpoints.authorize,
    token_endpoint: endpoints.token,
    registration_endpoint: endpoints.register,
    revocation_endpoint: endpoints.revoke,
    scopes_supported: [...SCOPES_SUPPORTED],
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token"],
    token_endpoint_auth_methods_supported: ["none"],
    revocation_endpoint_auth_methods_supported: ["none"],
    code_challenge_methods_supported: ["S256"],
    authorization_response_iss_parameter_supported: true,
  };
}
