// Headless Chromium for browser tests: Debian's /usr/bin/chromium driven by playwright-core.
// In CI (CI=true) a missing Chromium is installed with apt-get (the runner is root); elsewhere
// the browser tests skip with a clear message. Every page records console errors, so a test
// can fail on any of them, and screenshots land in test-results/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type ConsoleMessage, chromium, type Page } from 'playwright-core';
import { repoRoot } from '../shared-data.ts';

export const chromiumPath = process.env.VIGIL_CHROMIUM ?? '/usr/bin/chromium';
export const screenshotDir = join(repoRoot, 'test-results');

/** Whether Chromium is available, installing it in CI. */
export function ensureChromium(): boolean {
  if (existsSync(chromiumPath)) return true;
  if (process.env.CI !== 'true') {
    console.warn(
      `skipping browser tests: ${chromiumPath} not found (install Debian's chromium package, or run in CI where it is installed)`,
    );
    return false;
  }
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium', 'fonts-noto-cjk'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (!existsSync(chromiumPath)) throw new Error(`apt-get installed chromium but ${chromiumPath} is missing`);
  return true;
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
