import type { PlansResponse } from "@simcel/insights";
import { renderTable } from "../table.js";
import type { ViewContext } from "./context.js";

/** `simcel plans`: one row per scenario, the plan's columns only on its first row. */
export function renderPlans(body: PlansResponse, { style, columns }: ViewContext): string {
  if (body.plans.length === 0) return "No plans: this credential can read no plan.\n";
  const rows: string[][] = [];
  for (const plan of body.plans) {
    const scenarios = plan.scenarios.length > 0 ? plan.scenarios : [undefined];
    scenarios.forEach((s, i) => {
      const head = i === 0 ? [plan.id, plan.name, plan.currency] : ["", "", ""];
      rows.push([...head, s?.id ?? "—", s?.name ?? "(no scenarios)", s ? s.flags.join(", ") || "what-if" : ""]);
    });
  }
  return renderTable(rows, {
    header: ["PLAN", "PLAN NAME", "CURRENCY", "SCENARIO", "SCENARIO NAME", "FLAGS"],
    maxWidth: columns,
    flex: [1, 4],
    styleHeader: (t) => style("bold", t),
    styleCell: (t, _r, c) => (c === 5 && t.trim() === "what-if" ? style("dim", t) : t),
  });
}
