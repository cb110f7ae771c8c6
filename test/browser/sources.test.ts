import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage, type WatchedPage } from './chromium.ts';
import { browserTestsAvailable, type ConsoleNode, signIn, startConsoleNode } from './console-node.ts';

const password = 'sources test password 42';
const available = browserTestsAvailable();

let node: ConsoleNode;
let running: ConsoleNode['running'];
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
  node = await startConsoleNode('sources', password);
  ({ running } = node);
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
  await node?.close();
});

describe.skipIf(!available)('the Sources page in Chromium', () => {
  it('shows ingest health per source with counts and status, and the dead letters', async () => {
    const { page } = watched;
    await page.goto(running.url);
    await signIn(page, password);
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
