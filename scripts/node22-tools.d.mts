// Types of node22-tools.mjs for the TypeScript tests.
export function node22Tool(name: string, bin?: string): { node: string; script: string; version: string };
