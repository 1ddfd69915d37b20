#!/usr/bin/env node
// `pnpm mock`: serves spec/openapi.yaml with Prism on 127.0.0.1:4010 (PORT / HOST override) until Ctrl-C.
import { startPrism } from "./prism.mjs";

const prism = await startPrism({
  host: process.env.HOST ?? "127.0.0.1",
  port: Number(process.env.PORT ?? 4010),
  timeoutMs: 60000,
  log: (line) => console.log(line),
});
console.log(`SIMCEL mock listening on ${prism.url} (started in ${prism.startMs} ms); Ctrl-C stops it.`);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, async () => {
    await prism.stop();
    process.exit(0);
  });
}
