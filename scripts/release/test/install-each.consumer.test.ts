// Every published package (whatever packages/ holds — a package added later is covered without a list to update),
// installed ALONE from its tarball into a fresh project outside the workspace, offline: each `exports` entry loads
// with `import` (and with `require` where the package offers it), and each bin answers `--help` with exit 0.
// The per-package consumer programs (node, typescript, cli, browser, peer-range) prove the behaviour; this proves
// that nothing a package needs at run time is missing from its published manifest.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { type Consumer, createConsumer } from "../consumer.js";

const packed = inject("packed");
const consumers: Consumer[] = [];
afterAll(() => {
  for (const c of consumers) c.remove();
});

/** Subpaths of an exports map with their conditions (`.` → ["import", "require"]). */
function entries(manifest: { exports?: unknown; main?: string }): [string, string[]][] {
  const exp = manifest.exports;
  if (!exp) return manifest.main ? [[".", ["require"]]] : [];
  if (typeof exp === "string") return [[".", ["import"]]];
  const map = exp as Record<string, unknown>;
  const subpaths = Object.keys(map).some((k) => k.startsWith(".")) ? map : { ".": map };
  return Object.entries(subpaths)
    .filter(([subpath]) => !subpath.endsWith(".json") && !subpath.includes("*"))
    .map(([subpath, target]) => [
      subpath,
      typeof target === "string" ? ["import"] : Object.keys(target as object).filter((c) => c !== "types"),
    ]);
}

describe.each(packed.map((p) => [p.name, p] as const))("%s installed alone", (name) => {
  it("installs offline; its entry points load and its bins answer --help", () => {
    const consumer = createConsumer(`alone-${name.replace(/\W/g, "-")}`, packed, { packages: [name] });
    consumers.push(consumer);
    const manifest = JSON.parse(readFileSync(join(consumer.dir, "node_modules", name, "package.json"), "utf8"));
    const lines = [`install ${consumer.installMs} ms`];

    for (const [subpath, conditions] of entries(manifest)) {
      const specifier = subpath === "." ? name : `${name}/${subpath.slice(2)}`;
      if (conditions.some((c) => c === "import" || c === "default" || c === "node")) {
        const run = consumer.runOk(process.execPath, [
          "--input-type=module",
          "-e",
          `const m = await import(${JSON.stringify(specifier)}); if (!Object.keys(m).length) process.exit(3);`,
        ]);
        lines.push(`import ${specifier} ${run.ms} ms`);
      }
      if (conditions.includes("require")) {
        const run = consumer.runOk(process.execPath, [
          "-e",
          `const m = require(${JSON.stringify(specifier)}); if (!Object.keys(m).length) process.exit(3);`,
        ]);
        lines.push(`require ${specifier} ${run.ms} ms`);
      }
    }
    const bins = typeof manifest.bin === "string" ? { [name.split("/").pop() as string]: manifest.bin } : manifest.bin;
    for (const bin of Object.keys(bins ?? {})) {
      const run = consumer.run("npx", [bin, "--help"]);
      expect(run.status, `npx ${bin} --help:\n${run.stdout}${run.stderr}`).toBe(0);
      expect(run.stdout.length).toBeGreaterThan(0);
      lines.push(`npx ${bin} --help ${run.ms} ms`);
    }
    expect(lines.length).toBeGreaterThan(1); // something was loaded or run
    process.stderr.write(`[consumer alone ${name}] ${lines.join(", ")}\n`);
  });
});
