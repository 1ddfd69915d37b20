// @simcel/sandbox as a stranger gets it: the packed tarball (with @simcel/auth and @simcel/insights) installed
// offline into a fresh project outside the workspace, and the README's examples run for real, word for word —
// the quick start with node, and the vitest globalSetup, the user's own code and its test against a fault with
// vitest, after tsc has type-checked them strictly against the published types. vitest is the workspace's,
// linked in: an offline install of it resolves its dependency ranges to versions the store may not hold.
import { readFileSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { repoRoot } from "../../prism.mjs";
import { type Consumer, createConsumer, workspaceVersion } from "../consumer.js";

const readme = readFileSync(resolve(repoRoot, "packages/sandbox/README.md"), "utf8");
/** The README's code blocks that name their file on their first line (`// ebit.test.ts`), by file name. */
const files = Object.fromEntries(
  [...readme.matchAll(/```(?:js|ts)\n\/\/ (\S+)\n([\s\S]*?)```/g)].map(([, name, body]) => [
    name as string,
    `// ${name}\n${body}`,
  ]),
);
let consumer: Consumer | undefined;
afterAll(() => consumer?.remove());

describe("@simcel/sandbox README, run by a consumer of the packed tarball", () => {
  it("has a quick start, a globalSetup, the user's own code and its test against a fault", () => {
    expect(Object.keys(files).sort()).toEqual(
      ["ebit.test.ts", "ebit.ts", "plans.test.ts", "quickstart.mjs", "vitest.config.ts", "vitest.setup.ts"].sort(),
    );
  });

  it("installs offline, type-checks, and runs every example", () => {
    consumer = createConsumer("sandbox", inject("packed"), {
      packages: ["@simcel/sandbox", "@simcel/auth", "@simcel/insights"],
      dependencies: {
        "openapi-fetch": workspaceVersion("openapi-fetch"),
        typescript: workspaceVersion("typescript"),
        "@types/node": workspaceVersion("@types/node"),
      },
      fixture: "sandbox",
    });
    symlinkSync(
      realpathSync(resolve(repoRoot, "node_modules/vitest")),
      join(consumer.dir, "node_modules/vitest"),
      "dir",
    );
    for (const [name, text] of Object.entries(files)) writeFileSync(join(consumer.dir, name), text);

    const tsc = consumer.run(process.execPath, [join(consumer.dir, "node_modules/typescript/bin/tsc"), "-p", "."]);
    expect(`${tsc.stdout}${tsc.stderr}`, "tsc reported errors").toBe("");
    expect(tsc.status).toBe(0);

    const quick = consumer.runOk(process.execPath, ["quickstart.mjs"]);
    // the first plan's 24 months, then two 503s ridden out: 1 + 3 requests of the P&L
    expect(quick.stdout).toMatch(/^.+ 24 months\n4 P&L requests\n$/);

    const report = join(consumer.dir, "vitest.json");
    const tests = consumer.run(process.execPath, [
      join(consumer.dir, "node_modules/vitest/vitest.mjs"),
      "run",
      "--reporter=json",
      `--outputFile=${report}`,
    ]);
    const json = JSON.parse(readFileSync(report, "utf8"));
    const results = json.testResults.flatMap((f: { assertionResults: { fullName: string; status: string }[] }) =>
      f.assertionResults.map((t) => `${t.status} ${t.fullName}`),
    );
    expect(results.sort(), `${tests.stdout}${tests.stderr}`).toEqual(
      [
        "passed gives null, not a crash, when the P&L never comes",
        "passed lists plans with their scenarios",
        "passed rides out two 503s",
      ].sort(),
    );
    expect(tests.status).toBe(0);
    process.stderr.write(
      `[consumer sandbox] install ${consumer.installMs} ms, tsc ${tsc.ms} ms, quick start ${quick.ms} ms, vitest ${tests.ms} ms\n`,
    );
  });
});
