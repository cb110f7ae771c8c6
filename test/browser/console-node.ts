// A whole node serving the built console, for the browser tests that need only our own rules: the
// SOC runtime on an in-memory DuckDB store, started on a free port without syslog or GeoIP, with
// a known administrator password. One place for the wiring those tests share.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createSocRuntime, type SocRuntime } from '../../src/cli/soc-runtime.ts';
import { loadConfig } from '../../src/config/config.ts';
import { silentLogger } from '../../src/pipeline/logger.ts';
import { Metrics } from '../../src/pipeline/metrics.ts';
import { type RunningVigil, startVigil } from '../../src/server/start-vigil.ts';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.ts';
import { repoRoot } from '../shared-data.ts';
import { ensureChromium } from './chromium.ts';

export const consoleRoot = join(repoRoot, 'web', 'dist');

/**
 * Whether the browser tests can run here (Chromium installed; in CI a missing one fails). A
 * console that was not built is an error, not a skip.
 */
export function browserTestsAvailable(): boolean {
  const available = ensureChromium();
  if (available && !existsSync(join(consoleRoot, 'index.html')))
    throw new Error('browser tests: web/dist is not built (npm run build:web; npm test builds it)');
  return available;
}

export interface ConsoleNode {
  readonly running: RunningVigil;
  readonly runtime: SocRuntime;
  close(): Promise<void>;
}

/** Starts a node in a new temporary data dir (`name` labels it) whose `admin` signs in with `password`. */
export async function startConsoleNode(name: string, password: string): Promise<ConsoleNode> {
  const dataDir = mkdtempSync(join(tmpdir(), `vigil-browser-${name}-`));
  const store = await DuckDbStore.open(':memory:');
  const metrics = new Metrics();
  const runtime = await createSocRuntime({
    dataDir,
    store,
    log: silentLogger,
    metrics,
    rules: [join(repoRoot, 'content', 'rules')],
    intel: [],
    adminPassword: password,
    socPath: ':memory:',
  });
  const config = loadConfig({ env: {}, cwd: dataDir });
  const running = await startVigil(
    {
      ...config,
      dataDir,
      http: { ...config.http, port: 0 },
      syslog: { ...config.syslog, enabled: false },
      retention: { ...config.retention, days: 0 },
    },
    {
      log: silentLogger,
      print: () => {},
      metrics,
      openStore: async () => store,
      geoip: false,
      consoleRoot,
      hooks: runtime.hooks,
      app: runtime.app,
    },
  );
  return {
    running,
    runtime,
    async close() {
      await running.close();
      await runtime.close();
    },
  };
}

/** Signs in as `admin` on the page (already at the node's URL) and waits for the overview. */
export async function signIn(page: Page, password: string): Promise<void> {
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
}
