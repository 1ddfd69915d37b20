// The secret forms the leak checks look for: every encoding a server could echo a secret in, found whole or cut.
import { describe, expect, it } from "vitest";
import { basicCredentials, findLeaks, leakNeedles, secretForms } from "./secret-forms.js";

describe("secret forms", () => {
  it("lists raw, %20, +, JSON-escaped and base64 forms, and finds each (and a cut part) in a text", () => {
    const secret = 'FAKE_x+y/z "q\\ 9f==';
    const forms = secretForms(secret);
    expect(forms).toMatchObject({
      raw: secret,
      percent: "FAKE_x%2By%2Fz%20%22q%5C%209f%3D%3D",
      form: "FAKE_x%2By%2Fz+%22q%5C+9f%3D%3D",
      json: 'FAKE_x+y/z \\"q\\\\ 9f==',
      base64: Buffer.from(secret).toString("base64"),
    });
    const needles = leakNeedles({ secret });
    expect(findLeaks("nothing here", needles)).toEqual([]);
    for (const form of ["percent", "form", "json", "base64"] as const)
      expect(findLeaks(`x ${forms[form]} y`, needles).length, form).toBeGreaterThan(0);
    expect(
      findLeaks(`Basic ${basicCredentials("id", secret)}`, leakNeedles({ basic: basicCredentials("id", secret) })),
    ).not.toEqual([]);
    // a secret cut after 16 characters is still found
    expect(findLeaks(`${forms.base64?.slice(0, 16)}…`, needles)).not.toEqual([]);
  });
});
