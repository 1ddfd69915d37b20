// What bench/per-call.mjs and bench/per-call-costs.mjs share: the two transports (an in-memory fetch and a
// loopback node:http server, both answering the token exchange and the plans list with the spec's examples),
// interleaved rounds with medians, and the table printer.
import { createServer } from "node:http";
import { listOperations } from "../scripts/spec-tools.mjs";

const ops = listOperations();
const ok = (id) => Object.values(ops.find((o) => o.operationId === id).responses[200].examples)[0];
/** The spec's 200 examples of the plans list and of the token exchange. */
export const plansBody = JSON.stringify(ok("listPlans"));
export const tokenBody = JSON.stringify(ok("exchangeApiKey"));
const headersOf = (body) => ({ "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) });

/** An in-memory fetch: the token exchange and every GET answered at once, no network. */
export async function memoryFetch(input, _init) {
  const isToken = typeof input === "object" ? input.method === "POST" : _init?.method === "POST";
  const body = isToken ? tokenBody : plansBody;
  return new Response(body, { headers: headersOf(body) });
}

/** A loopback node:http server answering the same; `close()` stops it and its keep-alive sockets. */
export async function startLoopback() {
  const sockets = new Set();
  const server = createServer((req, res) => {
    const body = req.method === "POST" ? tokenBody : plansBody;
    req.resume();
    res.writeHead(200, headersOf(body));
    res.end(body);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((r) => {
        server.close(r);
        for (const s of sockets) s.destroy();
      }),
  };
}

export const median = (xs) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Runs each variant `calls` times, one call after the other, in `rounds` interleaved rounds (the order rotates
 * each round, so a drifting machine hurts all alike) after `warmup` calls each. Returns µs per call, the median
 * of the rounds and their min/max, twice: CPU time of this process (user + sys, from process.cpuUsage: what the
 * calls cost, hardly moved by other processes on a shared machine) and wall time (what a caller waits, which
 * other processes' load inflates).
 */
export async function measure(variants, { rounds = 7, calls = 2_000, warmup = 500 } = {}) {
  const names = Object.keys(variants);
  for (const name of names) for (let i = 0; i < warmup; i++) await variants[name]();
  const cpu = Object.fromEntries(names.map((n) => [n, []]));
  const wall = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) {
      const call = variants[name];
      const started = performance.now();
      const before = process.cpuUsage();
      for (let i = 0; i < calls; i++) await call();
      const used = process.cpuUsage(before);
      wall[name].push(((performance.now() - started) * 1000) / calls);
      cpu[name].push((used.user + used.system) / calls);
    }
  }
  const stats = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });
  return Object.fromEntries(names.map((n) => [n, { ...stats(cpu[n]), wall: stats(wall[n]) }]));
}

/** A plain-text table: header row, then rows; columns padded. */
export function table(header, rows) {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => String(r[c]).length)));
  const line = (r) =>
    r.map((v, c) => (c === 0 ? String(v).padEnd(widths[c]) : String(v).padStart(widths[c]))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
