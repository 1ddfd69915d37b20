// Module hooks that let plain `node` (20+) run the repo's TypeScript test helpers (the rig's sandbox, the soak)
// outside vitest: for the long soak in `pnpm bench` and for the rig sandbox's own process. Types are stripped
// with the TypeScript compiler the repo already has (transpile only, no type check); a relative `./x.js` that
// does not exist resolves to `./x.ts`, as TypeScript's NodeNext imports are written.
// Use: `node --import ./scripts/ts-register.mjs file.ts`, or `register()` this file before a dynamic import.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (error?.code === "ERR_MODULE_NOT_FOUND" && /^\.\.?\//.test(specifier) && specifier.endsWith(".js"))
      return next(`${specifier.slice(0, -3)}.ts`, context);
    throw error;
  }
}

export async function load(url, context, next) {
  if (!url.startsWith("file:") || !url.endsWith(".ts")) return next(url, context);
  const fileName = fileURLToPath(url);
  const { outputText } = ts.transpileModule(await readFile(fileName, "utf8"), {
    fileName,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
      sourceMap: false,
    },
  });
  return { format: "module", source: outputText, shortCircuit: true };
}
