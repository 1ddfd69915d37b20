// The stand-in for @simcel/auth's redactSecrets (see the MERGE POINT box in src/redact.ts): when the
// real one lands, this file goes with the stand-in.
import { afterEach, describe, expect, it } from "vitest";
import { redactSecrets } from "../src/redact.js";

const KEY = "sk_test_FAKE_key with/odd+chars";
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe("redactSecrets (stand-in)", () => {
  it("removes the SIMCEL_* secrets in every encoding a message may carry them in", () => {
    process.env.SIMCEL_API_KEY = KEY;
    process.env.SIMCEL_CLIENT_SECRET = "FAKE-secret";
    const forms = [
      KEY,
      encodeURIComponent(KEY),
      encodeURIComponent(KEY).replaceAll("%20", "+"),
      JSON.stringify(KEY),
      Buffer.from(KEY).toString("base64"),
      "FAKE-secret",
    ];
    for (const form of forms) {
      const out = redactSecrets(`before ${form} after`);
      expect(out, form).not.toContain("FAKE");
      expect(out).toMatch(/^before .*\[redacted\].* after$/);
    }
  });

  it("removes anything JWT-shaped, and leaves ordinary text alone", () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZW1vIn0.c2ln";
    expect(redactSecrets(`Bearer ${jwt}`)).toBe("Bearer [redacted]");
    expect(redactSecrets("plan_9xKz2 ebit 3300000")).toBe("plan_9xKz2 ebit 3300000");
  });

  it("keeps JSON valid when it redacts inside a string", () => {
    process.env.SIMCEL_TOKEN = "tok_FAKE_static";
    const json = redactSecrets(JSON.stringify({ message: 'token "tok_FAKE_static" refused' }));
    expect(JSON.parse(json)).toEqual({ message: 'token "[redacted]" refused' });
  });
});
