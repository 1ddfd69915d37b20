// The fault rig's SIMCEL: a sandbox (@simcel/sandbox, from its sources) that records every request and knows
// the rig's own credentials — a client secret with every character some encoding changes, so a leak in any
// form is findable. The fault matrices, the soak and the CLI's tests start it; faults come from `fail()`.
import { type Sandbox, type SandboxOptions, startSandbox } from "../../packages/sandbox/src/index.js";

/** The credentials every rig sandbox accepts. Test secrets carry FAKE. */
export const RIG_SECRETS = {
  apiKey: "sk_test_FAKE_rig_0000000000000000",
  clientId: "cli_rig_0001",
  clientSecret: 'FAKE_rig+s3cr/T "q\\ 9f3cQ7zZ==',
} as const;

/** A recording sandbox on a free loopback port with the rig's key and client (scopes insights:read plans:read). */
export async function startRig(options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = await startSandbox({ record: true, ...options });
  sandbox.createApiKey({ key: RIG_SECRETS.apiKey });
  sandbox.createClient({ clientId: RIG_SECRETS.clientId, clientSecret: RIG_SECRETS.clientSecret });
  return sandbox;
}

/** Resolves once `predicate()` holds (polled every 5 ms); rejects after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`rig: condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
