// The fault server's own process (see fault-server-process.ts): starts it with the options in argv[2] and
// answers the parent's requests over IPC.
import { startFaultServer } from "./fault-server.js";

const server = await startFaultServer(JSON.parse(process.argv[2] ?? "{}"));
process.on("message", async (message: { id: number; op: string; args: unknown[] }) => {
  const { id, op, args } = message;
  try {
    let result: unknown;
    if (op === "info") result = { url: server.url, secrets: server.secrets };
    else if (op === "stats") result = server.stats;
    else if (op === "inject") server.inject(...(args as Parameters<typeof server.inject>));
    else if (op === "close") await server.close();
    else throw new Error(`unknown op ${op}`);
    process.send?.({ id, result });
  } catch (error) {
    process.send?.({ id, error: String(error) });
  }
});
