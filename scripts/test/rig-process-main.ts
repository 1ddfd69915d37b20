// The rig's sandbox in its own process (see rig-process.ts): started with the options in argv[2], it answers the
// parent's requests over IPC.
import type { FailOptions } from "../../packages/sandbox/src/index.js";
import { startRig } from "./rig.js";

const sandbox = await startRig(JSON.parse(process.argv[2] ?? "{}"));
process.on("message", async (message: { id: number; op: string; args: unknown[] }) => {
  const { id, op, args } = message;
  try {
    let result: unknown;
    if (op === "info") result = { url: sandbox.url, planId: sandbox.plans[0]?.id };
    else if (op === "counts") result = sandbox.counts;
    else if (op === "fail") sandbox.fail(args[0] as FailOptions);
    else if (op === "close") await sandbox.close();
    else throw new Error(`unknown op ${op}`);
    process.send?.({ id, result });
  } catch (error) {
    process.send?.({ id, error: String(error) });
  }
});
