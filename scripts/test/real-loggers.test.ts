// The libraries' logger option with the loggers people run: pino (through pinoLogger, since pino takes
// `(fields, message)`) and winston (as it is, since it takes `(message, fields)`). Every field the SDK logs must
// arrive in the log record, and no secret with it.
import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import winston from "winston";
import { createApiKeyCredential, createAuthMiddleware, type Logger } from "../../packages/auth/src/index.js";
import { createInsightsClient, pinoLogger } from "../../packages/insights/src/index.js";

const API_KEY = "sk_test_FAKE_logged_key";
const BASE = "https://api.test/api";

/** A token, then a 503 (retried at once), then the plans: a request, a retry and a sign-in to log. */
async function callLoggingTo(logger: Logger) {
  let api = 0;
  const fetch = async (request: Request) => {
    if (request.url.endsWith("/token")) return Response.json({ accessToken: "tok_FAKE_logged", expiresIn: 3600 });
    return ++api === 1
      ? Response.json(
          { statusCode: 503, error: "Busy", message: "busy" },
          { status: 503, headers: { "retry-after": "0" } },
        )
      : Response.json({ plans: [] });
  };
  const credential = createApiKeyCredential({ apiKey: API_KEY, baseUrl: BASE, fetch });
  const middleware = [createAuthMiddleware({ credential, logger })];
  await createInsightsClient({ baseUrl: BASE, fetch, middleware, logger }).listPlans();
}

const retryFields = { operation: "listPlans", attempt: 1, delayMs: 0 };

describe("real loggers get every field", () => {
  it("pino 9 through pinoLogger", async () => {
    const records: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        records.push(JSON.parse(String(chunk)));
        done();
      },
    });
    await callLoggingTo(pinoLogger(pino({ level: "debug" }, stream)));
    const retry = records.find((r) => String(r.msg).includes("retrying"));
    expect(retry).toMatchObject({ ...retryFields, level: 30 });
    expect(records.some((r) => r.level === 20)).toBe(true);
    expect(JSON.stringify(records)).not.toContain(API_KEY);
    expect(JSON.stringify(records)).not.toContain("tok_FAKE_logged");
  });

  it("pino without the adapter would lose the fields (why pinoLogger exists)", async () => {
    const records: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        records.push(JSON.parse(String(chunk)));
        done();
      },
    });
    await callLoggingTo(pino({ level: "debug" }, stream) as unknown as Logger);
    const retry = records.find((r) => String(r.msg ?? "").includes("retrying"));
    expect(retry?.operation).toBeUndefined();
  });

  it("winston as it is", async () => {
    const records: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split("\n").filter(Boolean)) records.push(JSON.parse(line));
        done();
      },
    });
    const logger = winston.createLogger({
      level: "debug",
      format: winston.format.json(),
      transports: [new winston.transports.Stream({ stream })],
    });
    await callLoggingTo(logger);
    const retry = records.find((r) => String(r.message).includes("retrying"));
    expect(retry).toMatchObject({ ...retryFields, level: "info" });
    expect(records.some((r) => r.level === "debug")).toBe(true);
    expect(JSON.stringify(records)).not.toContain(API_KEY);
  });
});
