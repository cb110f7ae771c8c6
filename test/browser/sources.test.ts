// The Sources page in a real browser (Debian's Chromium through playwright-core) against a whole
// Vigil node started in this process: records sent over HTTP ingest (one bad line) and HEC appear
// in the ingest health table with their counts and status, in English and in Chinese, beside the
// dead-letter viewer. Screenshots go to test-results/; any console error fails the test.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSocRuntime, type SocRuntime } from '../../src/cli/soc-runtime.ts';
import { loadConfig } from '../../src/config/config.ts';
import { silentLogger } from '../../src/pipeline/logger.ts';
import { Metrics } from '../../src/pipeline/metrics.ts';
import { type RunningVigil, startVigil } from '../../src/server/start-vigil.ts';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.ts';
import { repoRoot } from '../shared-data.ts';
import { ensureChromium, launchChromium, openPage, type WatchedPage } from './chromium.ts';

const password = 'sources test password 42';
const consoleRoot = join(repoRoot, 'web', 'dist');
const available = ensureChromium();
if (available && !existsSync(join(consoleRoot, 'index.html')))
  throw new Error('browser tests: web/dist is not built (npm run build:web; npm test builds it)');

let running: RunningVigil;
let runtime: SocRuntime;
let browser: Browser;
let watched: WatchedPage;

async function createKey(name: string, unit: string, role: string): Promise<string> {
  const response = await fetch(`${running.url}/api/v1/api-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${running.initialAdminSecret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, unit, role }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { secret: string }).secret;
}

beforeAll(async () => {
  if (!available) return;
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-browser-sources-'));
  const store = await DuckDbStore.open(':memory:');
  const metrics = new Metrics();
  runtime = await createSocRuntime({
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
  running = await startVigil(
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
  const firewall = await createKey('branch-firewall', 'finance', 'ingest');
  const ingest = await fetch(`${running.url}/api/v1/ingest`, {
    method: 'POST',
    headers: { authorization: `Bearer ${firewall}` },
    body: [
      '{"message":"allowed","source":{"ip":"10.1.2.3"}}',
      '{"message":"denied","source":{"ip":"10.1.2.4"}}',
      '{"message": not json at all',
      '{"message":"allowed","source":{"ip":"10.1.2.5"}}',
    ].join('\n'),
  });
  expect(ingest.status).toBe(200);
  const collector = await createKey('hr-collector', 'hr', 'ingest');
  const hec = await fetch(`${running.url}/services/collector/event`, {
    method: 'POST',
    headers: { authorization: `Splunk ${collector}` },
    body: '{"event":{"message":"hello"}}{"event":{"message":"again"}}',
  });
  expect(hec.status).toBe(200);
  browser = await launchChromium();
  watched = await openPage(browser);
}, 150_000);

afterAll(async () => {
  await browser?.close();
  await running?.close();
  await runtime?.close();
});

describe.skipIf(!available)('the Sources page in Chromium', () => {
  it('shows ingest health per source with counts and status, and the dead letters', async () => {
    const { page } = watched;
    await page.goto(running.url);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByRole('menuitem', { name: 'Sources' }).click();
    await page.getByRole('heading', { name: 'Sources' }).waitFor();

    const health = page.locator('.ant-card', { hasText: 'Ingest health' });
    const firewall = health.locator('.ant-table-row', { hasText: 'branch-firewall' });
    await firewall.waitFor();
    const cells = await firewall.locator('td').allTextContents();
    // source, unit, rate, received, stored, failures, last seen, status
    expect(cells).toHaveLength(8);
    expect(cells[0]).toBe('httpbranch-firewall');
    expect(cells[1]).toBe('finance');
    expect(Number(cells[2])).toBeGreaterThan(0);
    expect(cells.slice(3, 6)).toEqual(['4', '3', '1']);
    expect(cells[6]).toMatch(/now|seconds? ago/);
    expect(cells[7]).toBe('Failing');
    const collector = await health
      .locator('.ant-table-row', { hasText: 'hr-collector' })
      .locator('td')
      .allTextContents();
    expect([collector[0], collector[1], ...collector.slice(3, 6), collector[7]]).toEqual([
      'hechr-collector',
      'hr',
      '2',
      '2',
      '0',
      'OK',
    ]);
    // The failure's reason is one hover away.
    await firewall.locator('td').nth(5).getByText('1').hover();
    await page
      .getByRole('tooltip')
      .getByText(/Last failure .*no parser recognised this record/)
      .waitFor();
    // The dead-letter viewer is still there, with the bad line.
    await page
      .locator('.ant-card', { hasText: 'Dead letters' })
      .locator('.ant-table-row', { hasText: 'not json at all' })
      .waitFor();
    await page.mouse.move(0, 0);
    await watched.screenshot('sources');
    expect(watched.errors).toEqual([]);
  }, 60_000);

  it('shows the same table in Chinese', async () => {
    const { page } = watched;
    await page.evaluate(() => localStorage.setItem('vigil.language', 'zh'));
    await page.reload();
    const health = page.locator('.ant-card', { hasText: '采集健康状况' });
    const firewall = health.locator('.ant-table-row', { hasText: 'branch-firewall' });
    await firewall.waitFor();
    await health.getByRole('columnheader', { name: '已存储' }).waitFor();
    expect(await firewall.locator('td').nth(7).textContent()).toBe('异常');
    expect(await firewall.locator('td').nth(6).textContent()).toMatch(/秒|现在/);
    await watched.screenshot('sources-zh');
    await page.evaluate(() => localStorage.setItem('vigil.language', 'en'));
    expect(watched.errors).toEqual([]);
  }, 60_000);
});
