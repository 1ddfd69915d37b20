// What a fault that replaces the answer sends (faults.ts says which fault a request gets): an error status with
// the spec's body, an OAuth2 error, any text or JSON, nothing at all, a reset (before or halfway through the
// body), a huge body, a redirect to this origin or the other, or a server echoing what it was sent.
import type { IncomingMessage, ServerResponse } from "node:http";
import { type OperationId, specError } from "./errors.js";
import type { Fault } from "./faults.js";
import { echoSource } from "./normal-answers.js";
import { type Answer, json, reset, send, streamHuge } from "./responder.js";
import type { Route } from "./router.js";
import type { SandboxRequest, SandboxState } from "./state.js";

/** A request a fault answers, as the router read it. */
export interface FaultedRequest {
  req: IncomingMessage;
  res: ServerResponse;
  entry: SandboxRequest;
  operation: OperationId | undefined;
  /** How it was routed; `url` is the request's own. */
  route: Route;
  url: URL;
  body: string;
  /** The answer the request would have had without the fault. */
  normal: () => Answer;
  /** A `slowBody` modifier of the request, if any. */
  slow: Fault | undefined;
}

/** The spec's error body of `status` for the operation, with `message` instead of its own when given. */
function errorAnswer(operation: OperationId | undefined, status: number, message?: string, headers = {}): Answer {
  const spec = specError(operation, status);
  return json(status, message === undefined ? spec : { ...spec, message }, headers);
}

/** Answers `request` as `fault` says; resolves once the answer is written (or left hanging). */
export async function respondWithFault(state: SandboxState, request: FaultedRequest, fault: Fault): Promise<void> {
  const { req, res, entry, operation } = request;
  const reply = (answer: Answer) => send(state, req, res, answer, entry);
  switch (fault.kind) {
    case undefined:
    case "status":
      return reply(
        errorAnswer(operation, fault.status, fault.message, {
          ...(fault.retryAfterS !== undefined && { "retry-after": String(fault.retryAfterS) }),
          ...fault.headers,
        }),
      );
    case "oauthError":
      return reply(
        json(fault.status, {
          error: fault.error,
          ...(fault.description !== undefined && { error_description: fault.description }),
        }),
      );
    case "text":
      return reply({
        status: fault.status ?? 200,
        body: fault.body,
        headers: { "content-type": fault.contentType ?? "text/plain" },
      });
    case "json":
      return reply(json(fault.status ?? 200, fault.body));
    case "hang":
      return; // the socket stays open: close() or the client ends it
    case "reset":
      reset(state, req.socket);
      return;
    case "resetMidBody": {
      const full = fault.status === undefined ? request.normal() : errorAnswer(operation, fault.status);
      const bytes = Buffer.from(full.body);
      entry.status = full.status;
      res.writeHead(full.status, { ...full.headers, "content-length": String(bytes.length) });
      // the reset only after the half has been handed to the socket, so the client sees headers and a part
      res.write(bytes.subarray(0, bytes.length >> 1), () => reset(state, req.socket));
      return;
    }
    case "huge":
      entry.status = fault.status ?? 200;
      return streamHuge(state, res, fault.bytes, fault.status ?? 200, fault.contentType ?? "application/json");
    case "redirect": {
      const target =
        fault.to === "other-origin"
          ? new URL(req.url ?? "/", state.otherUrl)
          : new URL(`${request.route.prefix}/moved${request.route.path}${request.url.search}`, state.url);
      return reply({ status: fault.status ?? 302, body: "", headers: { location: target.href } });
    }
    case "echo": {
      const text = fault.text(echoSource(state, operation, request.body, req.headers.authorization));
      return reply(
        fault.raw
          ? { status: fault.status, body: text, headers: { "content-type": "text/plain", ...fault.headers } }
          : errorAnswer(operation, fault.status, text, { ...fault.headers }),
      );
    }
    default:
      return send(state, req, res, request.normal(), entry, request.slow);
  }
}
