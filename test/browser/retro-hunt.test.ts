// The Hunt page's retro-hunt: an analyst picks a loaded correlation rule, runs it over stored
// events as a background job, watches its progress and reads the correlation alerts it raised.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawRecord } from '../../src/model/event.ts';
import { launchChromium, openPage, type WatchedPage } from './chromium.ts';
import { browserTestsAvailable, type ConsoleNode, signIn, startConsoleNode } from './console-node.ts';

const password = 'retro hunt browser password 7';
const available = browserTestsAvailable();

let node: ConsoleNode;
let browser: Browser;
let watched: WatchedPage;

beforeAll(async () => {
  if (!available) return;
  node = await startConsoleNode('retro', password);
  // Eight failed SSH passwords from one address against one host, a minute apart, half an hour ago:
  // what the shipped correlation "SSH Password Guessing From One Address" (≥ 5 in 10 minutes) counts.
  const start = Date.now() - 30 * 60_000;
  const source = { kind: 'test', name: 'retro-hunt' } as const;
  const records: RawRecord[] = [];
  for (let index = 0; index < 8; index++) {
    const time = new Date(start + index * 60_000).toISOString();
    records.push({
      text: `<38>1 ${time} lnx-db02 sshd 3120 - - Failed password for invalid user oracle from 203.0.113.45 port ${40100 + index} ssh2`,
      source,
      unit: 'default',
      receivedAt: Date.now(),
    });
  }
  await node.running.pipeline.submit(records);
  await node.runtime.detection.idle();
  browser = await launchChromium();
  watched = await openPage(browser);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await node?.close();
});

describe.skipIf(!available)('retro-hunt in the console', () => {
  it('runs a loaded correlation rule over the stored events and lists its alerts', async () => {
    const { page } = watched;
    await page.goto(node.running.url);
    await signIn(page, password);
    await page.getByRole('menuitem', { name: 'Hunt' }).click();
    await page.getByText('Run Sigma rules over this time range').click();
    const rules = page.getByRole('combobox', { name: 'Loaded rules (search by title)' });
    await rules.click();
    await rules.fill('Guessing');
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', {
        hasText: 'SSH Password Guessing From One Address (medium, correlation)',
      })
      .click();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Start retro-hunt' }).click();
    const table = page.locator('.ant-table', { hasText: 'Alerts of this retro-hunt' });
    await table.locator('.ant-table-row').first().waitFor({ timeout: 30_000 });
    // Eight failures in eight minutes: the count reaches five once (the window then starts again).
    await page.getByText('Retro-hunt done: 8 of 8 events, 1 alert', { exact: true }).waitFor();
    const titles = [...new Set(await table.locator('.ant-table-row td:nth-child(3)').allInnerTexts())];
    // Only the chosen correlation: the failed-password rule it counts was not picked.
    expect(titles).toEqual(['SSH Password Guessing From One Address']);
    await watched.screenshot('hunt-retro-correlation');
    expect(watched.errors).toEqual([]);
  }, 60_000);
});
