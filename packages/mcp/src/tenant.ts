// A tenant: one SIMCEL credential and everything the tools need to call the API with it — a token
// cache, the auth middleware over it, an insights client, the scopes its token carries and a bound on
// its concurrent tool calls. stdio and single-tenant HTTP have one, from the server's environment;
// multi-tenant HTTP has one per API key (see tenant-pool.ts). The tools never know which.
import {
  type Credential,
  createApiKeyCredential,
  createAuthMiddleware,
  createClientCredentials,
  createRedactor,
  createTokenCache,
  credentialFromEnv,
  redactValue,
  type TokenCache,
  type TokenStore,
} from "@simcel/auth";
import { fieldsJson, LOG_LEVELS, type Logger, readTokenClaims } from "@simcel/commands";
import { createInsightsClient, defaultBaseUrl, type InsightsClient } from "@simcel/insights";

/** Where a tenant's credential came from: it decides what a configuration error tells the person to change. */
export type TenantSource = "env" | "bearer";

/** One credential's API access, shared by every session and call made with it. */
export interface Tenant {
  readonly source: TenantSource;
  /** The API base URL in use. */
  readonly baseUrl: string;
  /** The client, or `undefined` when the credential could not be built (then {@link setupError} says why). */
  readonly client: InsightsClient | undefined;
  readonly setupError: unknown;
  /**
   * `text` without this tenant's own secret (its API key), whatever the process-wide redaction list still holds,
   * and without anything that list knows. Run on everything this tenant's caller or the log is shown.
   */
  redact(text: string): string;
  /**
   * The scopes of the credential's token when they can be read from it (a JWT with a `scope` or `scp`
   * claim); `undefined` when unknown. Signs in if no token is cached yet, waiting at most `waitMs`.
   */
  scopes(signal?: AbortSignal): Promise<readonly string[] | undefined>;
  /** Signs in (or returns the cached token's expiry): rejects with the token request's error. */
  signIn(signal?: AbortSignal): Promise<void>;
  /** Takes a slot for one tool call; `undefined` when the limit of concurrent calls is reached. */
  acquireCall(): (() => void) | undefined;
  /** Tool calls running now. */
  readonly callsInFlight: number;
  /** The most tool calls it runs at once (Infinity: no limit). */
  readonly maxCallsInFlight: number;
  /** Stops the token cache and the client (calls in flight are aborted). */
  close(): Promise<void>;
}

/** Options of the tenant factories. */
export interface TenantOptions {
  /** Where the tenant's SDK log lines go (the auth middleware, the token cache, the insights client). */
  logger: Logger;
  /** A token store shared with other processes (Redis, a directory); default none. */
  store?: TokenStore | undefined;
  /** Concurrent tool calls allowed for this credential; default unlimited. */
  maxCallsInFlight?: number | undefined;
  /** How long `scopes()` waits for a sign-in before answering "unknown"; default 5000 ms. */
  scopesWaitMs?: number | undefined;
}

/** `base` with this tenant's secrets redacted from every message and field (fields as the log line shows them). */
function redactingLogger(base: Logger, redact: (text: string) => string): Logger {
  const logger: Logger = {};
  for (const level of LOG_LEVELS)
    logger[level] = (message, fields) =>
      base[level]?.(redact(message), fields && redactValue(JSON.parse(fieldsJson(fields)), redact));
  return logger;
}

function tenantOf(
  source: TenantSource,
  baseUrl: string,
  build: () => Credential,
  secrets: readonly string[],
  options: TenantOptions,
): Tenant {
  const { store, maxCallsInFlight = Infinity, scopesWaitMs = 5000 } = options;
  const redact = createRedactor(secrets);
  const logger = redactingLogger(options.logger, redact);
  let cache: TokenCache | undefined;
  let auth: ReturnType<typeof createAuthMiddleware> | undefined;
  let client: InsightsClient | undefined;
  let setupError: unknown;
  try {
    const credential = build();
    baseUrl = credential.baseUrl;
    cache = createTokenCache(credential, { logger, ...(store && { store }) });
    auth = createAuthMiddleware({ cache, logger });
    client = createInsightsClient({
      baseUrl,
      middleware: [auth],
      // An agent should hear "rate limited, retry in N s" at once rather than wait in a tool call that
      // its host may time out (60 s is common); transient faults come back as tool errors it can retry.
      maxRetries: 0,
      logger,
    });
  } catch (error) {
    setupError = error;
  }
  let inFlight = 0;
  return {
    source,
    get baseUrl() {
      return baseUrl;
    },
    client,
    setupError,
    redact,
    async scopes(signal) {
      if (!cache) return undefined;
      try {
        const wait = AbortSignal.timeout(scopesWaitMs);
        const { token } = await cache.getToken({ signal: signal ? AbortSignal.any([signal, wait]) : wait });
        // unverified: the scopes only decide which tools to show, never what the API allows
        return readTokenClaims(token)?.scopes;
      } catch {
        return undefined;
      }
    },
    async signIn(signal) {
      if (!cache) throw setupError;
      await cache.getToken(signal ? { signal } : {});
    },
    acquireCall() {
      if (inFlight >= maxCallsInFlight) return undefined;
      inFlight++;
      let released = false;
      return () => {
        if (!released) inFlight--;
        released = true;
      };
    },
    get callsInFlight() {
      return inFlight;
    },
    maxCallsInFlight,
    async close() {
      await client?.close();
      await auth?.close();
      await cache?.close();
      await cache?.credential.close?.();
    },
  };
}

/** The tenant of the server's own environment (`SIMCEL_API_KEY`, … as `credentialFromEnv` reads them). */
export function createEnvTenant(env: Readonly<Record<string, string | undefined>>, options: TenantOptions): Tenant {
  const baseUrl = env.SIMCEL_BASE_URL?.trim() || defaultBaseUrl;
  const secrets = [env.SIMCEL_API_KEY, env.SIMCEL_CLIENT_SECRET, env.SIMCEL_TOKEN].map((v) => v?.trim() ?? "");
  return tenantOf("env", baseUrl, () => credentialFromEnv(env), secrets, options);
}

/** The tenant of one API key a client presented as its bearer. */
export function createKeyTenant(apiKey: string, baseUrl: string, options: TenantOptions): Tenant {
  // the key is a stranger's until SIMCEL accepts it: only then may it join the process-wide redaction list
  return tenantOf(
    "bearer",
    baseUrl,
    () => createApiKeyCredential({ apiKey, baseUrl, registerKey: "accepted" }),
    [apiKey],
    options,
  );
}

/** The tenant of OAuth client credentials a person signed in with on the authorization page. */
export function createClientTenant(
  clientId: string,
  clientSecret: string,
  baseUrl: string,
  options: TenantOptions,
): Tenant {
  return tenantOf(
    "bearer",
    baseUrl,
    () => createClientCredentials({ clientId, clientSecret, baseUrl, registerKey: "accepted" }),
    [clientSecret],
    options,
  );
}
