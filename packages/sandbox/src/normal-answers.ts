// The answer of each route when no fault replaces it: the two sign-ins (token issued, or the spec's refusal) and
// the insights reads (bearer, rate limit and scope checked, then the plans or a data body, cached by request),
// each with the drifts installed for it applied. Also what an `echo` fault may quote of a request.
import type { Scope } from "./auth.js";
import { grants, requestedScopes } from "./auth.js";
import { applyDrifts, undotted } from "./drifts.js";
import { ApiRefusal, messages, type OperationId } from "./errors.js";
import type { EchoSource, Fault } from "./faults.js";
import { operations, tokenExample } from "./generated/operations.js";
import { isDataOperation, readQuery } from "./requests.js";
import { type Answer, json, notFound, refusal } from "./responder.js";
import type { SandboxState } from "./state.js";

const CACHE_SIZE = 256;

const rateLimited = (waitS: number) =>
  refusal(new ApiRefusal(429, messages.rateLimited(), { "retry-after": String(waitS) }));

const driftsOf = (modifiers: Fault[]) => modifiers.flatMap((m) => (m.kind === "drift" ? [m.drift] : []));

/** The normal answer of a token route. */
export function tokenAnswer(state: SandboxState, operation: OperationId, body: string, modifiers: Fault[]): Answer {
  const { auth } = state;
  let principal: ReturnType<typeof auth.apiKey>;
  let scopes: Scope[];
  if (operation === "exchangeApiKey") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {}
    const key = (parsed as { apiKey?: unknown } | null | undefined)?.apiKey;
    if (typeof key !== "string" || key === "") return refusal(new ApiRefusal(400, messages.apiKeyRequired()));
    principal = auth.apiKey(key);
    if (!principal) return refusal(new ApiRefusal(401, messages.invalidApiKey()));
    const waitS = auth.overLimit(principal, "signIn");
    if (waitS !== undefined) return rateLimited(waitS);
    scopes = principal.scopes;
  } else {
    const form = new URLSearchParams(body);
    if (form.get("grant_type") !== "client_credentials") return refusal(new ApiRefusal(400, messages.grantType()));
    const id = form.get("client_id");
    const secret = form.get("client_secret");
    if (!id || !secret) return refusal(new ApiRefusal(400, "client_id and client_secret are required"));
    // a known client's sign-ins count whatever secret they carry: guessing a secret is rate limited too
    const named = auth.clientNamed(id);
    const waitS = named && auth.overLimit(named, "signIn");
    if (waitS !== undefined) return rateLimited(waitS);
    principal = auth.client(id, secret);
    if (!principal) return refusal(new ApiRefusal(401, messages.invalidClient()));
    const granted = requestedScopes(form.get("scope"), principal.scopes);
    if (typeof granted === "string") return refusal(new ApiRefusal(400, granted));
    scopes = granted;
  }
  const issued = auth.issue(principal, scopes);
  state.counts.tokensIssued++;
  if (state.record) state.issuedTokens.push(issued.accessToken);
  let answer: Record<string, unknown> = { ...tokenExample, ...issued };
  for (const m of modifiers) if (m.kind === "tokenBody") answer = { ...answer, ...m.patch };
  applyDrifts(operation, answer, driftsOf(modifiers));
  return json(200, answer);
}

/** The normal answer of an insights route. */
export function apiAnswer(
  state: SandboxState,
  operation: OperationId,
  url: URL,
  token: string | undefined,
  modifiers: Fault[],
): Answer {
  const { auth } = state;
  const bearer = auth.verify(token);
  if (!bearer) return refusal(new ApiRefusal(401, messages.unauthorized()));
  const waitS = auth.overLimit(bearer.principal, "api");
  if (waitS !== undefined) return rateLimited(waitS);
  const scope = (operations[operation] as { scope?: string }).scope;
  if (scope && !grants(bearer.scopes, scope)) return refusal(new ApiRefusal(403, messages.missingScope(scope)));
  const drifts = driftsOf(modifiers);
  if (operation === "listPlans") {
    if (!drifts.length) return { status: 200, body: state.plansJson, headers: { "content-type": "application/json" } };
    const body = JSON.parse(state.plansJson);
    applyDrifts(operation, body, drifts);
    return json(200, body);
  }
  if (!isDataOperation(operation)) return notFound("GET", url.pathname);
  const query = new URLSearchParams(url.searchParams);
  const asked = query.get("planId") ?? undefined;
  if (drifts.includes("planIdDot") && asked !== undefined) query.set("planId", undotted(asked));
  try {
    if (
      operation === "getSustainability" &&
      (state.sustainability === "coming-soon" || drifts.includes("co2ComingSoon"))
    )
      return notFound("GET", url.pathname);
    const body = dataBody(state, readQuery(operation, query));
    if (!drifts.length) return { status: 200, body, headers: { "content-type": "application/json" } };
    const changed = JSON.parse(body);
    applyDrifts(operation, changed, drifts, asked);
    return json(200, changed);
  } catch (error) {
    if (error instanceof ApiRefusal) return refusal(error);
    throw error;
  }
}

/** The serialized body of a data request, from the cache when it was asked recently. */
function dataBody(state: SandboxState, request: ReturnType<typeof readQuery>): string {
  const { cache, answers } = state;
  const key = JSON.stringify(request);
  let body = cache.get(key);
  if (body === undefined) {
    body = JSON.stringify(
      request.operation === "getPnlSummary"
        ? answers.pnl(request)
        : request.operation === "getDemandForecast"
          ? answers.demand(request)
          : answers.co2(request),
    );
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  } else cache.delete(key);
  cache.set(key, body);
  return body;
}

/** What an `echo` fault may quote: the request's body and bearer, and the credential behind either. */
export function echoSource(
  state: SandboxState,
  operation: OperationId | undefined,
  body: string,
  authorization: string | undefined,
): EchoSource {
  const token = /^Bearer (.+)$/.exec(authorization ?? "")?.[1];
  const principal = state.auth.verify(token)?.principal;
  let apiKey = principal?.apiKey ?? "";
  let clientId = principal?.clientId ?? "";
  let clientSecret = principal?.clientSecret ?? "";
  if (operation === "exchangeApiKey")
    try {
      const key = JSON.parse(body)?.apiKey;
      if (typeof key === "string") apiKey = key;
    } catch {}
  if (operation === "issueClientCredentialsToken") {
    const form = new URLSearchParams(body);
    clientId = form.get("client_id") ?? clientId;
    clientSecret = form.get("client_secret") ?? clientSecret;
  }
  return { body, authorization, token, apiKey, clientId, clientSecret };
}
