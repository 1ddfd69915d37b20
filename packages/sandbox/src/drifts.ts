// The planted drifts: each changes one thing of a spec-valid answer, so a test can say exactly what a client,
// `simcel doctor` or a validating proxy must find (see `Drift` for the list).
import type { Drift } from "./faults.js";

type Json = Record<string, unknown>;
const each = (list: unknown, f: (item: Json) => void) => {
  if (Array.isArray(list)) for (const item of list) if (item && typeof item === "object") f(item as Json);
};

/** `plan_x` → `plan.x`: the id as a dotted-id SIMCEL would list it. */
export const dotted = (id: string) => id.replaceAll("_", ".");
/** A dotted id back to the sandbox's own. */
export const undotted = (id: string) => id.replaceAll(".", "_");

/** Applies `drifts` to the JSON body of a 200 answer of `operation`, in place. */
export function applyDrifts(operation: string, body: Json, drifts: readonly Drift[], askedPlanId?: string): void {
  for (const drift of drifts) {
    switch (drift) {
      case "extraField":
        each(body.plans, (plan) => {
          // before the scenarios, where a server would likely put a plan's own field
          const { scenarios, ...head } = plan;
          for (const key of Object.keys(plan)) delete plan[key];
          Object.assign(plan, head, { owner: "planning-team" }, scenarios === undefined ? {} : { scenarios });
        });
        break;
      case "unknownFlag":
        each(body.plans, (plan) => {
          const whatIf = (plan.scenarios as Json[] | undefined)?.find(
            (s) => Array.isArray(s.flags) && s.flags.length === 0,
          );
          if (whatIf) whatIf.flags = ["archived"];
        });
        break;
      case "planIdDot":
        if (operation === "listPlans")
          each(body.plans, (plan) => {
            plan.id = dotted(String(plan.id));
          });
        else if (body.meta && askedPlanId !== undefined) (body.meta as Json).planId = askedPlanId;
        break;
      case "colorName": {
        const first = (body.scenarios as Json[] | undefined)?.[0];
        if (first) first.scenarioColor = "blue";
        break;
      }
      case "fillRateString":
        // the first scenario's rows: enough to break every call, few enough for a validating proxy to list
        each((body.scenarios as unknown[] | undefined)?.slice(0, 1), (s) =>
          each(s.series, (row) => {
            row.fillRate = `${Math.round(Number(row.fillRate) * 100)}%`;
          }),
        );
        break;
      case "periodAsMonth":
        each(body.scenarios, (s) =>
          each(s.series, (row) => {
            const { period, ...rest } = row;
            for (const key of Object.keys(row)) delete row[key];
            Object.assign(row, { month: period, ...rest });
          }),
        );
        break;
      case "co2TotalMissing":
        each(body.scenarios, (s) => {
          if (s.summary && typeof s.summary === "object") delete (s.summary as Json).totalCO2;
        });
        break;
      case "tokenSnakeCase": {
        const { accessToken, expiresIn, tokenType, ...rest } = body;
        for (const key of Object.keys(body)) delete body[key];
        Object.assign(body, { access_token: accessToken, expires_in: expiresIn, token_type: tokenType, ...rest });
        break;
      }
      case "co2ComingSoon":
        // not a change of the body: the answer is a 404 (the server decides it before reading any data)
        break;
    }
  }
}
