import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawRecord } from '../../src/model/event.ts';
import type { SavedSearchListResponse } from '../../src/model/saved-search.ts';
import { simulate } from '../../src/simulate/simulator.ts';
import { launchChromium, openPage, type WatchedPage } from './chromium.ts';
import { browserTestsAvailable, type ConsoleNode, signIn, startConsoleNode } from './console-node.ts';

const password = 'saved searches browser password 42';
const available = browserTestsAvailable();

let node: ConsoleNode;
let running: ConsoleNode['running'];
let runtime: ConsoleNode['runtime'];
let browser: Browser;
let watched: WatchedPage;

beforeAll(async () => {
  if (!available) return;
  node = await startConsoleNode('saved', password);
  ({ running, runtime } = node);
  // A few hours of a small organisation's telemetry: logons (4624) among much else.
  const simulation = simulate({ hosts: 6, hours: 3, seed: 11 });
  const source = { kind: 'demo', name: 'simulate' } as const;
  const records: RawRecord[] = [];
  for (const record of simulation.records())
    records.push({ text: record.text, source, unit: 'default', receivedAt: record.time });
  for (let start = 0; start < records.length; start += 1000)
    await running.pipeline.submit(records.slice(start, start + 1000));
  await runtime.detection.idle();
  browser = await launchChromium();
  watched = await openPage(browser);
}, 150_000);

afterAll(async () => {
  await browser?.close();
  await node?.close();
});

describe.skipIf(!available)('saved searches in the console', () => {
  it('imports the old browser-kept searches, saves a hunt, lists it after a reload and runs it from the list', async () => {
    const { page } = watched;
    await page.goto(running.url);
    // What the earlier console left in this browser.
    await page.evaluate(() =>
      localStorage.setItem(
        'vigil.savedSearches',
        JSON.stringify([{ name: 'Old PowerShell hunt', query: 'process.name:powershell.exe', range: 'last7d' }]),
      ),
    );
    await signIn(page, password);
    await page.getByRole('menuitem', { name: 'Hunt' }).click();

    // Offered once: importing moves it to the server and clears the browser's copy.
    await page.getByText('This browser still holds 1 saved searches from the earlier console').waitFor();
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page
      .locator('.ant-message')
      .getByText(/Imported 1 saved searches/)
      .waitFor();
    expect(await page.evaluate(() => localStorage.getItem('vigil.savedSearches'))).toBeNull();

    const search = page.locator('input[aria-label="Search"]');
    await search.fill('event.code:4624');
    await search.press('Enter');
    const counter = page.locator('.ant-card', { hasText: 'Events over time' }).locator('.ant-card-extra');
    await expect
      .poll(async () => ((await counter.textContent().catch(() => '')) ?? '').trim(), { timeout: 20_000 })
      .toMatch(/^[1-9][\d,]* events$/);
    // The counter of this search, not of the page's first one (everything).
    const onlyLogons = async () => [...new Set(await page.locator('.ant-table-row td:nth-child(4)').allInnerTexts())];
    await expect.poll(onlyLogons, { timeout: 20_000 }).toEqual(['4624']);
    const hits = (await counter.textContent())!.trim();

    await page.getByRole('button', { name: 'Save search' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save search' });
    await dialog.getByRole('textbox', { name: 'Name of the search' }).fill('Logons (4624)');
    await dialog.getByRole('switch', { name: 'Share with my unit' }).click();
    await watched.screenshot('saved-searches-dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.locator('.ant-message').getByText('Search saved').waitFor();
    await dialog.waitFor({ state: 'hidden' });

    // Kept on the server: a fresh page load lists it; the search box starts empty.
    await page.reload();
    await page.getByRole('menuitem', { name: 'Hunt' }).waitFor();
    await expect.poll(() => search.inputValue()).toBe('');
    expect(await page.getByText(/saved searches from the earlier console/).count()).toBe(0);
    await page.getByRole('button', { name: /^Saved searches/ }).click();
    const drawer = page.getByRole('dialog', { name: 'Saved searches' });
    await drawer.getByText('My searches (2 of 200)').waitFor();
    const saved = drawer.locator('.ant-list-item', { hasText: 'Logons (4624)' });
    await saved.getByText('event.code:4624').waitFor();
    await saved.getByText('Last 24 hours').waitFor();
    await saved.getByText('shared · All').waitFor();
    await drawer.locator('.ant-list-item', { hasText: 'Old PowerShell hunt' }).getByText('Last 7 days').waitFor();
    // The drawer has finished sliding in (no motion classes left), so the screenshot is not mid-animation.
    await page.waitForFunction(
      '!document.querySelector(\'.ant-drawer [class*="-motion-"], .ant-drawer[class*="-motion-"]\')',
    );
    await watched.screenshot('saved-searches');

    // Delete after a confirmation.
    await drawer
      .locator('.ant-list-item', { hasText: 'Old PowerShell hunt' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: 'Delete' }).click();
    await page.locator('.ant-message').getByText('Saved search deleted').waitFor();
    await drawer.getByText('My searches (1 of 200)').waitFor();

    // Run it from the list: the query and its range come back and the hits are the same.
    await saved.getByRole('button', { name: 'Logons (4624)' }).click();
    await drawer.waitFor({ state: 'hidden' });
    await expect.poll(() => search.inputValue()).toBe('event.code:4624');
    await expect.poll(onlyLogons, { timeout: 20_000 }).toEqual(['4624']);
    await expect.poll(async () => ((await counter.textContent()) ?? '').trim(), { timeout: 20_000 }).toBe(hits);
    await watched.screenshot('saved-searches-run');

    const cookies = await page.context().cookies();
    const listed = (await (
      await fetch(`${running.url}/api/v1/saved-searches`, {
        headers: { cookie: cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ') },
      })
    ).json()) as SavedSearchListResponse;
    expect(listed.searches).toMatchObject([
      {
        name: 'Logons (4624)',
        query: 'event.code:4624',
        timeRange: { relative: '24h' },
        shared: true,
        ownerName: 'admin',
      },
    ]);
    expect(watched.errors).toEqual([]);
  }, 120_000);
});
