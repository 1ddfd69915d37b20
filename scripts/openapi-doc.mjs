// Walking the parsed OpenAPI document: the one home of what the generator and the test helpers share.

/** The HTTP methods an OpenAPI path item may hold. */
export const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

/** Follows a local `#/a/b` reference (JSON-pointer escapes included) until `node` is no reference. */
export function deref(doc, node) {
  let seen = 0;
  while (node && typeof node === "object" && typeof node.$ref === "string") {
    if (!node.$ref.startsWith("#/")) throw new Error(`only local $ref is supported: ${node.$ref}`);
    node = node.$ref
      .slice(2)
      .split("/")
      .reduce((n, key) => n?.[key.replaceAll("~1", "/").replaceAll("~0", "~")], doc);
    if (++seen > 32) throw new Error("$ref cycle");
  }
  return node;
}
