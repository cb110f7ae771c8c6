// A whole node serving the built console, for the browser tests: the SOC runtime with our own rules
// on a DuckDB store (in memory, or files in its data dir), started on a free port without syslog
// (GeoIP and ATT&CK when asked), with a known administrator password. One place for the wiring.
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

export interface ConsoleNodeOptions {
  /** The event and SOC stores as files in the data dir (default: in memory). */
  readonly files?: boolean;
  /** Runs before the node starts: seed the event store, or write the SOC store file (with `files`). */
  readonly beforeStart?: (dataDir: string, store: DuckDbStore) => Promise<void>;
  /** The ATT&CK bundle to load (default none). */
  readonly attackBundle?: string;
  /** GeoIP enrichment (default off). */
  readonly geoip?: boolean;
  /** Serve the built console (default true). */
  readonly serveConsole?: boolean;
}

/** Starts a node in a new temporary data dir (`name` labels it) whose `admin` signs in with `password`. */
export async function startConsoleNode(
  name: string,
  password: string,
  options: ConsoleNodeOptions = {},
): Promise<ConsoleNode> {
  const dataDir = mkdtempSync(join(tmpdir(), `vigil-browser-${name}-`));
  const store = await DuckDbStore.open(options.files ? join(dataDir, 'events.duckdb') : ':memory:');
  await options.beforeStart?.(dataDir, store);
  const metrics = new Metrics();
  const runtime = await createSocRuntime({
    dataDir,
    store,
    log: silentLogger,
    metrics,
    rules: [join(repoRoot, 'content', 'rules')],
    intel: [],
    adminPassword: password,
    socPath: options.files ? join(dataDir, 'soc.duckdb') : ':memory:',
    ...(options.attackBundle ? { attackBundle: options.attackBundle } : {}),
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
      geoip: options.geoip ?? false,
      consoleRoot: options.serveConsole === false ? false : consoleRoot,
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
