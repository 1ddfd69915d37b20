// The consumer installs' pins (scripts/release/lockfile-pins.mjs): the workspace lockfile's versions per parent
// package, applied by a generated readPackage hook, so an offline consumer install never resolves a version the
// store does not hold.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lockfilePins, pinsPnpmfile } from "../release/lockfile-pins.mjs";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

// A pnpm 12 lockfile: the package manager's own document first, then the project's.
const LOCKFILE = `---
lockfileVersion: '9.0'

importers:

  .:
    packageManagerDependencies:
      pnpm:
        specifier: 12.4.2
        version: 12.4.2

packages:

  pnpm@12.4.2:
    resolution: {integrity: sha512-x}

snapshots:

  pnpm@12.4.2: {}

---
lockfileVersion: '9.0'

importers:

  .:
    devDependencies:
      tool:
        specifier: ^1.0.0
        version: 1.2.0

  packages/demo:
    dependencies:
      '@demo/core':
        specifier: workspace:*
        version: link:../core
      chalk:
        specifier: ^5.0.0
        version: 5.6.2
      openapi-fetch:
        specifier: 0.17.0
        version: 0.17.0

packages:

  chalk@2.4.2:
    resolution: {integrity: sha512-a}
  chalk@5.6.2:
    resolution: {integrity: sha512-b}
  tool@1.2.0:
    resolution: {integrity: sha512-c}
  old-reporter@3.0.0:
    resolution: {integrity: sha512-d}
  marked@9.1.6:
    resolution: {integrity: sha512-e}
  marked-terminal@7.3.1:
    resolution: {integrity: sha512-f}
  string-width@4.2.3:
    resolution: {integrity: sha512-g}
  openapi-fetch@0.17.0:
    resolution: {integrity: sha512-h}

snapshots:

  chalk@2.4.2: {}
  chalk@5.6.2: {}
  openapi-fetch@0.17.0: {}
  string-width@4.2.3: {}
  marked@9.1.6: {}

  tool@1.2.0:
    dependencies:
      chalk: 5.6.2
      marked-terminal: 7.3.1(marked@9.1.6)
      string-width-cjs: string-width@4.2.3
    optionalDependencies:
      old-reporter: 3.0.0

  old-reporter@3.0.0:
    dependencies:
      chalk: 2.4.2

  marked-terminal@7.3.1(marked@9.1.6):
    dependencies:
      marked: 9.1.6
`;

function fixture() {
  const root = mkdtempSync(join(tmpdir(), "simcel-pins-"));
  dirs.push(root);
  writeFileSync(join(root, "pnpm-lock.yaml"), LOCKFILE);
  mkdirSync(join(root, "packages/demo"), { recursive: true });
  writeFileSync(join(root, "packages/demo/package.json"), JSON.stringify({ name: "@demo/pkg" }));
  return root;
}

type Manifest = { name: string; version: string } & Partial<
  Record<"dependencies" | "optionalDependencies" | "peerDependencies", Record<string, string>>
>;

/** The generated .pnpmfile.cjs, loaded as pnpm loads it. */
function loadHook(source: string): (pkg: Manifest) => Manifest {
  const dir = mkdtempSync(join(tmpdir(), "simcel-pnpmfile-"));
  dirs.push(dir);
  writeFileSync(join(dir, ".pnpmfile.cjs"), source);
  return createRequire(join(dir, "x.cjs"))("./.pnpmfile.cjs").hooks.readPackage;
}

describe("lockfilePins", () => {
  it("pins each package's dependencies to the versions resolved for that parent, not one version per name", () => {
    const pins = lockfilePins(fixture());
    expect(pins.packages["tool@1.2.0"]).toEqual({
      chalk: "5.6.2",
      "marked-terminal": "7.3.1", // the peer suffix is not part of the version
      "string-width-cjs": "npm:string-width@4.2.3", // an alias stays an alias
      "old-reporter": "3.0.0", // optional dependencies too
    });
    expect(pins.packages["old-reporter@3.0.0"]).toEqual({ chalk: "2.4.2" });
    // a peer-suffixed snapshot is found by its plain name@version
    expect(pins.packages["marked-terminal@7.3.1"]).toEqual({ marked: "9.1.6" });
    expect(pins.packages["pnpm@12.4.2"]).toBeUndefined(); // the package manager's own document is not the project's
  });

  it("pins the workspace packages by their package name, leaving workspace links out", () => {
    const pins = lockfilePins(fixture());
    expect(pins.importers).toEqual({ "@demo/pkg": { chalk: "5.6.2", "openapi-fetch": "0.17.0" } });
  });

  it("says which file it could not use", () => {
    const root = fixture();
    writeFileSync(join(root, "pnpm-lock.yaml"), "lockfileVersion: '9.0'\nimporters: {}\n");
    expect(() => lockfilePins(root)).toThrow(/pnpm-lock\.yaml: no document with the workspace's importers/);
  });
});

describe("the generated readPackage hook", () => {
  it("rewrites ranges to the pinned versions, per parent; leaves file: specs and unknown packages alone", () => {
    const readPackage = loadHook(pinsPnpmfile(lockfilePins(fixture())));
    expect(
      readPackage({
        name: "tool",
        version: "1.2.0",
        dependencies: { chalk: "^5.0.0", "marked-terminal": "^7.0.0", "string-width-cjs": "npm:string-width@^4.2.0" },
        optionalDependencies: { "old-reporter": "^3.0.0" },
      }),
    ).toEqual({
      name: "tool",
      version: "1.2.0",
      dependencies: { chalk: "5.6.2", "marked-terminal": "7.3.1", "string-width-cjs": "npm:string-width@4.2.3" },
      optionalDependencies: { "old-reporter": "3.0.0" },
    });
    expect(readPackage({ name: "old-reporter", version: "3.0.0", dependencies: { chalk: "^2.4.1" } })).toEqual({
      name: "old-reporter",
      version: "3.0.0",
      dependencies: { chalk: "2.4.2" },
    });
    const unknown = { name: "tool", version: "9.9.9", dependencies: { chalk: "^5.0.0" } };
    expect(readPackage(structuredClone(unknown))).toEqual(unknown);
    const workspace = {
      name: "@demo/pkg",
      version: "0.0.0",
      dependencies: { "@demo/core": "file:/tmp/core.tgz", chalk: "^5.0.0" },
    };
    expect(readPackage(workspace).dependencies).toEqual({ "@demo/core": "file:/tmp/core.tgz", chalk: "5.6.2" });
  });

  it("narrows a peer to the pinned version unless the consumer provides it itself", () => {
    const pins = lockfilePins(fixture());
    const peerOf = (direct: string[]) =>
      loadHook(pinsPnpmfile(pins, direct))({
        name: "@demo/pkg",
        version: "0.0.0",
        peerDependencies: { "openapi-fetch": "^0.15.0 || ^0.16.0 || ^0.17.0" },
      }).peerDependencies;
    expect(peerOf([])).toEqual({ "openapi-fetch": "0.17.0" }); // auto-installed: the workspace's version
    expect(peerOf(["openapi-fetch"])).toEqual({ "openapi-fetch": "^0.15.0 || ^0.16.0 || ^0.17.0" });
  });
});

describe("the workspace lockfile", () => {
  it("pins the whole dependency closure of every published package", () => {
    const pins = lockfilePins();
    expect(Object.keys(pins.importers).length).toBeGreaterThan(3);
    const missing: string[] = [];
    for (const [name, deps] of Object.entries(pins.importers)) {
      const at = (dep: string, version: string) =>
        version.startsWith("npm:") ? version.slice(4) : `${dep}@${version}`;
      const queue = Object.entries(deps).map(([dep, version]) => at(dep, version));
      const seen = new Set<string>();
      while (queue.length > 0) {
        const key = queue.pop() as string;
        if (seen.has(key)) continue;
        seen.add(key);
        const own = pins.packages[key];
        if (own === undefined) missing.push(`${name} → ${key}`);
        else queue.push(...Object.entries(own).map(([dep, version]) => at(dep, version)));
      }
    }
    expect(missing).toEqual([]);
  });
});
