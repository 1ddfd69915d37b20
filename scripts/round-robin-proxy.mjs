// A round-robin HTTP balancer on loopback with no affinity, as a team puts in front of simcel-mcp replicas: each
// request goes to the next target in turn, whatever it carries (no session stickiness). A target that refuses the
// connection is skipped for that request (as nginx's `proxy_next_upstream error` does); an answer already begun is
// never retried. Answers stream through (SSE included). For the replica test and the replica benchmark.
import { createServer, request } from "node:http";

/**
 * @param {string[]} targets  origins (`http://127.0.0.1:PORT`)
 * @returns {Promise<{ url: string, served: number[], lastTarget: () => number, close: () => Promise<void> }>}
 */
export async function startRoundRobinProxy(targets) {
  let next = 0;
  let last = -1;
  const served = targets.map(() => 0);

  /** Sends the buffered request to target `index`; on a refused connection, to the following one. */
  function forward(req, res, body, index, tries) {
    const target = new URL(targets[index]);
    last = index;
    const upstream = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        served[index]++;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        // a target that dies mid-answer: the client sees its connection cut, as behind a real balancer
        answer.once("close", () => {
          if (!answer.complete) res.destroy();
        });
        res.once("close", () => answer.destroy());
      },
    );
    upstream.once("error", (error) => {
      if (!res.headersSent && error.code === "ECONNREFUSED" && tries + 1 < targets.length)
        return forward(req, res, body, (index + 1) % targets.length, tries + 1);
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    upstream.end(body);
  }

  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const index = next;
      next = (next + 1) % targets.length;
      forward(req, res, Buffer.concat(chunks), index, 0);
    });
  });
  await new Promise((listening) => server.listen(0, "127.0.0.1", listening));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    served,
    lastTarget: () => last,
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
