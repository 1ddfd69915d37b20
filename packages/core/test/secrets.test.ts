// Defects 1–3 of the hardening issue at their root: every form a secret can take in a server's message is
// redacted, the registry is shared by every copy of the libraries in a process, and redaction runs before
// any truncation.
import { describe, expect, it, vi } from "vitest";
import { createRedactor, parseErrorBody, REDACTED, redactSecrets, redactValue, registerSecret } from "../src/index.js";

const SECRET = "PrObE+sEcReT/9f3cQ7zZ== x"; // +, /, = and a space: every encoding differs from the raw form
const KEY = "sk_test_FAKE_core_0123456789";

describe("redactSecrets", () => {
  registerSecret(SECRET);
  registerSecret(KEY);

  it.each([
    ["raw", SECRET],
    ["URL-encoded, %20 style", encodeURIComponent(SECRET)],
    ["URL-encoded, + style (a form body)", new URLSearchParams({ s: SECRET }).toString().slice(2)],
    ["URL-encoded with lowercase hex", encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase())],
    ["JSON-escaped", JSON.stringify(`"${SECRET}"`).slice(1, -1)],
    ["JSON-escaped with \\/", JSON.stringify(SECRET).slice(1, -1).replaceAll("/", "\\/")],
    ["base64 in a Basic header", `Basic ${btoa(`cli_0001:${SECRET}`)}`],
    [
      "base64 of the form-encoded secret (RFC 6749 §2.3.1's Basic header)",
      `Basic ${btoa(`cli_0001:${new URLSearchParams({ s: SECRET }).toString().slice(2)}`)}`,
    ],
    ["base64url", btoa(`id:${KEY}`).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")],
  ])("removes the %s form", (_, form) => {
    const out = redactSecrets(`the server said: client_secret=${form}; try again`);
    expect(out).toContain(REDACTED);
    expect(out).not.toContain(form);
    expect(out).not.toContain("PrObE");
    expect(out).toMatch(/^the server said: client_secret=/);
  });

  it("removes a secret holding a backslash in the form a person is shown: each backslash doubled", () => {
    const secret = 'FAKE_core+s3cr/T "q\\ 9f3cQ7zZ==';
    registerSecret(secret);
    const shown = secret.replaceAll("\\", "\\\\"); // as the simcel command's tables show API text
    expect(shown).not.toBe(secret);
    const out = redactSecrets(`plan name: ${shown}`);
    expect(out).toBe(`plan name: ${REDACTED}`);
  });

  it("removes a form body echoed whole", () => {
    const body = new URLSearchParams({ grant_type: "client_credentials", client_id: "cli_1", client_secret: SECRET });
    const out = redactSecrets(`invalid request body: ${body}`);
    expect(out).toBe(`invalid request body: grant_type=client_credentials&client_id=cli_1&client_secret=${REDACTED}`);
  });

  it("removes anything shaped like a JWT, registered or not", () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
    expect(redactSecrets(`token ${jwt} is not valid`)).toBe(`token ${REDACTED} is not valid`);
  });

  it("leaves ordinary text and short strings alone", () => {
    registerSecret("short");
    expect(redactSecrets("short words in an authentication message")).toBe("short words in an authentication message");
  });

  it("is shared by every copy of the code in the process (a registered global)", async () => {
    // a second, separately loaded copy of the module, as the ESM and CJS builds of two packages would be
    vi.resetModules();
    const copy = await import("../src/secrets.js");
    expect(copy.redactSecrets).not.toBe(redactSecrets);
    copy.registerSecret("tok_FAKE_registered_in_the_copy");
    expect(redactSecrets("echo tok_FAKE_registered_in_the_copy")).toBe(`echo ${REDACTED}`);
  });

  it("forgets the oldest secrets beyond its capacity, never the recent ones", () => {
    for (let i = 0; i < 200; i++) registerSecret(`tok_FAKE_rotation_${String(i).padStart(4, "0")}`);
    expect(redactSecrets("tok_FAKE_rotation_0199")).toBe(REDACTED);
    expect(redactSecrets("tok_FAKE_rotation_0000")).toBe("tok_FAKE_rotation_0000");
  });
});

describe("createRedactor", () => {
  it("keeps its own secrets redacted in every form after the process-wide list has forgotten them", () => {
    const own = "sk_test_FAKE_own_redactor_0001";
    const redact = createRedactor([own]);
    registerSecret(own);
    for (let i = 0; i < 200; i++) registerSecret(`tok_FAKE_newer_${String(i).padStart(4, "0")}`);
    expect(redactSecrets(`key ${own}`)).toBe(`key ${own}`);
    expect(redact(`key ${own}`)).toBe(`key ${REDACTED}`);
    expect(redact(`key ${btoa(`id:${own}`)}`)).toBe(`key ${REDACTED}`);
    expect(redact("tok_FAKE_newer_0199 and plain words")).toBe(`${REDACTED} and plain words`);
  });
});

describe("redactValue", () => {
  it("redacts the strings of a value, never its field names or its JSON: a secret shaped like JSON breaks nothing", () => {
    registerSecret('"plans":');
    registerSecret("scenarios");
    const key = "sk_test_FAKE_core_value_01234567";
    registerSecret(key);
    const answer = { plans: [{ id: "plan_1", name: `holds ${key}`, scenarios: [{ id: "s", flags: ["actual"] }] }] };
    // what redacting the JSON text would do: the answer is no longer JSON
    expect(() => JSON.parse(redactSecrets(JSON.stringify({ plans: [] })))).toThrow();
    const out = redactValue(answer);
    expect(out).toEqual({
      plans: [{ id: "plan_1", name: `holds ${REDACTED}`, scenarios: [{ id: "s", flags: ["actual"] }] }],
    });
    expect(answer.plans[0]?.name).toBe(`holds ${key}`);
    expect(redactValue([1, null, true, "scenarios"])).toEqual([1, null, true, REDACTED]);
  });
});

describe("parseErrorBody", () => {
  it("reads SIMCEL's {statusCode, error, message}", () => {
    expect(
      parseErrorBody(JSON.stringify({ statusCode: 404, error: "Not Found", message: "Plan x not found" })),
    ).toEqual({
      reason: "Not Found",
      message: "Plan x not found",
    });
  });

  it("reads RFC 6749's {error, error_description} (defect 6)", () => {
    expect(
      parseErrorBody(JSON.stringify({ error: "invalid_client", error_description: "client authentication failed" })),
    ).toEqual({ reason: "invalid_client", message: "client authentication failed" });
  });

  it("folds a non-JSON body into a one-line excerpt and an empty one into nothing", () => {
    expect(parseErrorBody("<html>\n  <h1>Bad gateway</h1></html>")).toEqual({
      message: "<html> <h1>Bad gateway</h1></html>",
    });
    expect(parseErrorBody("")).toEqual({ message: "" });
    expect(parseErrorBody("x".repeat(5000)).message).toHaveLength(301);
  });

  it("redacts before it cuts, so a secret across the cut leaves nothing of itself (defect 3)", () => {
    registerSecret(KEY);
    for (const offset of [280, 290, 295, 299, 300]) {
      const text = `${"a".repeat(offset)}${KEY} and more text after it`;
      for (const body of [text, JSON.stringify({ statusCode: 400, error: "Bad Request", message: text })]) {
        const { message } = parseErrorBody(body);
        expect(message).not.toContain("sk_test");
        expect(message.length).toBeLessThanOrEqual(301);
      }
    }
  });

  it("redacts the reason too", () => {
    registerSecret(KEY);
    expect(parseErrorBody(JSON.stringify({ error: `bad key ${KEY}`, message: "" })).reason).toBe(`bad key ${REDACTED}`);
  });
});
