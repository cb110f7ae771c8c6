// Headless Chromium for browser tests: Debian's /usr/bin/chromium driven by playwright-core.
// In CI (CI=true) a missing Chromium fails the tests; elsewhere they skip with a clear message.
// Every page records console errors, so a test can fail on any of them, and screenshots land
// in test-results/.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type ConsoleMessage, chromium, type Page } from 'playwright-core';
import { repoRoot } from '../shared-data.ts';

export const chromiumPath = process.env.VIGIL_CHROMIUM ?? '/usr/bin/chromium';
export const screenshotDir = join(repoRoot, 'test-results');

/**
 * Whether Chromium is available. In CI a missing browser fails the suite (the CI script installs
 * Debian's chromium with apt-get); elsewhere the browser tests skip with a clear message.
 */
export function ensureChromium(): boolean {
  if (existsSync(chromiumPath)) return true;
  if (process.env.CI === 'true')
    throw new Error(`browser tests: ${chromiumPath} is missing in CI (apt-get install -y chromium fonts-noto-cjk)`);
  console.warn(
    `skipping browser tests: ${chromiumPath} not found (install Debian's chromium package, or set VIGIL_CHROMIUM)`,
  );
  return false;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export interface WatchedPage {
  readonly page: Page;
  /** Console errors and uncaught page errors seen so far. */
  readonly errors: string[];
  screenshot(name: string): Promise<string>;
}

export async function openPage(
  browser: Browser,
  options: { locale?: string; viewport?: { width: number; height: number } } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1440, height: 900 },
    locale: options.locale ?? 'en-US',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  mkdirSync(screenshotDir, { recursive: true });
  return {
    page,
    errors,
    async screenshot(name: string) {
      const path = join(screenshotDir, `${name}.png`);
      await page.screenshot({ path, fullPage: false });
      return path;
    },
  };
}
