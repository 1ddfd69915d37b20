// Reads the claims of a JWT payload, for display (the CLI) and tool filtering (the MCP server) only. The
// signature is NOT verified: the token says what it says about itself; the API is what enforces it.

/** The claims `simcel token` shows and the MCP server filters its tools by. */
export interface TokenClaims {
  /** Space-separated scopes (`scope` claim, RFC 8693), or `scp` as an array or string. */
  scopes?: string[];
  /** Subject. */
  sub?: string;
  /** Expiry (`exp`), in epoch ms. */
  expiresAt?: number;
}

/** The claims of a JWT, or undefined when the token is not a JWT with a JSON payload. */
export function readTokenClaims(token: string): TokenClaims | undefined {
  const payload = token.split(".")[1];
  if (!payload || token.split(".").length !== 3) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof claims !== "object" || claims === null || Array.isArray(claims)) return undefined;
  const { scope, scp, sub, exp } = claims as Record<string, unknown>;
  const raw = scope ?? scp;
  const scopes = Array.isArray(raw)
    ? raw.filter((s): s is string => typeof s === "string")
    : typeof raw === "string"
      ? raw.split(" ").filter(Boolean)
      : undefined;
  return {
    ...(scopes ? { scopes } : {}),
    ...(typeof sub === "string" ? { sub } : {}),
    ...(typeof exp === "number" && Number.isFinite(exp) ? { expiresAt: exp * 1000 } : {}),
  };
}
