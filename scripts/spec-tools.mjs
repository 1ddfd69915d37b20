// Test-side helpers over spec/openapi.yaml: load it, walk its operations, and validate bodies
// against its schemas with ajv (the spec is the schema: nothing is copied by hand).
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { parse } from "yaml";
import { deref, METHODS } from "./openapi-doc.mjs";
import { specPath } from "./prism.mjs";

/** The parsed spec. */
export function loadSpec(path = specPath) {
  return parse(readFileSync(path, "utf8"));
}

export { deref };

/**
 * Every operation: id, method, path, documented statuses, whether it is secured, the scope it
 * needs, and per status the named examples of its JSON body.
 */
export function listOperations(doc = loadSpec()) {
  const out = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const responses = {};
      for (const [status, ref] of Object.entries(op.responses)) {
        const response = deref(doc, ref);
        const media = response.content?.["application/json"];
        responses[status] = {
          examples: Object.fromEntries(Object.entries(media?.examples ?? {}).map(([k, v]) => [k, deref(doc, v).value])),
          headers: Object.keys(response.headers ?? {}),
        };
      }
      const security = op.security ?? doc.security ?? [];
      out.push({
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        tags: op.tags ?? [],
        secured: security.length > 0,
        scope: op["x-simcel-required-scope"],
        statuses: Object.keys(op.responses).map(Number),
        responses,
        operation: op,
      });
    }
  }
  return out;
}

/** An ajv instance that knows every schema of the spec as `spec#/components/schemas/<Name>`. */
export function createSpecAjv(doc = loadSpec()) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  // Rewrite local refs to refer to the registered document.
  const schemas = JSON.parse(JSON.stringify(doc.components.schemas).replaceAll('"#/components/', '"spec#/components/'));
  ajv.addSchema({ $id: "spec", components: { schemas } });
  return ajv;
}

/** Validates `body` against the JSON schema of `operationId`'s `status` response; returns ajv errors or []. */
export function validateResponse(doc, ajv, operationId, status, body) {
  const op = listOperations(doc).find((o) => o.operationId === operationId);
  if (!op) throw new Error(`no operation ${operationId}`);
  const response = deref(doc, op.operation.responses[String(status)]);
  if (!response) throw new Error(`${operationId} documents no ${status} response`);
  const schema = response.content?.["application/json"]?.schema;
  if (!schema) throw new Error(`${operationId} ${status} has no JSON schema`);
  const ref = schema.$ref ? { $ref: schema.$ref.replace("#/", "spec#/") } : schema;
  const validate = ajv.compile(ref);
  return validate(body) ? [] : validate.errors;
}
