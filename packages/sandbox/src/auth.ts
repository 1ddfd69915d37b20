// Who may call: API keys and OAuth2 clients the test creates, each with its scopes; JWT-shaped tokens that
// carry those scopes and really expire; revocation; and a per-credential rate limit.
import { createHmac, randomBytes } from "node:crypto";
import { SimcelSandboxError } from "./errors.js";
import { scopes as SPEC_SCOPES } from "./generated/operations.js";
import { derive, seeded, token } from "./random.js";

/** A scope of the spec: `insights:read`, `plans:read` or `admin` (which grants every other). */
export type Scope = (typeof SPEC_SCOPES)[number];

/**
 * At most `requests` calls per credential in each window of `windowS` seconds; more get 429 + Retry-After. API
 * calls and sign-ins (token requests) are counted apart, each against this limit.
 */
export interface RateLimit {
  requests: number;
  windowS: number;
}

/** A credential the sandbox knows: an API key or an OAuth2 client. */
interface Principal {
  /** `key_…` or the client id: the token's `sub`. */
  subject: string;
  scopes: Scope[];
  rateLimit: RateLimit | undefined;
  revoked: boolean;
  /** The secret, for the echo faults (`apiKey` or `clientSecret`). */
  apiKey?: string;
  clientId?: string;
  clientSecret?: string;
  /** The current rate-limit window of each kind of call. */
  windows: Record<CallKind, { start: number; count: number }>;
}

/** What a rate limit counts: API calls, or sign-ins (token requests). */
export type CallKind = "api" | "signIn";
const freshWindows = (): Principal["windows"] => ({ api: { start: 0, count: 0 }, signIn: { start: 0, count: 0 } });

/** What a valid bearer stands for. */
export interface Bearer {
  principal: Principal;
  scopes: Scope[];
}

export const DEFAULT_SCOPES: Scope[] = ["insights:read", "plans:read"];

function checkScopes(scopes: readonly string[], where: string): Scope[] {
  for (const scope of scopes)
    if (!(SPEC_SCOPES as readonly string[]).includes(scope))
      throw new SimcelSandboxError(`${where}: unknown scope "${scope}"; the spec's scopes: ${SPEC_SCOPES.join(", ")}`);
  return [...new Set(scopes)] as Scope[];
}

export function checkRateLimit(limit: RateLimit | false | undefined, where: string): RateLimit | undefined {
  if (limit === undefined || limit === false) return undefined;
  if (!(Number.isInteger(limit.requests) && limit.requests > 0 && limit.windowS > 0))
    throw new SimcelSandboxError(
      `${where}: rateLimit must be { requests: a whole number > 0, windowS: seconds > 0 }, got ${JSON.stringify(limit)}`,
    );
  return { requests: limit.requests, windowS: limit.windowS };
}

/** The credentials and tokens of one sandbox. */
export class Auth {
  private readonly keys = new Map<string, Principal>();
  private readonly clients = new Map<string, Principal>();
  private readonly tokens = new Map<
    string,
    { principal: Principal; scopes: Scope[]; expiresAt: number; jti: number }
  >();
  private readonly secret = randomBytes(32);
  private readonly ids;
  private issued = 0;
  private revokedUpTo = 0;

  constructor(
    seed: number,
    private readonly now: () => number,
    private readonly lifetimeS: number,
    private readonly defaultLimit: RateLimit | undefined,
  ) {
    // keys and client secrets follow from the seed too: the bin's key is the same after a restart
    this.ids = seeded(derive(seed, "keys"));
  }

  createApiKey(
    options: {
      scopes?: readonly string[] | undefined;
      key?: string | undefined;
      rateLimit?: RateLimit | false | undefined;
    } = {},
  ): string {
    const scopes = checkScopes(options.scopes ?? DEFAULT_SCOPES, "createApiKey");
    const key = options.key ?? `sk_test_FAKE_${token(this.ids, 24)}`;
    if (typeof key !== "string" || key.length === 0)
      throw new SimcelSandboxError("createApiKey: key must be a non-empty string");
    if (this.keys.has(key)) throw new SimcelSandboxError("createApiKey: that key already exists in this sandbox");
    this.keys.set(key, {
      subject: `key_${this.keys.size + 1}`,
      scopes,
      rateLimit:
        options.rateLimit === undefined ? this.defaultLimit : checkRateLimit(options.rateLimit, "createApiKey"),
      revoked: false,
      apiKey: key,
      windows: freshWindows(),
    });
    return key;
  }

  createClient(
    options: {
      scopes?: readonly string[] | undefined;
      clientId?: string | undefined;
      clientSecret?: string | undefined;
      rateLimit?: RateLimit | false | undefined;
    } = {},
  ): { clientId: string; clientSecret: string } {
    const scopes = checkScopes(options.scopes ?? DEFAULT_SCOPES, "createClient");
    const clientId = options.clientId ?? `cli_${token(this.ids, 10)}`;
    const clientSecret = options.clientSecret ?? `FAKE_${token(this.ids, 32)}`;
    if (!clientId || !clientSecret)
      throw new SimcelSandboxError("createClient: clientId and clientSecret must be non-empty strings");
    if (this.clients.has(clientId)) throw new SimcelSandboxError(`createClient: client ${clientId} already exists`);
    this.clients.set(clientId, {
      subject: clientId,
      scopes,
      rateLimit:
        options.rateLimit === undefined ? this.defaultLimit : checkRateLimit(options.rateLimit, "createClient"),
      revoked: false,
      clientId,
      clientSecret,
      windows: freshWindows(),
    });
    return { clientId, clientSecret };
  }

  /** Refuses `key` from now on (its exchange gets 401, so do tokens already issued for it). */
  revokeApiKey(key: string): boolean {
    const principal = this.keys.get(key);
    if (principal) principal.revoked = true;
    return principal !== undefined;
  }

  /** Every token issued so far answers 401 from now on; returns how many were issued. */
  revokeTokens(): number {
    this.revokedUpTo = this.issued;
    return this.issued;
  }

  /** The key's principal, unless unknown or revoked. */
  apiKey(key: string): Principal | undefined {
    const p = this.keys.get(key);
    return p && !p.revoked ? p : undefined;
  }

  /** The client named `clientId`, unless unknown or revoked, whatever secret was sent (a sign-in counts against it). */
  clientNamed(clientId: string): Principal | undefined {
    const p = this.clients.get(clientId);
    return p && !p.revoked ? p : undefined;
  }

  /** The client's principal when id and secret match. */
  client(clientId: string, clientSecret: string): Principal | undefined {
    const p = this.clients.get(clientId);
    return p && !p.revoked && p.clientSecret === clientSecret ? p : undefined;
  }

  /**
   * A JWT-shaped token carrying `scopes` and the principal as `sub`, expiring after the sandbox's token lifetime.
   * Its signature part starts with FAKE, the marker of every test secret: a leak check can find it anywhere.
   */
  issue(principal: Principal, scopes: Scope[]): { accessToken: string; expiresIn: number } {
    const jti = ++this.issued;
    const now = this.now();
    const iat = now / 1000;
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const head = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({
      iss: "simcel-sandbox",
      sub: principal.subject,
      scope: scopes.join(" "),
      iat: Math.floor(iat),
      exp: Math.floor(iat) + this.lifetimeS,
      jti,
    })}`;
    const signature = createHmac("sha256", this.secret).update(head).digest("base64url");
    const accessToken = `${head}.FAKE${signature}`;
    this.tokens.set(accessToken, { principal, scopes, expiresAt: now + this.lifetimeS * 1000, jti });
    if (this.tokens.size > 10_000) this.prune(now);
    // the spec's expiresIn is a whole number of seconds; a shorter test lifetime still ends when it says
    return { accessToken, expiresIn: Math.max(1, Math.ceil(this.lifetimeS)) };
  }

  /** What `token` stands for, unless unknown, expired, revoked, or its credential was revoked. */
  verify(token: string | undefined): Bearer | undefined {
    const found = token === undefined ? undefined : this.tokens.get(token);
    if (!found || found.jti <= this.revokedUpTo || found.principal.revoked || found.expiresAt <= this.now())
      return undefined;
    return { principal: found.principal, scopes: found.scopes };
  }

  /** Counts one call of `kind` against the principal's rate limit; the seconds to wait when over it, else undefined. */
  overLimit(principal: Principal, kind: CallKind = "api"): number | undefined {
    const limit = principal.rateLimit;
    if (!limit) return undefined;
    const now = this.now();
    const w = principal.windows[kind];
    if (now - w.start >= limit.windowS * 1000) {
      w.start = now;
      w.count = 0;
    }
    w.count++;
    return w.count > limit.requests ? Math.max(1, Math.ceil((w.start + limit.windowS * 1000 - now) / 1000)) : undefined;
  }

  private prune(now: number) {
    for (const [t, entry] of this.tokens)
      if (entry.expiresAt <= now || entry.jti <= this.revokedUpTo) this.tokens.delete(t);
  }
}

/** Whether `scopes` grant `needed` (`admin` grants everything). */
export const grants = (scopes: readonly Scope[], needed: string) =>
  scopes.includes(needed as Scope) || scopes.includes("admin");

/** The requested scope string checked against the client's scopes: the scopes to grant, or why not. */
export function requestedScopes(requested: string | null, granted: readonly Scope[]): Scope[] | string {
  if (requested === null || requested.trim() === "") return [...granted];
  const asked = requested.split(" ").filter(Boolean);
  for (const scope of asked) {
    if (!(SPEC_SCOPES as readonly string[]).includes(scope)) return `unknown scope ${scope}`;
    if (!grants(granted, scope)) return `scope ${scope} is not granted to this client`;
  }
  return [...new Set(asked)] as Scope[];
}
