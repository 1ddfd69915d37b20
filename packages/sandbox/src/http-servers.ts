// The two HTTP servers of a sandbox: its own origin (a browser's preflight answered, requests in flight and
// client aborts counted, a sandbox bug answered as a 500) and "another origin" for redirect faults, which
// answers with someone else's data shaped like SIMCEL's. Both track their sockets so close() leaves nothing.
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { SimcelSandboxError, specError } from "./errors.js";
import { PATHS, route, routeOf } from "./router.js";
import type { SandboxState } from "./state.js";

/** Keeps every open socket of `server` in `sockets`. */
export function track(server: Server, sockets: Set<Socket>): Server {
  // An idle connection is the client's to close (fetch closes its idle ones a second before the server's hint).
  // With Node's 5 s, a request sent on a connection just before then, while the sandbox is busy with a large
  // answer, meets a socket the server closes as it wakes ("other side closed").
  server.keepAliveTimeout = 65_000;
  return server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
}

/** The sandbox's own origin. */
export function createSandboxServer(state: SandboxState): Server {
  return createServer((req, res) => {
    if (req.method === "OPTIONS") {
      // a browser's preflight: any origin may call a sandbox with a bearer
      res.writeHead(204, {
        "access-control-allow-origin": "*",
        "access-control-allow-methods": "GET, POST",
        "access-control-allow-headers": "authorization, content-type, prefer, x-simcel-client, traceparent, tracestate",
        "access-control-max-age": "600",
      });
      res.end();
      return;
    }
    state.inFlight++;
    let settled = false;
    res.on("close", () => {
      if (settled) return;
      settled = true;
      state.inFlight--;
      // closed before the whole response went out, not by us: the client walked away (an abort, a timeout)
      if (!res.writableFinished && !state.closing && !state.resetting.has(req.socket)) state.counts.clientAborts++;
    });
    route(state, req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed)
        res
          .writeHead(500, { "content-type": "application/json" })
          .end(JSON.stringify({ ...specError(undefined, 500), message: `sandbox error: ${String(error)}` }));
    });
  });
}

/** The other origin: records what reaches it, and answers the spec's paths with data that is not the client's. */
export function createOtherOrigin(state: SandboxState): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://other");
    const { operation, path } = routeOf(req.method ?? "", url.pathname);
    state.otherRequests.push({
      seq: state.otherRequests.length + 1,
      operation,
      method: req.method ?? "",
      path: url.pathname,
      query: url.search,
      headers: { ...req.headers },
      at: state.now(),
      port: req.socket.remotePort,
    });
    req.resume();
    // someone else's data, shaped like SIMCEL's: a client that follows the redirect would take it for an answer
    const answer = operation === "listPlans" ? state.plansJson : PATHS.has(path) ? "{}" : undefined;
    res.writeHead(answer === undefined ? 404 : 200, { "content-type": "application/json" });
    res.end(answer ?? "{}");
  });
}

/** Listens on `host`:`port`; resolves to the origin's URL, or rejects saying what to change. */
export function listen(server: Server, host: string, port: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new SimcelSandboxError(
          error.code === "EADDRINUSE"
            ? `port ${port} on ${host} is in use: pick another, or 0 for a free one`
            : String(error),
        ),
      ),
    );
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      resolve(`http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`);
    });
  });
}
