// createFileTokenStore (@simcel/auth/node) on a real directory: the TokenStore contract, file and directory
// modes, atomic writes, and locks left by crashed holders. Many processes at once: scripts/test/token-fleet.test.ts.
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createApiKeyCredential, rememberCredentialMaterial } from "../src/index.js";
import { createFileTokenStore, defaultTokenStoreDir } from "../src/node.js";
import { withTokenStore } from "../src/stored-credential.js";
import { API_KEY } from "./helpers.js";
import { tokenStoreContract } from "./token-store-contract.js";

const root = mkdtempSync(join(tmpdir(), "simcel-file-store-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let serial = 0;
const freshDir = () => join(root, `store-${++serial}`, "simcel");
const mode = (path: string) => statSync(path).mode & 0o777;

describe("with Date faked", () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ["Date"] }));
  afterEach(() => vi.useRealTimers());
  const dir = freshDir();
  tokenStoreContract("createFileTokenStore", {
    store: () => createFileTokenStore({ dir }),
    pass: async (ms) => void vi.setSystemTime(Date.now() + ms),
    shortTtlMs: 1_000,
  });

  it("an expired entry's file is removed when read", async () => {
    const dir = freshDir();
    const store = createFileTokenStore({ dir });
    await store.set("expiring", "value", 1_000);
    vi.setSystemTime(Date.now() + 1_001);
    await expect(store.get("expiring")).resolves.toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("createFileTokenStore", () => {
  it("creates its directory 0700 and every file 0600, and leaves no temporary file behind", async () => {
    const dir = freshDir();
    const store = createFileTokenStore({ dir });
    await store.set("entry", "sealed-value", 60_000);
    await store.set("entry", "sealed-value-2", 60_000);
    await store.lock("entry", "me", 60_000);
    expect(mode(dir)).toBe(0o700);
    expect(readdirSync(dir).sort()).toEqual(["entry.lock", "entry.token"]);
    for (const file of readdirSync(dir)) expect(mode(join(dir, file)), file).toBe(0o600);
    await store.unlock("entry", "me");
    await store.deleteIf("entry", "sealed-value-2");
    expect(readdirSync(dir)).toEqual([]);
  });

  it("keeps 0600/0700 under a permissive umask", async () => {
    const dir = freshDir();
    const previous = process.umask(0);
    try {
      await createFileTokenStore({ dir }).set("entry", "v", 60_000);
    } finally {
      process.umask(previous);
    }
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, "entry.token"))).toBe(0o600);
  });

  it("refuses a directory other users can read, and does not change its mode", async () => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    chmodSync(dir, 0o755);
    const store = createFileTokenStore({ dir });
    await expect(store.get("entry")).rejects.toThrow(/open to other users: chmod 700/);
    await expect(store.set("entry", "v", 1_000)).rejects.toThrow(/open to other users/);
    expect(mode(dir)).toBe(0o755);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("refuses a directory that belongs to another user", async () => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // as root, give it away; otherwise a root-owned directory is already someone else's
    let target = "/";
    if (process.getuid?.() === 0) {
      chownSync(dir, 65534, 65534);
      target = dir;
    }
    await expect(createFileTokenStore({ dir: target }).get("entry")).rejects.toThrow(/belongs to another user/);
  });

  it("refuses a file where the directory should be", async () => {
    const path = join(root, `not-a-dir-${++serial}`);
    writeFileSync(path, "");
    await expect(createFileTokenStore({ dir: path }).get("entry")).rejects.toThrow();
  });

  it("rejects keys that could leave the directory, and a missing dir option", async () => {
    const store = createFileTokenStore({ dir: freshDir() });
    for (const key of ["../escape", "a/b", "", ".", "x".repeat(129), "a.token"])
      await expect(store.get(key), key).rejects.toThrow(/token store keys/);
    expect(() => createFileTokenStore({ dir: "" })).toThrow(expect.objectContaining({ setting: "dir" }));
    expect(() => createFileTokenStore(undefined as never)).toThrow(expect.objectContaining({ setting: "dir" }));
  });

  it("ignores an entry file it cannot parse", async () => {
    const dir = freshDir();
    const store = createFileTokenStore({ dir });
    await store.set("entry", "v", 60_000);
    writeFileSync(join(dir, "entry.token"), "{not json");
    await expect(store.get("entry")).resolves.toBeUndefined();
    await store.set("entry", "v2", 60_000);
    await expect(store.get("entry")).resolves.toBe("v2");
  });

  describe("locks left behind", () => {
    const lockFile = (dir: string, content: object | string) =>
      writeFileSync(join(dir, "entry.lock"), typeof content === "string" ? content : JSON.stringify(content), {
        mode: 0o600,
      });
    const prepared = async () => {
      const dir = freshDir();
      const store = createFileTokenStore({ dir });
      await store.get("entry"); // creates the directory
      return { dir, store };
    };
    it("a lock of a process of this host that no longer runs is taken over at once", async () => {
      const { dir, store } = await prepared();
      const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
        encoding: "utf8",
      });
      const pid = Number(dead.stdout);
      lockFile(dir, { owner: "crashed", pid, host: hostname(), expiresAt: Date.now() + 60_000 });
      await expect(store.lock("entry", "me", 60_000)).resolves.toBe(true);
      expect(JSON.parse(readFileSync(join(dir, "entry.lock"), "utf8"))).toMatchObject({
        owner: "me",
        pid: process.pid,
      });
    });

    it("a lock of a live process, or of another host, is respected until it expires", async () => {
      const { dir, store } = await prepared();
      lockFile(dir, { owner: "live", pid: process.ppid, host: hostname(), expiresAt: Date.now() + 60_000 });
      await expect(store.lock("entry", "me", 60_000)).resolves.toBe(false);
      lockFile(dir, { owner: "remote", pid: 999_999_999, host: "another-host", expiresAt: Date.now() + 60_000 });
      await expect(store.lock("entry", "me", 60_000)).resolves.toBe(false);
      lockFile(dir, { owner: "remote", pid: 999_999_999, host: "another-host", expiresAt: Date.now() - 1 });
      await expect(store.lock("entry", "me", 60_000)).resolves.toBe(true);
    });

    it("an unreadable lock (a holder that crashed while writing it) is respected for 30 s, then taken over", async () => {
      const { dir, store } = await prepared();
      lockFile(dir, "");
      await expect(store.lock("entry", "me", 60_000)).resolves.toBe(false);
      const old = new Date(Date.now() - 31_000);
      utimesSync(join(dir, "entry.lock"), old, old);
      await expect(store.lock("entry", "me", 60_000)).resolves.toBe(true);
    });
  });

  it("defaultTokenStoreDir: $XDG_CACHE_HOME/simcel when absolute, else ~/.cache/simcel", () => {
    expect(defaultTokenStoreDir({ XDG_CACHE_HOME: "/var/cache/me" })).toBe("/var/cache/me/simcel");
    expect(defaultTokenStoreDir({ XDG_CACHE_HOME: "relative/path" })).toMatch(/\.cache\/simcel$/);
    expect(defaultTokenStoreDir({})).toMatch(/\.cache\/simcel$/);
  });

  it("through withTokenStore: a second process takes the token from disk, and no file holds it in plaintext", async () => {
    const dir = freshDir();
    let requests = 0;
    const fetch = async () => {
      requests++;
      return Response.json({ accessToken: `tok_FAKE_disk_${requests}`, expiresIn: 3600, tokenType: "Bearer" });
    };
    const process_ = () => {
      const credential = createApiKeyCredential({ apiKey: API_KEY, fetch });
      rememberCredentialMaterial(credential, { secret: API_KEY });
      // generous store budgets: on a busy machine a sealed write took over the 200 ms default, and the store was
      // bypassed (a second token); the bypass has tests of its own
      return withTokenStore(credential, createFileTokenStore({ dir }), {
        operationTimeoutMs: 10_000,
        connectTimeoutMs: 10_000,
      });
    };
    const first = await process_().getToken();
    await expect(process_().getToken()).resolves.toMatchObject({ token: first.token });
    expect(requests).toBe(1);
    for (const file of readdirSync(dir)) {
      const text = readFileSync(join(dir, file), "utf8");
      for (const secret of ["FAKE", first.token, API_KEY, btoa(first.token)]) expect(text).not.toContain(secret);
    }
  });
});
