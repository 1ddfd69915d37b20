// The doctor's one addition to the clients' calls: a fetch (their own injection point) that notes each
// exchange's status, timing, `Date` header and 2xx body, so every body can be held against the spec in full.

/** One request and its answer, as the watching fetch saw it. */
export interface Exchange {
  url: URL;
  method: string;
  status: number | null;
  latencyMs: number;
  /** The clock when the request went out and when its answer was read. */
  sentAt: number;
  answeredAt: number;
  date: string | null;
  /** The parsed 2xx JSON body. */
  body?: unknown;
}

/** A fetch that records every exchange, body included; the clients see the response untouched. */
export function watchingFetch(fetch: (request: Request) => Promise<Response>, now: () => number) {
  const exchanges: Exchange[] = [];
  const watched = async (request: Request): Promise<Response> => {
    const sentAt = now();
    const exchange: Exchange = {
      url: new URL(request.url),
      method: request.method,
      status: null,
      latencyMs: 0,
      sentAt,
      answeredAt: sentAt,
      date: null,
    };
    exchanges.push(exchange);
    try {
      const response = await fetch(request);
      exchange.status = response.status;
      exchange.date = response.headers.get("date");
      if (response.ok) {
        // read a copy to the end: the time is the whole answer's, and the body is held against the spec
        const text = await response
          .clone()
          .text()
          .catch(() => "");
        try {
          exchange.body = JSON.parse(text);
        } catch {}
      }
      return response;
    } finally {
      exchange.answeredAt = now();
      exchange.latencyMs = Math.round(exchange.answeredAt - sentAt);
    }
  };
  return { exchanges, fetch: watched };
}

/** What a watching fetch gives: the exchanges so far, and the fetch to hand to the clients. */
export type Watch = ReturnType<typeof watchingFetch>;
