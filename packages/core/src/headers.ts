/**
 * Set by @simcel/auth's middleware on a 401 answered to a token it had just obtained, so a client can tell
 * "this token expired" from "this credential is refused" (a revoked key, another environment's key).
 */
export const TOKEN_REFUSED_HEADER = "x-simcel-token-refused";
