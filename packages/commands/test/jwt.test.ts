import { describe, expect, it } from "vitest";
import { readTokenClaims } from "../src/jwt.js";

const jwt = (payload: unknown) =>
  `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.c2ln`;

describe("readTokenClaims", () => {
  it("reads the space-separated scope claim and the subject of the spec's example token", () => {
    const example =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJkZW1vIiwic2NvcGUiOiJpbnNpZ2h0czpyZWFkIHBsYW5zOnJlYWQifQ.ZGVtby1zaWduYXR1cmU";
    expect(readTokenClaims(example)).toEqual({ scopes: ["insights:read", "plans:read"], sub: "demo" });
  });
  it("reads exp (seconds) as epoch ms", () => {
    expect(readTokenClaims(jwt({ exp: 1_750_000_000 }))).toEqual({ expiresAt: 1_750_000_000_000 });
  });
  it("accepts scp as an array", () => {
    expect(readTokenClaims(jwt({ scp: ["admin", 3] }))).toEqual({ scopes: ["admin"] });
  });
  it("gives no scopes when the token does not state them", () => {
    expect(readTokenClaims(jwt({ sub: "x" }))).toEqual({ sub: "x" });
  });
  it("returns undefined for an opaque token or a payload that is not a JSON object", () => {
    expect(readTokenClaims("opaque-token")).toBeUndefined();
    expect(readTokenClaims("a.b")).toBeUndefined();
    expect(readTokenClaims("a.!!!.c")).toBeUndefined();
    expect(readTokenClaims(jwt([1, 2]))).toBeUndefined();
  });
});
