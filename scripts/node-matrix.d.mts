// Types of node-matrix.mjs for the TypeScript tests.
export const nodeMajors: number[];
export function nodeBinary(major: number): string;
export function matrixMajors(env?: Record<string, string | undefined>): number[];
export function matrixScope(env?: Record<string, string | undefined>): "full" | "packages";
