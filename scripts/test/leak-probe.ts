// Suite-wide secret-leak probe (a vitest setup file of every project). It records every error the
// libraries construct and every credential, token cache and middleware they create — in whatever test,
// on whatever path — and after each test file renders them all (String, JSON, util.inspect with hidden
// fields, message, stack, cause) and fails the file if any rendering holds a test secret.
// Test secrets carry the marker FAKE (`sk_test_FAKE_…`, `tok_FAKE_…`); nothing else in a test does.
import { inspect } from "node:util";
import { afterAll, expect, vi } from "vitest";

const seen = vi.hoisted(() => ({ values: [] as unknown[] }));

vi.mock(import("../../packages/auth/src/errors.js"), async (importOriginal) => {
  const { recording } = await import("./leak-probe-recording.js");
  return recording(await importOriginal(), seen.values);
});
vi.mock(import("../../packages/insights/src/errors.js"), async (importOriginal) => {
  const { recording } = await import("./leak-probe-recording.js");
  return recording(await importOriginal(), seen.values);
});
vi.mock(import("../../packages/auth/src/safe-to-log.js"), async (importOriginal) => {
  const original = await importOriginal();
  return {
    ...original,
    safeToLog: <T extends object>(name: string, target: T, info?: object): T => {
      const made = original.safeToLog(name, target, info);
      seen.values.push(made);
      return made;
    },
  };
});

/** The renderings of a value that a log, an error report or a serializer could show. */
export function renderings(value: unknown): string[] {
  const out = [String(value), JSON.stringify(value) ?? "", inspect(value, { depth: Infinity, showHidden: true })];
  if (value instanceof Error) {
    out.push(value.message, value.stack ?? "");
    if (value.cause !== undefined) out.push(inspect(value.cause, { depth: 10, showHidden: true }));
  }
  return out;
}

afterAll(() => {
  const leaks = seen.values.flatMap((value) =>
    renderings(value)
      .filter((text) => text.includes("FAKE"))
      .map((text) => `${(value as { name?: string })?.name ?? typeof value}: ${text.slice(0, 300)}`),
  );
  if (process.env.SIMCEL_LEAK_PROBE_REPORT) console.log(`[leak-probe] ${seen.values.length} objects rendered`);
  expect(leaks, "a test secret appears in a rendering of a library object").toEqual([]);
});
