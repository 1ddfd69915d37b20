// Types of spec-tools.mjs for the TypeScript tests.
import type Ajv from "ajv";

/** The parsed spec: any JSON. */
// biome-ignore lint/suspicious/noExplicitAny: a parsed YAML document has no static type
export type SpecDocument = any;

export interface SpecOperation {
  operationId: string;
  method: string;
  path: string;
  tags: string[];
  secured: boolean;
  scope: string | undefined;
  statuses: number[];
  /** Per status: the named examples of the JSON body, and the documented header names. */
  responses: Record<string, { examples: Record<string, unknown>; headers: string[] }>;
  // biome-ignore lint/suspicious/noExplicitAny: the raw operation object of the spec
  operation: any;
}

export function loadSpec(path?: string): SpecDocument;
export function deref(doc: SpecDocument, node: unknown): SpecDocument;
export function listOperations(doc?: SpecDocument): SpecOperation[];
export function createSpecAjv(doc?: SpecDocument): Ajv;
export function validateResponse(
  doc: SpecDocument,
  ajv: Ajv,
  operationId: string,
  status: number,
  body: unknown,
): unknown[];
