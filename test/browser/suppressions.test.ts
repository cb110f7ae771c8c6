// Suppressions in the console, in a real browser (Debian's Chromium through playwright-core)
// against a whole Vigil node started in this process: a content sample fires a rule, a
// suppression of it is created over the API and holds back the next round of the same activity;
// Rules → Suppressions lists it with the rule's title, match, reason, owner, expiry and hits; it
// is extended by 7 days and to a chosen date, its reason edited, an expired one shown on the
// switch, and it is removed after a confirmation; then the tab in Chinese. Screenshots:
// test-results/suppressions{,-zh}.png; any console error fails the test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertListResponse } from '../../src/model/console-api.ts';
import type { Suppression, SuppressionListItem } from '../../src/model/suppression.ts';
import { repoRoot } from '../shared-data.ts';
import { launchChromium, openPage, type WatchedPage } from './chromium.ts';
import { browserTestsAvailable, type ConsoleNode, signIn, startConsoleNode } from './console-node.ts';

const password = 'suppressions browser password 42';
const available = browserTestsAvailable();

const day = 86_400_000;
const sample = readFileSync(join(repoRoot, 'content', 'samples', 'office_spawns_script_host.fires.jsonl'), 'utf8');
let node: ConsoleNode;
let running: ConsoleNode['running'];
let runtime: ConsoleNode['runtime'];
let browser: Browser;
let watched: WatchedPage;
let adminKey: string;
let ruleId: string;
let ruleTitle: string;
let host: string;

async function api<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${adminKey}`);
  if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const response = await fetch(`${running.url}${path}`, { ...init, headers });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

const listed = async (): Promise<SuppressionListItem[]> =>
  (await api<{ suppressions: SuppressionListItem[] }>('/api/v1/suppressions?all=true')).body.suppressions;

/** The sample as events of the given hour (fresh record ids); resolves once its alerts are stored. */
async function ingestHour(hour: number): Promise<AlertListResponse['alerts']> {
  const text = sample
    .replaceAll('2026-11-23T10:', `2026-11-23T${hour}:`)
    .replaceAll('2026-11-23 10:', `2026-11-23 ${hour}:`)
    .replace(/"EventRecordID":(\d+)/g, (_all, id: string) => `"EventRecordID":${Number(id) + hour * 1000}`);
  const response = await fetch(`${running.url}/api/v1/ingest?unit=finance`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}` },
    body: text,
  });
  expect(response.status).toBe(200);
  const from = Date.parse(`2026-11-23T${hour}:00:00Z`);
  for (let attempt = 0; attempt < 200; attempt++) {
    await runtime.detection.idle();
    const { body } = await api<AlertListResponse>(`/api/v1/alerts?limit=500&from=${from}&to=${from + 3_600_000}`);
    if (body.total > 0) return body.alerts;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`hour ${hour} raised no alerts`);
}

beforeAll(async () => {
  if (!available) return;
  node = await startConsoleNode('suppressions', password);
  ({ running, runtime } = node);
  adminKey = running.initialAdminSecret!;
  await runtime.ready;
  // The sample fires a rule; its title and host are what the analyst will see listed.
  const alerts = await ingestHour(10);
  ruleId = alerts[0]!.rule.id;
  ruleTitle = alerts[0]!.rule.title;
  host = String((alerts[0]!.event as { host?: { name?: string } }).host?.name);
  browser = await launchChromium();
  watched = await openPage(browser);
}, 150_000);

afterAll(async () => {
  await browser?.close();
  await node?.close();
});

describe.skipIf(!available)('suppressions in the console', () => {
  it('lists a suppression, extends it, edits its reason, shows expired ones and removes it', async () => {
    const { page } = watched;
    const created = await api<Suppression>('/api/v1/suppressions', {
      method: 'POST',
      body: JSON.stringify({
        ruleId,
        unit: 'finance',
        match: { 'host.name': host },
        reason: 'Macro template rollout on this host',
        expiresAt: Date.now() + 3 * day,
      }),
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    // An hour later the same activity is held back: the suppression has hits.
    const held = (await ingestHour(11)).filter((alert) => alert.rule.id === ruleId);
    expect(held.length).toBeGreaterThan(0);
    expect(held.every((alert) => alert.suppressed === id)).toBe(true);
    // A short one that will have expired by the time the page shows expired ones.
    const short = await api<Suppression>('/api/v1/suppressions', {
      method: 'POST',
      body: JSON.stringify({
        ruleId,
        unit: 'finance',
        match: { 'user.name': 'svc-old' },
        reason: 'Old service account',
        expiresAt: Date.now() + 1500,
      }),
    });
    expect(short.status).toBe(201);

    await page.goto(running.url);
    await signIn(page, password);
    await page.getByRole('menuitem', { name: 'Rules' }).click();
    await page.getByRole('heading', { name: 'Detection rules' }).waitFor();
    await page.getByRole('tab', { name: 'Suppressions' }).click();
    expect(page.url()).toMatch(/\/rules\?tab=suppressions$/);
    // The rules table stays in the hidden tab: rows are looked for in the open one.
    const panel = page.getByRole('tabpanel', { name: 'Suppressions' });

    const row = panel.locator('.ant-table-row', { hasText: 'Macro template rollout on this host' });
    await row.waitFor();
    await row.getByText(ruleTitle).waitFor();
    await row.getByText(`host.name = ${host}`).waitFor();
    expect(await row.locator('td').nth(1).textContent()).toBe('finance');
    expect(await row.locator('td').nth(4).textContent()).toBe('initial-admin');
    expect(await row.locator('td').nth(6).textContent()).toBe('in 3 days');
    expect(await row.locator('td').nth(7).textContent()).toBe(String(held.length));

    // Extend by 7 days: counted from the current expiry.
    await page.getByRole('button', { name: `Extend: ${id}` }).click();
    await page.getByRole('menuitem', { name: '+7 days' }).click();
    await page
      .locator('.ant-message')
      .getByText(/Suppression extended to/)
      .waitFor();
    await expect.poll(() => row.locator('td').nth(6).textContent()).toBe('in 10 days');
    expect((await listed()).find((item) => item.id === id)?.expiresAt).toBe(created.body.expiresAt + 7 * day);

    // Extend to a chosen date and time.
    const chosen = new Date(Date.now() + 45 * day);
    chosen.setSeconds(0, 0);
    const local = new Date(chosen.getTime() - chosen.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await page.getByRole('button', { name: `Extend: ${id}` }).click();
    await page.getByRole('menuitem', { name: 'Choose a date…' }).click();
    const dateDialog = page.getByRole('dialog', { name: 'New expiry' });
    await dateDialog.getByLabel('New expiry').fill(local);
    await dateDialog.getByRole('button', { name: 'Save' }).click();
    await dateDialog.waitFor({ state: 'hidden' });
    await expect.poll(() => row.locator('td').nth(6).textContent()).toBe('in 45 days');
    expect((await listed()).find((item) => item.id === id)?.expiresAt).toBe(chosen.getTime());

    // Edit the reason.
    await page.getByRole('button', { name: `Edit reason: ${id}` }).click();
    const reasonDialog = page.getByRole('dialog', { name: 'Edit reason' });
    await reasonDialog.getByRole('textbox', { name: 'Reason' }).fill('Macro template rollout, CHG-1234');
    await reasonDialog.getByRole('button', { name: 'Save' }).click();
    await page.locator('.ant-message').getByText('Reason saved').waitFor();
    const renamed = panel.locator('.ant-table-row', { hasText: 'Macro template rollout, CHG-1234' });
    await renamed.waitFor();
    expect((await listed()).find((item) => item.id === id)?.reason).toBe('Macro template rollout, CHG-1234');

    // Expired ones only on the switch.
    await expect.poll(async () => (await listed()).find((item) => item.id === short.body.id)?.expired).toBe(true);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await panel.locator('.ant-table-row', { hasText: 'Old service account' }).waitFor({ state: 'detached' });
    expect(await panel.locator('.ant-table-row').count()).toBe(1);
    await page.getByRole('switch', { name: 'Include expired' }).click();
    const expired = panel.locator('.ant-table-row', { hasText: 'Old service account' });
    await expired.waitFor();
    await expired.getByText('Expired', { exact: true }).waitFor();
    await page.mouse.move(0, 0);
    await watched.screenshot('suppressions');

    // Remove, after a confirmation.
    await page.getByRole('button', { name: `Remove: ${id}` }).click();
    await page.locator('.ant-popconfirm').getByText('Remove this suppression?').waitFor();
    await page.locator('.ant-popconfirm').getByRole('button', { name: 'Remove' }).click();
    await page.locator('.ant-message').getByText('Suppression removed').waitFor();
    await renamed.waitFor({ state: 'detached' });
    expect((await listed()).map((item) => item.id)).toEqual([short.body.id]);
    const audit = await runtime.soc.listAudit({ kind: 'all' }, 50);
    expect(audit.filter((entry) => entry.target === id).map((entry) => [entry.action, entry.actor])).toEqual([
      ['suppression-deleted', 'admin'],
      ['suppression-updated', 'admin'],
      ['suppression-updated', 'admin'],
      ['suppression-updated', 'admin'],
      ['suppression-created', 'initial-admin'],
    ]);
    // The same tab in Chinese (the expired one is still listed).
    await page.locator('.ant-select', { has: page.getByRole('combobox', { name: 'Language' }) }).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '简体中文' }).click();
    await page.getByRole('tab', { name: '抑制规则' }).waitFor();
    await page
      .getByRole('tabpanel', { name: '抑制规则' })
      .locator('.ant-table-row', { hasText: 'Old service account' })
      .getByText('已过期', { exact: true })
      .waitFor();
    await page.getByRole('columnheader', { name: '命中数' }).waitFor();
    await page.locator('.ant-select-dropdown').waitFor({ state: 'hidden' });
    await watched.screenshot('suppressions-zh');
    expect(watched.errors).toEqual([]);
  }, 90_000);
});
