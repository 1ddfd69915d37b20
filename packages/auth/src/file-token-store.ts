// A token store in a directory, for the CLI and local tools: one process at a time or many at once.
// Node only (imported through @simcel/auth/node), so browser bundles never see node:fs.
import { randomBytes } from "node:crypto";
import { link, mkdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { homedir, hostname } from "node:os";
import { isAbsolute, join } from "node:path";
import { AuthConfigError, SimcelAuthError } from "./errors.js";
import { safeToLog } from "./safe-to-log.js";
import { checkStoreKey, type TokenStore } from "./token-store.js";

/** Options of {@link createFileTokenStore}. */
export interface FileTokenStoreOptions {
  /** The directory of the store: created with mode 0700 if missing; refused if others can read it. */
  dir: string;
}

/** A lock file that says nothing readable after this long belongs to a holder that crashed while creating it. */
const unreadableLockMs = 30_000;

const errno = (error: unknown) => (error as { code?: string } | null)?.code;

/**
 * A {@link TokenStore} in a directory: one file (mode 0600) per entry in a directory of mode 0700, written
 * atomically (a temporary file renamed over the old one). The lock of an entry is a file created
 * exclusively, holding its owner, expiry, process id and host name: a lock past its expiry, or left by a
 * process of this host that no longer runs, is taken over, so a crashed holder never blocks anyone for long.
 * Safe for concurrent processes on one machine. The values it holds are sealed by @simcel/auth.
 */
export function createFileTokenStore(options: FileTokenStoreOptions): TokenStore {
  const dir = options?.dir;
  if (typeof dir !== "string" || !dir.trim())
    throw new AuthConfigError("dir is required: the directory of the token store", { setting: "dir" });
  const path = (key: string, suffix: "token" | "lock") => {
    checkStoreKey(key);
    return join(dir, `${key}.${suffix}`);
  };
  const valuePath = (key: string) => path(key, "token");
  const lockPath = (key: string) => path(key, "lock");
  const scratch = (suffix: string) => join(dir, `.${randomBytes(9).toString("base64url")}.${suffix}`);

  let ready: Promise<void> | undefined;
  const prepare = () =>
    (ready ??= (async () => {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const info = await stat(dir);
      if (!info.isDirectory()) throw new SimcelAuthError(`the token store ${dir} is not a directory`);
      const uid = process.getuid?.();
      if (uid !== undefined && info.uid !== uid)
        throw new SimcelAuthError(`the token store directory ${dir} belongs to another user`);
      // not chmod-ed for the user: a shared directory passed by mistake (say /tmp) must stay as it is
      if (process.platform !== "win32" && (info.mode & 0o077) !== 0)
        throw new SimcelAuthError(`the token store directory ${dir} is open to other users: chmod 700 it`);
    })().catch((error) => {
      ready = undefined;
      throw error;
    }));

  const read = (path: string) =>
    readFile(path, "utf8").catch((error) => {
      if (errno(error) === "ENOENT") return undefined;
      throw error;
    });

  /** Writes `path` whole or not at all: readers see the old content or the new, never a part. */
  async function writeAtomically(path: string, content: string) {
    const temporary = scratch("tmp");
    try {
      await writeFile(temporary, content, { mode: 0o600, flag: "wx" });
      await rename(temporary, path);
    } catch (error) {
      await unlink(temporary).catch(() => {});
      throw error;
    }
  }

  /**
   * Removes `path` only if its content `matches`, without deleting a file another process wrote in
   * between: the file is first moved aside (atomic), checked there, and put back if it was not the one.
   */
  async function removeIf(path: string, matches: (content: string) => boolean): Promise<boolean> {
    const content = await read(path);
    if (content === undefined || !matches(content)) return false;
    const aside = scratch("del");
    try {
      await rename(path, aside);
    } catch (error) {
      if (errno(error) === "ENOENT") return false;
      throw error;
    }
    const moved = await readFile(aside, "utf8");
    if (!matches(moved)) {
      // a newer file replaced the one we checked: restore it, unless a newer one still is there by now
      await link(aside, path).catch((error) => {
        if (errno(error) !== "EEXIST") throw error;
      });
    }
    await unlink(aside);
    return matches(moved);
  }

  const parse = <T>(content: string | undefined): Partial<T> | undefined => {
    try {
      const value = content === undefined ? undefined : JSON.parse(content);
      return value && typeof value === "object" ? value : undefined;
    } catch {
      return undefined;
    }
  };
  type Entry = { value: string; expiresAt: number };
  type Lock = { owner: string; expiresAt: number; pid: number; host: string };

  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return errno(error) === "EPERM";
    }
  };
  async function stale(path: string, content: string) {
    const lock = parse<Lock>(content);
    if (typeof lock?.expiresAt !== "number" || typeof lock.owner !== "string") {
      const info = await stat(path).catch(() => undefined);
      return !!info && Date.now() - info.mtimeMs > unreadableLockMs;
    }
    if (lock.expiresAt <= Date.now()) return true;
    return lock.host === hostname() && typeof lock.pid === "number" && lock.pid !== process.pid && !alive(lock.pid);
  }

  const ttl = (ttlMs: number) => {
    if (!(ttlMs > 0 && ttlMs < Infinity)) throw new SimcelAuthError("a token store ttlMs must be a positive number");
    return Date.now() + ttlMs;
  };

  return safeToLog(
    "SimcelFileTokenStore",
    {
      async get(key: string) {
        const path = valuePath(key);
        await prepare();
        const content = await read(path);
        const entry = parse<Entry>(content);
        if (typeof entry?.value !== "string" || typeof entry.expiresAt !== "number") return undefined;
        if (entry.expiresAt > Date.now()) return entry.value;
        await removeIf(path, (c) => c === content);
        return undefined;
      },
      async set(key: string, value: string, ttlMs: number) {
        const path = valuePath(key);
        const expiresAt = ttl(ttlMs);
        await prepare();
        await writeAtomically(path, JSON.stringify({ expiresAt, value } satisfies Entry));
      },
      async deleteIf(key: string, expected: string) {
        const path = valuePath(key);
        await prepare();
        return removeIf(path, (c) => parse<Entry>(c)?.value === expected);
      },
      async lock(key: string, owner: string, ttlMs: number) {
        const path = lockPath(key);
        const lock: Lock = { owner, expiresAt: ttl(ttlMs), pid: process.pid, host: hostname() };
        await prepare();
        for (let attempt = 0; attempt < 3; attempt++) {
          try {
            await writeFile(path, JSON.stringify(lock), { mode: 0o600, flag: "wx" });
            return true;
          } catch (error) {
            if (errno(error) !== "EEXIST") throw error;
          }
          const content = await read(path);
          // released meanwhile: try again; held by a live owner: not ours
          if (content !== undefined && !(await stale(path, content))) return false;
          if (content !== undefined) await removeIf(path, (c) => c === content);
        }
        return false;
      },
      async unlock(key: string, owner: string) {
        const path = lockPath(key);
        await prepare();
        return removeIf(path, (c) => parse<Lock>(c)?.owner === owner);
      },
    },
    { dir },
  );
}

/**
 * Where the `simcel` tools keep their token store: `$XDG_CACHE_HOME/simcel` when that is an absolute
 * path, else `~/.cache/simcel`.
 */
export function defaultTokenStoreDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const xdg = env.XDG_CACHE_HOME?.trim();
  return xdg && isAbsolute(xdg) ? join(xdg, "simcel") : join(homedir(), ".cache", "simcel");
}
