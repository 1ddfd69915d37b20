#!/usr/bin/env node
// `pnpm contract:proxy`: Prism as a validating proxy between the live contract suite and a real SIMCEL.
// It starts `prism proxy` on a loopback port in front of the server (SIMCEL_CONTRACT_BASE_URL), a small
// loopback tap in front of Prism that reads the violations Prism attaches to each answer (the
// `sl-violations` header: a JSON list of {location, severity, code, message}), runs the live suite with
// SIMCEL_CONTRACT_BASE_URL (and SIMCEL_BASE_URL) pointing at the tap, and writes every violation to
// reports/contract-violations.json.
//
// Prism validates against a strict copy of the spec: every object schema closed with
// `additionalProperties: false` (allOf composites merged first, since closing each part would refuse the
// other parts' fields), because the spec leaves objects open and Prism would otherwise never report a
// field the spec does not know. Each violation is marked `inferred` when the field is one our spec only
// guessed (`x-simcel-inferred`, read from the generated response shapes of @simcel/insights).
//
//   pnpm contract:proxy                      # build, then the live contract suite (vitest --project contract)
//   pnpm contract:proxy -- node x.mjs ...    # any other workload (no build), given the tap as SIMCEL_BASE_URL
//
// Prism 5.14.2 facts this relies on: without --errors a proxy forwards every request and passes the real
// answer on, violations or not; an upstream 501 is replaced by a mock answer ("Remocking the call"), which
// is reported here as `upstreamNotImplemented` since the tap cannot see it.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";
import { deref } from "./openapi-doc.mjs";
import { repoRoot, specPath, startPrism } from "./prism.mjs";
import { listOperations, loadSpec } from "./spec-tools.mjs";

/** The spec with every object schema closed (`additionalProperties: false`), allOf composites merged. */
export function strictSpec(doc) {
  const copy = structuredClone(doc);
  const close = (schema) => {
    // a named schema is closed where it is defined
    if (!schema || typeof schema !== "object" || schema.$ref) return schema;
    if (Array.isArray(schema.allOf)) {
      const { allOf, ...rest } = schema;
      const merged = { ...rest, type: "object", properties: {}, required: [] };
      for (const part of allOf) {
        // a part by name is read from the spec as written: its own closing would refuse the other parts' fields
        const flat = close(part.$ref ? structuredClone(deref(doc, part)) : part);
        Object.assign(merged.properties, flat.properties ?? {});
        merged.required.push(...(flat.required ?? []));
      }
      if (merged.required.length === 0) delete merged.required;
      merged.additionalProperties = false;
      return merged;
    }
    if (schema.properties) {
      for (const [name, property] of Object.entries(schema.properties)) schema.properties[name] = close(property);
      schema.additionalProperties ??= false;
    }
    if (schema.items) schema.items = close(schema.items);
    return schema;
  };
  for (const [name, schema] of Object.entries(copy.components?.schemas ?? {}))
    copy.components.schemas[name] = close(schema);
  for (const item of Object.values(copy.paths ?? {}))
    for (const op of Object.values(item))
      for (const response of Object.values(op?.responses ?? {})) {
        const media = response?.content?.["application/json"];
        if (media?.schema) media.schema = close(media.schema);
      }
  return copy;
}

/**
 * Whether the spec only inferred the field at `segments` (a violation's location below `body`) of
 * `operation`'s answer, walking the generated compact shapes as the SDK's response check does.
 */
export function inferredAt(shape, segments, shapes) {
  let node = shape;
  let inferred = false;
  const resolve = (n) => {
    let s = n;
    if (s.inferred === true) inferred = true;
    while (s?.ref) {
      s = shapes[s.ref];
      if (s?.inferred === true) inferred = true;
    }
    return s;
  };
  node = resolve(node);
  for (const segment of segments) {
    const next = node?.properties?.[segment] ?? (/^\d+$/.test(segment) ? node?.items : undefined);
    if (!next) return inferred;
    node = resolve(next);
  }
  return inferred;
}

/**
 * Every operation of the spec (to name each answer's), with the insights client's generated response
 * shapes (from its build) where it has them, to tell which fields the spec only inferred. The token
 * operations have none there: their answers carry no inferred field.
 */
async function loadShapes() {
  const dist = resolve(repoRoot, "packages/insights/dist/index.js");
  if (!existsSync(dist)) throw new Error("the packages are not built: run `pnpm build` first");
  const insights = await import(dist);
  return listOperations(loadSpec()).map(({ operationId, method, path }) => ({
    id: operationId,
    method,
    path,
    response: insights.operations[operationId]?.response,
    shapes: insights.shapes,
  }));
}

/**
 * One violation, as the report lists it: where (the field's JSON pointer, the missing or extra field's
 * name included, which Prism puts in its message), Prism's code and message, and whether the spec only
 * inferred that field.
 */
function describeViolation(exchange, violation, operation) {
  const [side, part, ...rest] = (violation.location ?? []).map(String);
  const named =
    /must have required property '([^']+)'/.exec(violation.message ?? "")?.[1] ??
    /must NOT have additional properties; found '([^']+)'/.exec(violation.message ?? "")?.[1];
  const segments = part === "body" ? [...rest, ...(named ? [named] : [])] : [];
  return {
    operation: operation?.id ?? null,
    method: exchange.method,
    path: exchange.path,
    status: exchange.status,
    side,
    pointer: part === "body" ? segments.map((s) => `/${s.replaceAll("~", "~0").replaceAll("/", "~1")}`).join("") : null,
    location: (violation.location ?? []).join("."),
    severity: violation.severity,
    code: violation.code,
    message: violation.message,
    inferred:
      side === "response" && operation?.response ? inferredAt(operation.response, segments, operation.shapes) : false,
  };
}

/**
 * Starts Prism as a proxy to `upstream` (validating against the strict spec) and a tap in front of it.
 * Resolves to the tap's URL, the violations seen so far (one entry per distinct violation, with a
 * count) and stop(), which stops both and resolves to Prism's notes.
 */
export async function startContractProxy({ upstream, spec = specPath, log } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "simcel-contract-proxy-"));
  const strictPath = join(dir, "openapi.strict.yaml");
  writeFileSync(strictPath, stringify(strictSpec(parse(readFileSync(spec, "utf8")))));
  const operations = await loadShapes();
  const prism = await startPrism({ upstream, spec: strictPath, ...(log && { log }) });
  const prismUrl = new URL(prism.url);
  const seen = new Map();
  let exchanges = 0;
  const tap = createServer((req, res) => {
    const url = new URL(req.url ?? "/", prism.url);
    const upstreamRequest = request(
      { host: prismUrl.hostname, port: prismUrl.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        exchanges++;
        const header = answer.headers["sl-violations"];
        const headers = { ...answer.headers };
        delete headers["sl-violations"];
        if (typeof header === "string") {
          const exchange = { method: req.method, path: url.pathname, status: answer.statusCode };
          const operation = operations.find((o) => o.method === req.method && o.path === url.pathname);
          let list;
          try {
            list = JSON.parse(header);
          } catch {
            list = [{ location: [], severity: "Error", code: "truncated", message: header.slice(0, 200) }];
          }
          for (const violation of list) {
            const entry = describeViolation(exchange, violation, operation);
            // one entry per field and kind of violation: rows of a list count, the first one's pointer is kept
            const field = (entry.pointer ?? entry.location).replace(/\/\d+(?=\/|$)|\.\d+(?=\.|$)/g, "/-");
            const key = JSON.stringify([entry.method, entry.path, entry.status, entry.side, field, entry.code]);
            const known = seen.get(key);
            if (known) known.count++;
            else seen.set(key, { ...entry, count: 1 });
          }
        }
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
      },
    );
    upstreamRequest.on("error", (error) => {
      res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ statusCode: 502, error: "Bad Gateway", message: `contract proxy: ${error.message}` }));
    });
    req.pipe(upstreamRequest);
  });
  await new Promise((listening) => tap.listen(0, "127.0.0.1", listening));
  return {
    url: `http://127.0.0.1:${tap.address().port}`,
    prismUrl: prism.url,
    violations: () => [...seen.values()],
    exchanges: () => exchanges,
    async stop() {
      await new Promise((closed) => {
        tap.close(() => closed());
        tap.closeAllConnections();
      });
      await prism.stop();
      rmSync(dir, { recursive: true, force: true });
      const output = prism.output();
      return {
        upstreamNotImplemented: [...output.matchAll(/Upstream call to (\S+) has returned 501/g)].map((m) => m[1]),
      };
    },
  };
}

/** Writes the report: the server, the command, how many answers, and each distinct violation with its count. */
export function writeViolationReport(path, { upstream, violations, exchanges, notes, command, exitCode }) {
  mkdirSync(dirname(path), { recursive: true });
  const report = {
    upstream,
    spec: "spec/openapi.yaml, every object closed (additionalProperties: false) so that unknown fields show",
    command,
    exitCode,
    answers: exchanges,
    violations,
    upstreamNotImplemented: notes.upstreamNotImplemented,
  };
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

const CREDENTIALS = ["SIMCEL_API_KEY", "SIMCEL_CLIENT_ID", "SIMCEL_CLIENT_SECRET", "SIMCEL_TOKEN"];

async function main(argv) {
  const upstream = process.env.SIMCEL_CONTRACT_BASE_URL?.trim();
  const dash = argv.indexOf("--");
  const reportPath = resolve(
    repoRoot,
    argv.find((a) => a.startsWith("--report="))?.slice("--report=".length) ?? "reports/contract-violations.json",
  );
  if (!upstream || !CREDENTIALS.some((name) => process.env[name]?.trim())) {
    process.stderr.write(
      "contract:proxy: set SIMCEL_CONTRACT_BASE_URL to the server to check (e.g. https://app.simcel.io/api) and its credentials (SIMCEL_API_KEY, or SIMCEL_CLIENT_ID + SIMCEL_CLIENT_SECRET)\n",
    );
    return 2;
  }
  const command =
    dash >= 0 && argv.length > dash + 1
      ? argv.slice(dash + 1)
      : [resolve(repoRoot, "node_modules/.bin/vitest"), "run", "--project", "contract"];
  // the live suite runs the built CLI and MCP server, and the report names operations from the builds
  if (dash < 0) {
    const build = spawnSync(
      resolve(repoRoot, "node_modules/.bin/turbo"),
      ["run", "build", "--output-logs=errors-only"],
      {
        cwd: repoRoot,
        env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" },
        stdio: ["ignore", "inherit", "inherit"],
      },
    );
    if (build.status !== 0) return build.status ?? 1;
  }
  const proxy = await startContractProxy({ upstream });
  process.stderr.write(`contract:proxy: Prism validating ${upstream} at ${proxy.prismUrl}; tap at ${proxy.url}\n`);
  let exitCode;
  try {
    exitCode = await new Promise((done, fail) => {
      const child = spawn(command[0], command.slice(1), {
        cwd: repoRoot,
        stdio: "inherit",
        env: { ...process.env, SIMCEL_CONTRACT_BASE_URL: proxy.url, SIMCEL_BASE_URL: proxy.url },
      });
      child.once("error", fail);
      child.once("close", (code, signal) => done(code ?? (signal ? 1 : 0)));
    });
  } finally {
    const violations = proxy.violations();
    const exchanges = proxy.exchanges();
    const notes = await proxy.stop();
    writeViolationReport(reportPath, { upstream, violations, exchanges, notes, command: command.join(" "), exitCode });
    const total = violations.reduce((sum, v) => sum + v.count, 0);
    process.stderr.write(
      `contract:proxy: ${exchanges} answers, ${total} violations (${violations.length} distinct) → ${reportPath}\n`,
    );
  }
  return exitCode;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`contract:proxy: ${error instanceof Error ? error.message : error}\n`);
      process.exit(1);
    },
  );
