// The URLs of the authorization server, all under the public URL (`--public-url`, the origin users reach;
// on loopback without it, the address the process bound). The issuer is that origin; the resource it
// protects is `<origin>/mcp`.

/** The issuer, the resource and the endpoint URLs. */
export interface OAuthEndpoints {
  issuer: string;
  resource: string;
  /** `<issuer>/.well-known/oauth-protected-resource/mcp`: what a 401's `resource_metadata` names. */
  resourceMetadata: string;
  authorize: string;
  token: string;
  register: string;
  revoke: string;
}

/** The request paths of the endpoints. */
export const PATHS = {
  resourceMetadata: "/.well-known/oauth-protected-resource/mcp",
  resourceMetadataRoot: "/.well-known/oauth-protected-resource",
  serverMetadata: "/.well-known/oauth-authorization-server",
  authorize: "/oauth/authorize",
  token: "/oauth/token",
  register: "/oauth/register",
  revoke: "/oauth/revoke",
} as const;

/** Whether `hostname` is a loopback name or address. */
export function isLoopbackName(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return bare === "localhost" || /^127\.\d+\.\d+\.\d+$/.test(bare) || bare === "::1";
}

/**
 * The endpoints under `publicUrl`; throws a message to show when it is not an origin (https, or http on
 * loopback) with no path, query or credentials.
 */
export function oauthEndpoints(publicUrl: string): OAuthEndpoints {
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    throw new Error(`--public-url ${JSON.stringify(publicUrl)} is not a URL such as https://mcp.example.com`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackName(url.hostname)))
    throw new Error(`--public-url must be https (plain http only on loopback): got ${url.protocol}//${url.host}`);
  if (url.username || url.password || url.search || url.hash || (url.pathname !== "/" && url.pathname !== ""))
    throw new Error(`--public-url must be an origin only, such as https://mcp.example.com (no path, query or user)`);
  const issuer = url.origin;
  return {
    issuer,
    resource: `${issuer}/mcp`,
    resourceMetadata: `${issuer}${PATHS.resourceMetadata}`,
    authorize: `${issuer}${PATHS.authorize}`,
    token: `${issuer}${PATHS.token}`,
    register: `${issuer}${PATHS.register}`,
    revoke: `${issuer}${PATHS.revoke}`,
  };
}
