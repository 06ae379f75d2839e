import { existsSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";

/** Debian's Chromium, installed by the test setup (`.ci/run`, or `apt-get install chromium`). */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/** Where the browser tests keep their screenshots (gitignored; CI keeps the folder as an artifact). */
export const ARTIFACTS_DIR = resolve(import.meta.dirname, "../artifacts");

/**
 * Starts headless Chromium with the flags this closed network needs (no background connections,
 * no component updates), in a fresh profile. Fails with the install command when Chromium is missing.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: run \`apt-get install -y chromium\` (CI's .ci/run does)`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

/** Saves a full-page screenshot as test/artifacts/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = resolve(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
