// Debian's Chromium for the browser tests, driven by playwright-core (it cannot download a browser here):
// the one home of how it is started. `.ci/run` installs it when missing; a test never skips for its lack.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

/** Where Debian's package puts it. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/** A headless Chromium with a fresh profile; `close()` stops it and removes the profile. */
export interface LaunchedChromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Starts Chromium headless in a fresh profile directory, with the flags that keep it off this machine's closed
 * network (no background requests, no component updates, no sync, no first-run pages).
 */
export async function launchChromium(
  options: { viewport?: { width: number; height: number } } = {},
): Promise<LaunchedChromium> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`${CHROMIUM_PATH} is missing: apt-get install -y chromium (.ci/run installs it when missing)`);
  const profile = mkdtempSync(join(tmpdir(), "simcel-chromium-profile-"));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
      ...(options.viewport && { viewport: options.viewport }),
    });
    return {
      context,
      async close() {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}
