// What the registry would receive: the package.json and README inside each packed tarball. No development setup
// (devDependencies naming the private @simcel/core, scripts pointing at ../..), no workspace:/catalog: ranges,
// the provenance metadata (repository with directory, homepage, bugs) from the root package.json, engines that
// say exactly which Node majors CI proves, peers declared by whoever depends on a library, absolute README links.
import { execFileSync } from "node:child_process";
import semver from "semver";
import { describe, expect, inject, it } from "vitest";
import { nodeMajors } from "../../node-matrix.mjs";
import { repositoryUrl, workspacePackages } from "../../workspace.mjs";

const packed = inject("packed");
const fromTarball = (tarball: string, path: string) =>
  execFileSync("tar", ["-xzf", tarball, "-O", `package/${path}`], { encoding: "utf8" });
// biome-ignore lint/suspicious/noExplicitAny: a package.json as read
const manifests: Record<string, any> = Object.fromEntries(
  packed.map((p) => [p.name, JSON.parse(fromTarball(p.tarball, "package.json"))]),
);
const privateNames = workspacePackages()
  .filter((p) => p.manifest.private === true)
  .map((p) => p.name);

describe.each(packed.map((p) => [p.name, p] as const))("packed %s", (name, pkg) => {
  const manifest = manifests[name];

  it("has no devDependencies or scripts, and no workspace: or catalog: range", () => {
    expect(manifest.devDependencies).toBeUndefined();
    expect(manifest.scripts).toBeUndefined();
    expect(JSON.stringify(manifest)).not.toMatch(/"(workspace|catalog):/);
  });

  it("depends on no private workspace package", () => {
    const names = ["dependencies", "peerDependencies", "optionalDependencies"].flatMap((f) =>
      Object.keys(manifest[f] ?? {}),
    );
    expect(names.filter((n) => privateNames.includes(n))).toEqual([]);
  });

  it("carries repository (with its directory), homepage and bugs from the root package.json", () => {
    const url = repositoryUrl();
    expect(url).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
    expect(manifest.repository).toEqual({ type: "git", url: `git+${url}.git`, directory: pkg.relDir });
    expect(manifest.homepage).toBe(`${url}/tree/main/${pkg.relDir}#readme`);
    expect(manifest.bugs).toEqual({ url: `${url}/issues` });
  });

  it("engines admit exactly the Node majors CI runs", () => {
    const range = manifest.engines?.node as string;
    for (const major of nodeMajors) expect(semver.intersects(range, `^${major}.0.0`), `Node ${major}`).toBe(true);
    for (const major of [18, 19, 21, 23, 25, 26].filter((m) => !nodeMajors.includes(m)))
      expect(semver.intersects(range, `^${major}.0.0`), `Node ${major} is not proven`).toBe(false);
    expect(semver.satisfies(process.versions.node, range)).toBe(true);
  });

  it("declares every peer dependency of the packages it depends on", () => {
    const own = { ...manifest.dependencies, ...manifest.peerDependencies };
    for (const dep of Object.keys(manifest.dependencies ?? {})) {
      const peers = manifests[dep]?.peerDependencies ?? {};
      for (const [peer, range] of Object.entries(peers)) {
        expect(own[peer], `${name} depends on ${dep}, whose peer ${peer} it must provide`).toBeDefined();
        expect(semver.subset(semver.validRange(own[peer]) ?? own[peer], range as string)).toBe(true);
      }
    }
  });

  it("ships only the build, README, LICENSE and package.json (the MCP server also its registry entry and icons)", () => {
    const shipped =
      name === "@simcel/mcp"
        ? /^(dist\/|icons\/|server\.json$|README\.md$|LICENSE$|package\.json$)/
        : /^(dist\/|README\.md$|LICENSE$|package\.json$)/;
    expect(pkg.files.filter((f) => !shipped.test(f))).toEqual([]);
    expect(pkg.files).toContain("README.md");
  });

  it("README links are absolute (the registry shows it outside the repository)", () => {
    const readme = fromTarball(pkg.tarball, "README.md");
    const links = [...readme.matchAll(/\]\(([^)\s]+)[^)]*\)|<a [^>]*href="([^"]+)"/g)].map((m) => m[1] ?? m[2]);
    const relative = links.filter((l) => !/^(https?:\/\/|mailto:|#)/.test(l as string));
    expect(relative).toEqual([]);
    // links into our own GitHub organisation must point at the one repository URL; others (a library's) are theirs
    const owner = new URL(repositoryUrl()).pathname.split("/")[1];
    const ours = links.filter((l) => (l as string).startsWith(`https://github.com/${owner}/`));
    for (const link of ours) expect(link?.startsWith(`${repositoryUrl()}/`), link).toBe(true);
  });
});
