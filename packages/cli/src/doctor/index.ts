// `simcel doctor`: one command a user runs with their credentials to learn whether their setup works
// and where the real API differs from the SDK's spec. The CLI calls `runDoctor` and nothing else of
// this folder, loaded only for this command.
import type { Logger } from "@simcel/auth";
import { safeJson } from "@simcel/commands";
import { EXIT } from "../errors.js";
import { withSpinner } from "../spinner.js";
import type { OutStream, Styler } from "../style.js";
import { diagnose } from "./diagnose.js";
import { renderDoctor } from "./render.js";

/** What `runDoctor` needs from the CLI. */
export interface DoctorCommand {
  /** Parsed flags by long name (`plan`, `json`, `base-url`). */
  values: Record<string, string | boolean>;
  /** The environment, `--base-url` already applied as SIMCEL_BASE_URL. */
  env: Record<string, string | undefined>;
  stdout: OutStream;
  stderr: OutStream;
  /** The fetch for every call, token requests included (tests); default `globalThis.fetch`. */
  fetch?: ((request: Request) => Promise<Response>) | undefined;
  /** The clock (epoch ms), for latencies and the skew against the server's `Date`. */
  now: () => number;
  version: string;
  logger?: Logger | undefined;
  style: Styler;
}

/**
 * Runs `simcel doctor` and resolves to its exit code: 0 nothing wrong (warnings allowed), 1 a problem
 * found. Throws `UsageError` (exit 2) only for a `--base-url` that is not a URL.
 */
export async function runDoctor(command: DoctorCommand): Promise<number> {
  const { values } = command;
  const report = await withSpinner(command.stderr, "Checking your setup against the API…", () =>
    diagnose({
      env: command.env,
      baseUrlFlag: typeof values["base-url"] === "string",
      planId: typeof values.plan === "string" ? values.plan : undefined,
      fetch: command.fetch,
      now: command.now,
      version: command.version,
      logger: command.logger,
    }),
  );
  command.stdout.write(values.json === true ? `${safeJson(report, null, 2)}\n` : renderDoctor(report, command.style));
  return report.ok ? EXIT.ok : EXIT.api;
}
