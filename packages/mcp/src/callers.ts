// Who a request of simcel-mcp --http is. Every request is first classified by its bearer, before its body is
// read and before any SIMCEL request:
//   - single-tenant mode: the environment's credential, behind SIMCEL_MCP_BEARER when one is set;
//   - multi-tenant mode: an OAuth access token this server issued (when a verifier is plugged in), else an API
//     key (each key its own tenant), else refused. Raw SIMCEL JWTs are refused: the server signs in itself.
import type { IncomingMessage } from "node:http";
import { SimcelTokenRequestError } from "@simcel/auth";
import { describeError, type Logger } from "@simcel/commands";
import type { Principal } from "./http-options.js";
import { challenge, EdgeRefusal } from "./refusal.js";
import type { Tenant } from "./tenant.js";
import { AdmissionRefused, createKeyedHash, type SignInOutcome, sameSecret, type TenantPool } from "./tenant-pool.js";

/** The longest bearer taken for an API key; anything longer is refused unread. */
const MAX_BEARER = 512;
const JWT_SHAPE = /^eyJ[\w-]*\.[\w-]+\.[\w-]*$/;

/** A request's caller once its bearer is classified. */
export interface Caller {
  readonly kind: "env" | "oauth" | "api-key";
  /** The id its sessions are bound to: "env", an OAuth principal's owner, or the keyed hash of an API key. */
  readonly owner: string;
  /** The API key (kind "api-key" only). */
  readonly bearer?: string;
  /** Its tenant; an API key's is made (or refreshed in the pool) only when asked for, once the request passed its checks. */
  tenant(): Tenant;
}

/** What {@link createCallerClassifier} needs. */
export interface CallerRules {
  /** Single-tenant mode: the environment's tenant. */
  envTenant?: Tenant | undefined;
  /** Single-tenant mode: the secret clients must send, if any. */
  sharedBearer?: string | undefined;
  /** Multi-tenant mode: the tenants by API key. */
  pool?: TenantPool | undefined;
  /** Multi-tenant mode: the verifier of this server's OAuth access tokens, if OAuth is on. */
  verifyAccessToken?: ((token: string) => Promise<Principal | undefined>) | undefined;
  logger: Logger;
}

/** The 401 for a key SIMCEL refused: it says nothing of the upstream (its URL, its status, its words). */
const refusedKey = () =>
  new EdgeRefusal(401, "sign-in failed: this API key was not accepted; check the key", challenge("invalid_token"));

/** The bearer of an `Authorization: Bearer <token>` header, if that is its form. */
export const bearerOf = (header: string | undefined) => /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? "")?.[1];

export function createCallerClassifier(rules: CallerRules) {
  const { envTenant, pool, verifyAccessToken, logger } = rules;
  // compared by keyed hash, so the comparison takes the same time whatever the bearer
  const hash = createKeyedHash();
  const sharedBearerHash = rules.sharedBearer && hash(rules.sharedBearer);

  function singleTenant(tenant: Tenant, bearer: string | undefined): Caller {
    const caller: Caller = { kind: "env", owner: "env", tenant: () => tenant };
    if (!sharedBearerHash) return caller;
    if (!bearer)
      throw new EdgeRefusal(401, "unauthorized: send the server's shared secret as Authorization: Bearer", challenge());
    if (!sameSecret(hash(bearer), sharedBearerHash))
      throw new EdgeRefusal(
        401,
        "unauthorized: the bearer is not this server's shared secret",
        challenge("invalid_token"),
      );
    return caller;
  }

  /** Who the request is; a 401 {@link EdgeRefusal} when it cannot be anyone. */
  async function classify(req: IncomingMessage): Promise<Caller> {
    const header = req.headers.authorization;
    const bearer = bearerOf(header);
    if (envTenant) return singleTenant(envTenant, bearer);
    if (!bearer)
      throw new EdgeRefusal(
        401,
        header
          ? "unauthorized: the Authorization header must be `Bearer <your SIMCEL API key>`"
          : "unauthorized: send your SIMCEL API key as Authorization: Bearer <key>",
        challenge(header ? "invalid_request" : undefined),
      );
    const principal = bearer.length <= MAX_BEARER && verifyAccessToken && (await verifyAccessToken(bearer));
    if (principal) return { kind: "oauth", owner: principal.owner, tenant: () => principal.tenant };
    if (bearer.length > MAX_BEARER || JWT_SHAPE.test(bearer))
      throw new EdgeRefusal(
        401,
        "unauthorized: send a SIMCEL API key (sk_…) as the bearer, not an access token: this server signs in with the key itself",
        challenge("invalid_token"),
      );
    const keys = pool as TenantPool;
    if (keys.refused(bearer)) throw refusedKey();
    return { kind: "api-key", owner: keys.idOf(bearer), bearer, tenant: () => keys.get(bearer).tenant };
  }

  /** A first sign-in's outcome: refused (400/401/403), or not (SIMCEL unreachable or rate limited is said per call). */
  async function signIn(tenant: Tenant): Promise<SignInOutcome> {
    try {
      await tenant.signIn(AbortSignal.timeout(15_000));
      return "accepted";
    } catch (error) {
      const status = error instanceof SimcelTokenRequestError ? error.status : undefined;
      if (status === 400 || status === 401 || status === 403) {
        // the operator's log says what SIMCEL answered; the caller, who may be anyone, learns nothing of the upstream
        logger.info?.("sign-in refused", { status });
        return "refused";
      }
      logger.warn?.("sign-in failed at session start", {
        error: tenant.redact(
          describeError(error, { where: "simcel-mcp", listPlans: "", baseUrlSetting: "SIMCEL_BASE_URL" }).message,
        ),
      });
      return "accepted";
    }
  }

  /**
   * A new session's first test for an API key not yet in the pool: one SIMCEL refuses gets 401 now (and is
   * remembered), not an error per call; a known key passes at once.
   */
  async function checkSignIn(caller: Caller): Promise<void> {
    if (caller.kind !== "api-key" || !pool || !caller.bearer || pool.has(caller.bearer)) return;
    try {
      await pool.admit(caller.bearer, signIn);
    } catch (error) {
      if (!(error instanceof AdmissionRefused)) throw error;
      if (error.reason === "refused") throw refusedKey();
      throw new EdgeRefusal(503, "too many new keys signing in at once; retry later", { "retry-after": "1" });
    }
  }

  return { classify, checkSignIn };
}
