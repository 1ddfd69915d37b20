// Every published package (whatever packages/ holds — a package added later is covered without a list to update),
// installed ALONE from its tarball into a fresh project outside the workspace, offline with the workspace lockfile's
// versions (scripts/release/consumer.ts; stranger.consumer.test.ts covers the newest versions): each `exports` entry loads
// with `import` (and with `require` where the package offers it), and each bin answers `--help` with exit 0.
// The per-package consumer programs (node, typescript, cli, browser, peer-range) prove the behaviour; this proves
// that nothing a package needs at run time is missing from its published manifest.
import { afterAll, describe, expect, inject, it } from "vitest";
import { type Consumer, createConsumer, loadEntriesAndBins } from "../consumer.js";

const packed = inject("packed");
const consumers: Consumer[] = [];
afterAll(() => {
  for (const c of consumers) c.remove();
});

describe.each(packed.map((p) => [p.name, p] as const))("%s installed alone", (name) => {
  it("installs offline; its entry points load and its bins answer --help", () => {
    // loadEntriesAndBins fails the test (runOk, or the --help assertion) when an entry or a bin does not work
    const consumer = createConsumer(`alone-${name.replace(/\W/g, "-")}`, packed, { packages: [name] });
    consumers.push(consumer);
    const lines = [`install ${consumer.installMs} ms`, ...loadEntriesAndBins(consumer, name)];
    expect(lines.length).toBeGreaterThan(1); // something was loaded or run
    process.stderr.write(`[consumer alone ${name}] ${lines.join(", ")}\n`);
  });
});
