// More scenarios than SIMCEL answers in one request (3): the tool asks for them in batches, one after the other,
// and merges the answers into one, as if the API had taken them all. compare_scenarios keeps its base in every
// batch (the comparison needs it), so its batches hold one scenario fewer.

/** One batch's arguments, and the structured answer of the tool for them. */
export type RunBatch = (
  args: Record<string, unknown>,
  batch: { index: number; count: number },
) => Promise<Record<string, unknown>>;

/** `items` in consecutive groups of `size`. */
const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** The meta of merged answers: the first's, without `generatedAt` when one lacks it, else the oldest simulation. */
function mergedMeta(metas: Array<Record<string, unknown> | undefined>): Record<string, unknown> | undefined {
  const first = metas[0];
  if (!first) return first;
  const times = metas.map((m) => m?.generatedAt);
  const { generatedAt: _, ...rest } = first;
  if (times.some((t) => typeof t !== "string")) return rest;
  return { ...rest, generatedAt: (times as string[]).reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a)) };
}

/**
 * The tool's answer for `args`: one call when its scenarioIds fit one request (`max`), else one call per batch,
 * merged (their `scenarios`, or compare's `rows`, in the order asked).
 */
export async function runInBatches(
  tool: string,
  args: Record<string, unknown>,
  max: number,
  run: RunBatch,
): Promise<Record<string, unknown>> {
  const ids = args.scenarioIds;
  const compare = tool === "compare_scenarios";
  const base = compare ? args.baseScenarioId : undefined;
  const others = Array.isArray(ids) ? ids.filter((id) => id !== base) : [];
  const perBatch = compare ? max - 1 : max;
  if (!Array.isArray(ids) || others.length <= perBatch) return run(args, { index: 1, count: 1 });

  const batches = chunks(others, perBatch);
  const answers: Array<Record<string, unknown>> = [];
  for (const [i, batch] of batches.entries()) {
    // compare: the first batch settles the base (the plan's committed one when none was named); the rest reuse it
    const settled = compare ? (base ?? answers[0]?.baseScenarioId) : undefined;
    const batchArgs = { ...args, scenarioIds: batch, ...(settled !== undefined && { baseScenarioId: settled }) };
    answers.push(await run(batchArgs, { index: i + 1, count: batches.length }));
  }
  const list = compare ? "rows" : "scenarios";
  const merged: Record<string, unknown> = {
    ...answers[0],
    [list]: answers.flatMap((a) => (a[list] as unknown[] | undefined) ?? []),
  };
  const meta = mergedMeta(answers.map((a) => a.meta as Record<string, unknown> | undefined));
  if (meta) merged.meta = meta;
  return merged;
}
