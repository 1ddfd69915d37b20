// What the OAuth records hold, sealed, in the grant store. Kinds (the store key's middle part):
// c client · p pending sign-in · ac code · acx spent code · g grant · at access token · rt refresh token ·
// rtx spent refresh token. Tokens and codes are never store keys themselves: the sealer names each record
// by an HMAC of its id under the server secret.

/** The SIMCEL credential the person signed in with on the page. Only ever stored sealed. */
export type SimcelCredential =
  | { kind: "apiKey"; apiKey: string }
  | { kind: "client"; clientId: string; clientSecret: string };

/** A host registered by RFC 7591. */
export interface ClientRecord {
  name: string;
  redirectUris: string[];
  createdAt: number;
}

/** An authorization request checked and shown to the person; `signedIn` once SIMCEL took the credential. */
export interface PendingRecord {
  clientId: string;
  redirectUri: string;
  state: string | undefined;
  codeChallenge: string;
  resource: string;
  csrf: string;
  /** Credentials SIMCEL refused on this page so far (capped: the page is no oracle for guessing keys). */
  refused?: number | undefined;
  signedIn?: { credential: SimcelCredential; scopes: string[] } | undefined;
}

/** An authorization code's grant, before the host exchanges it. */
export interface CodeRecord {
  grantId: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  resource: string;
  credential: SimcelCredential;
  scopes: string[];
  /** Epoch ms: the code is refused from then on, whatever the store's own expiry does. */
  expiresAt: number;
}

/** What the person allowed a host: alive until revoked, refresh-token reuse, or its fixed lifetime ends. */
export interface GrantRecord {
  clientId: string;
  resource: string;
  credential: SimcelCredential;
  scopes: string[];
  expiresAt: number;
}

/** An access token's record: the grant it belongs to and when it ends. */
export interface AccessRecord {
  grantId: string;
  clientId: string;
  resource: string;
  scopes: string[];
  expiresAt: number;
}

/** A refresh token's record (single use: taken when used). */
export interface RefreshRecord {
  grantId: string;
  clientId: string;
}

/** What a valid access token stands for, as the MCP edge receives it. */
export interface VerifiedAccess {
  grantId: string;
  clientId: string;
  scopes: string[];
  /** Epoch ms. */
  expiresAt: number;
  credential: SimcelCredential;
}
