// completion/complete: plan and scenario ids as a person types them, for the plan resource template
// (simcel://plans/{planId}) and the prompts' arguments, from the plans the request's own credential may read.
// Completion is a convenience: when the plans cannot be read (no credential, no scope, the API down) it offers
// nothing rather than failing the host's input box; the tools still say what is wrong when called.
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  type CompleteRequest,
  CompleteRequestSchema,
  type CompleteResult,
  ErrorCode,
  McpError,
} from "@modelcontextprotocol/sdk/types.js";
import type { PlansResponse } from "@simcel/insights";
import { promptNamed } from "./prompts.js";
import type { HandlerExtra } from "./server.js";
import type { Tenant } from "./tenant.js";

/** MCP's limit on the values of one completion. */
const MAX_VALUES = 100;
/** How long a credential's plan list serves completions: a person types faster than plans change. */
const FRESH_MS = 30_000;

/** What {@link registerCompletions} needs of the server. */
export interface CompletionOptions {
  /** The tenant a request runs as (see createSimcelMcpServer). */
  tenantFor(extra: HandlerExtra): Tenant;
  /** The URI template whose `{planId}` is completed. */
  planUriTemplate: string;
  /** Whether this request's credential may list plans. */
  readsPlans(extra: HandlerExtra): Promise<boolean>;
}

/** The ids of `candidates` that match what was typed: the id's start, or a word of its name, ignoring case. */
export function matching(candidates: ReadonlyArray<{ id: string; name: string }>, typed: string): string[] {
  const t = typed.trim().toLowerCase();
  const ids = candidates
    .filter((c) => c.id.toLowerCase().startsWith(t) || (t.length > 0 && c.name.toLowerCase().includes(t)))
    .map((c) => c.id);
  return [...new Set(ids)];
}

/** The candidates for `argument`: plans, or the scenarios of the plan already chosen (else of every plan). */
function candidatesOf(plans: PlansResponse, argument: string, chosen: Record<string, string> | undefined) {
  if (argument === "planId") return plans.plans.map((p) => ({ id: p.id, name: p.name }));
  if (argument === "scenarioId") {
    const planId = chosen?.planId;
    const inScope = planId ? plans.plans.filter((p) => p.id === planId) : plans.plans;
    return inScope.flatMap((p) => p.scenarios.map((s) => ({ id: s.id, name: s.name })));
  }
  return [];
}

/** Which argument of which reference may be completed; a protocol error for a reference that does not exist. */
function completable(ref: CompleteRequest["params"]["ref"], argument: string, template: string): boolean {
  if (ref.type === "ref/resource") return ref.uri === template && argument === "planId";
  const prompt = promptNamed(ref.name);
  if (!prompt) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt ${ref.name}`);
  return prompt.arguments.some((a) => a.name === argument);
}

/** Adds the completions capability and its handler to `server` (before it connects). */
export function registerCompletions(server: Server, options: CompletionOptions): void {
  const lists = new WeakMap<Tenant, { at: number; plans: Promise<PlansResponse> }>();
  /** The tenant's plans, listed at most once per {@link FRESH_MS}; a failed listing is never kept. */
  const plansOf = (tenant: Tenant, client: NonNullable<Tenant["client"]>) => {
    const kept = lists.get(tenant);
    if (kept && performance.now() - kept.at < FRESH_MS) return kept.plans;
    const plans = client.listPlans();
    lists.set(tenant, { at: performance.now(), plans });
    plans.catch(() => lists.delete(tenant));
    return plans;
  };
  const none: CompleteResult = { completion: { values: [], total: 0, hasMore: false } };

  server.registerCapabilities({ completions: {} });
  server.setRequestHandler(CompleteRequestSchema, async (request, extra): Promise<CompleteResult> => {
    const { ref, argument, context } = request.params;
    if (!completable(ref, argument.name, options.planUriTemplate)) return none;
    const tenant = options.tenantFor(extra);
    if (!tenant.client || !(await options.readsPlans(extra))) return none;
    let plans: PlansResponse;
    try {
      plans = await plansOf(tenant, tenant.client);
    } catch {
      return none;
    }
    const values = matching(candidatesOf(plans, argument.name, context?.arguments), argument.value);
    return {
      completion: {
        values: values.slice(0, MAX_VALUES),
        total: values.length,
        hasMore: values.length > MAX_VALUES,
      },
    };
  });
}
