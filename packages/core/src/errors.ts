// The root of every error @simcel/auth and @simcel/insights throw. Both libraries inline this file, so each holds a
// copy of the class; `instanceof` compares brands, not classes, so an error of either library, in its ESM or CJS
// build, is `instanceof SimcelError` whichever copy a caller imported.
import { hasBrand, stampBrands } from "./brand.js";
import { redactSecrets } from "./secrets.js";

/** What every SIMCEL error may know, and the cause it wraps. */
export interface SimcelErrorFields {
  /** A stable machine-readable code; default the class's own (`SimcelError.code`). */
  code?: string | undefined;
  /** The HTTP status, when a response came. */
  status?: number | undefined;
  /** The `X-Request-Id` the server answered with, for support. */
  requestId?: string | undefined;
  /** The underlying error (a network failure). */
  cause?: unknown;
}

/** What `JSON.stringify(error)` gives: no secret, no stack, no cause. */
export interface SimcelErrorJSON {
  name: string;
  message: string;
  code: string;
  status?: number;
  requestId?: string;
}

/**
 * Base of every error the SIMCEL libraries throw. `code` is a stable SDK code (the server's own words are elsewhere),
 * `status` and `requestId` are set when known. `instanceof` works across copies of the libraries (ESM, CJS, two versions) side by side.
 */
export class SimcelError extends Error {
  /** The class's identity across copies of the libraries; see `instanceof`. */
  static readonly brand: string = "@simcel:SimcelError";
  /** The `code` of the class's errors when none is given. */
  static readonly code: string = "simcel_error";
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class `instanceof` asks about, a subclass included
    return hasBrand(value, this.brand);
  }
  override name = "SimcelError";
  /** A stable machine-readable code, such as `not_found`, `timeout` or `token_request_rejected`. */
  readonly code: string;
  /** The HTTP status; `undefined` when no response came or the failure was local. */
  readonly status: number | undefined;
  /** The `X-Request-Id` response header, for support. */
  readonly requestId: string | undefined;
  constructor(message: string, { code, status, requestId, cause }: SimcelErrorFields = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code ?? (new.target as { code?: string }).code ?? SimcelError.code;
    this.status = status;
    this.requestId = requestId;
    stampBrands(this);
  }
  /** Name, message, code, status and request id: what a log or an API answer may show. Never a secret. */
  toJSON(): SimcelErrorJSON {
    return {
      name: this.name,
      message: redactSecrets(this.message),
      code: this.code,
      ...(this.status !== undefined && { status: this.status }),
      ...(this.requestId !== undefined && { requestId: this.requestId }),
    };
  }
}
