// The console in a real browser (Debian's Chromium through playwright-core) against a whole
// Vigil node started in this process on a temporary data dir, with a small simulated
// organisation and the attack samples of content/samples: sign in, work an incident to a
// verdict, hunt, switch to Chinese and back, the rules/intel/settings pages and the big
// screen. Every step saves a screenshot under test-results/ and fails on any console error.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentDetailResponse } from '../../src/model/console-api.ts';
import type { RawRecord } from '../../src/model/event.ts';
import { organisationAssets } from '../../src/simulate/organisation.ts';
import { simulate } from '../../src/simulate/simulator.ts';
import { repoRoot, sharedData } from '../shared-data.ts';
import { launchChromium, openPage, type WatchedPage } from './chromium.ts';
import { browserTestsAvailable, type ConsoleNode, startConsoleNode } from './console-node.ts';

const password = 'console test password 42';
const available = browserTestsAvailable();

let node: ConsoleNode;
let running: ConsoleNode['running'];
let runtime: ConsoleNode['runtime'];
let browser: Browser;
let watched: WatchedPage;
let unitNames: string[] = [];
/** The incident the verdict test worked on (it has a deterministic report by then). */
let workedIncident = '';
/** Requests to anywhere but this node: the console must work offline (no CDN, no map tiles). */
const external: string[] = [];

/** Picks an option of the Ant Design select labelled `label`. */
async function selectOption(page: Page, label: string, option: string): Promise<void> {
  await page.locator('.ant-select', { has: page.getByRole('combobox', { name: label }) }).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).click();
}

/** Console errors since `from`, for one step. */
const errorsSince = (from: number) => watched.errors.slice(from);

beforeAll(async () => {
  if (!available) return;
  const attackBundle = sharedData('attack', 'enterprise-attack.json');
  // A small organisation (units with map locations, assets) and six hours of its telemetry.
  const simulation = simulate({ hosts: 12, hours: 6, seed: 7 });
  unitNames = simulation.organisation.units.map((unit) => unit.name);
  node = await startConsoleNode('console', password, {
    files: true,
    geoip: true,
    ...(existsSync(attackBundle) ? { attackBundle } : {}),
    async beforeStart(_dataDir, store) {
      for (const unit of simulation.organisation.units) await store.putUnit(unit);
      for (const asset of organisationAssets(simulation.organisation)) await store.putAsset(asset);
    },
  });
  ({ running, runtime } = node);
  const source = { kind: 'demo', name: 'simulate' } as const;
  let batch: RawRecord[] = [];
  for (const record of simulation.records()) {
    batch.push({ text: record.text, source, unit: 'default', receivedAt: record.time });
    if (batch.length === 1000) {
      await running.pipeline.submit(batch);
      batch = [];
    }
  }
  if (batch.length) await running.pipeline.submit(batch);
  // The attack samples: an Office macro launching a script host, LSASS dumping, SSH guessing.
  const samples = join(repoRoot, 'content', 'samples');
  const attack = ['office_spawns_script_host.fires.jsonl', 'lsass_access_by_dump_tool.fires.jsonl']
    .map((name) => readFileSync(join(samples, name), 'utf8'))
    .join('');
  const ingest = await fetch(`${running.url}/api/v1/ingest?unit=finance`, {
    method: 'POST',
    headers: { authorization: `Bearer ${running.initialAdminSecret}` },
    body: `${attack}${readFileSync(join(samples, 'ssh_failed_password.fires.log'), 'utf8')}`,
  });
  expect(ingest.status).toBe(200);
  await runtime.detection.idle();

  browser = await launchChromium();
  watched = await openPage(browser);
  watched.page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol.startsWith('http') && url.host !== new URL(running.url).host) external.push(request.url());
  });
}, 150_000);

afterAll(async () => {
  await browser?.close();
  await node?.close();
});

describe.skipIf(!available)('the console in Chromium', () => {
  it('signs in and shows the overview with the noise funnel', async () => {
    const { page } = watched;
    const start = watched.errors.length;
    await page.goto(running.url);
    await page.getByRole('heading', { name: 'Sign in to Vigil' }).waitFor();
    await watched.screenshot('console-sign-in');
    // A wrong password is refused in place (the browser logs the 401 the server answered).
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('Wrong username or password').waitFor();
    expect(errorsSince(start).filter((error) => !/status of 401/.test(error))).toEqual([]);
    watched.errors.splice(start);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    // The funnel is drawn (a canvas) once the overview API answered, and counts the events.
    await page.locator('.ant-card', { hasText: 'Noise funnel' }).locator('canvas').first().waitFor();
    const live = page.locator('.ant-card', { hasText: 'Live alert stream' });
    await live.locator('.ant-list-item').first().waitFor();
    // The stream is connected (Server-Sent Events), so new alerts appear as they are raised.
    await live.getByText('● live').waitFor();
    await watched.screenshot('console-overview');
    const reduction = await page.locator('.ant-card', { hasText: 'Noise removed' }).textContent();
    expect(reduction).toMatch(/\d+(\.\d)? ?%/);
    // Mean time to detect says how it is counted; long times read in hours.
    const mttd = page.locator('.ant-card', { hasText: 'Mean time to detect' });
    expect(await mttd.locator('.ant-statistic-content').textContent()).toMatch(/^(—|\d+\.\d (min|h))$/);
    await mttd.getByText('Mean time to detect').hover();
    await page
      .getByRole('tooltip')
      .getByText(/first event to Vigil raising it/)
      .waitFor();
    expect(errorsSince(start)).toEqual([]);
  }, 60_000);

  it('opens an incident and records the analyst’s verdict', async () => {
    const { page } = watched;
    const start = watched.errors.length;
    await page.getByRole('menuitem', { name: 'Incidents' }).click();
    await page.getByRole('heading', { name: 'Incident queue' }).waitFor();
    await page.locator('.ant-segmented-item', { hasText: /^All$/ }).click();
    const first = page.locator('.ant-table-row').first();
    await first.waitFor();
    await first.locator('td').nth(2).click();
    await page.waitForURL(/\/incidents\/[\w-]+$/);
    const id = page.url().split('/').pop()!;
    workedIncident = id;
    await page.getByText('Why this verdict').waitFor();
    await selectOption(page, 'Analyst verdict', 'Benign');
    await page.locator('.ant-message').getByText('Saved').waitFor();
    await page.getByRole('tab', { name: /Alerts/ }).waitFor();
    // An investigation runs as a job; its report replaces the card when it is done.
    await page.getByRole('button', { name: 'Start investigation' }).click();
    await page.getByRole('button', { name: 'Start investigation' }).waitFor({ timeout: 30_000 });
    await page.getByText("Digital analyst's report").waitFor();
    // The report says what it was made from (the incident's priority and alerts at the time).
    await page.getByText(/Written when the incident had priority \d+ and \d+ alerts/).waitFor();
    // The investigations so far, with who or what started each.
    await page
      .getByText(/started by admin · done/)
      .first()
      .waitFor();
    // The chat answers from the incident's data.
    await page.getByRole('textbox', { name: 'Ask the digital analyst' }).fill('Which hosts are involved?');
    await page.getByRole('button', { name: 'Send' }).click();
    await page
      .locator('.ant-card', { hasText: 'Ask the digital analyst' })
      .getByText('Digital analyst', { exact: true })
      .waitFor();
    await watched.screenshot('console-incident');
    const cookies = await page.context().cookies();
    const detail = (await (
      await fetch(`${running.url}/api/v1/incidents/${id}`, {
        headers: { cookie: cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ') },
      })
    ).json()) as IncidentDetailResponse;
    expect(detail.incident.analystVerdict).toBe('benign');
    const jobs = (await (
      await fetch(`${running.url}/api/v1/investigations?incidentId=${id}`, {
        headers: { cookie: cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ') },
      })
    ).json()) as { jobs: { trigger: string; status: string }[] };
    expect(jobs.jobs.filter((job) => job.trigger === 'manual').map((job) => job.status)).toEqual(['succeeded']);
    // Suppress the first alert's rule on its host: the dialog creates a unit-scoped, expiring suppression.
    await page.getByRole('tab', { name: /Alerts/ }).click();
    await page.getByRole('button', { name: 'Suppress' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Suppress alerts of this rule' });
    await dialog.getByPlaceholder('Reason').fill('Nightly admin script on this host');
    await watched.screenshot('console-suppress');
    await dialog.getByRole('button', { name: 'Suppress' }).click();
    await page.locator('.ant-message').getByText('Suppression created').waitFor();
    const suppressions = (await (
      await fetch(`${running.url}/api/v1/suppressions`, {
        headers: { cookie: cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ') },
      })
    ).json()) as { suppressions: { reason: string; expiresAt: number; match: Record<string, string> }[] };
    expect(suppressions.suppressions).toHaveLength(1);
    expect(suppressions.suppressions[0]).toMatchObject({ reason: 'Nightly admin script on this host' });
    expect(suppressions.suppressions[0]!.expiresAt).toBeGreaterThan(Date.now());
    expect(Object.keys(suppressions.suppressions[0]!.match).length).toBeGreaterThan(0);
    expect(errorsSince(start)).toEqual([]);
  }, 60_000);

  it('runs a hunt, shows the hits with their field values, and a syntax error in place', async () => {
    const { page } = watched;
    const start = watched.errors.length;
    await page.getByRole('menuitem', { name: 'Hunt' }).click();
    const search = page.locator('input[aria-label="Search"]');
    await search.fill('event.code:4624');
    await search.press('Enter');
    const counter = page.locator('.ant-card', { hasText: 'Events over time' }).locator('.ant-card-extra');
    await expect
      .poll(async () => ((await counter.textContent().catch(() => '')) ?? '').trim(), { timeout: 20_000 })
      .toMatch(/^[1-9][\d,]* events$/);
    // The table shows the new search's hits only (the first search of the page listed everything).
    await expect
      .poll(async () => [...new Set(await page.locator('.ant-table-row td:nth-child(4)').allInnerTexts())], {
        timeout: 20_000,
      })
      .toEqual(['4624']);
    await page.locator('.ant-card', { hasText: 'Fields' }).getByText('event.action').waitFor();
    await watched.screenshot('console-hunt');
    // A broken query is explained where it was typed; the browser logs the 400 it answered.
    await search.fill('event.code:(4624');
    await search.press('Enter');
    // The query error (not a toast left by an earlier step, which also has role="alert").
    await page.locator('.ant-alert-error[role="alert"]').waitFor();
    await watched.screenshot('console-hunt-error');
    expect(errorsSince(start).filter((error) => !/status of 400/.test(error))).toEqual([]);
    watched.errors.splice(start);
  }, 60_000);

  it('switches to Chinese and back at any time', async () => {
    const { page } = watched;
    const start = watched.errors.length;
    await page.getByRole('menuitem', { name: 'Overview' }).click();
    await selectOption(page, 'Language', '简体中文');
    await page.getByRole('heading', { name: '总览' }).waitFor();
    await page.getByRole('menuitem', { name: '安全事件' }).waitFor();
    await page.locator('.ant-card', { hasText: '降噪漏斗' }).locator('canvas').first().waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await watched.screenshot('console-overview-zh');
    // What the server wrote (triage reasons, priority parts, the deterministic report) reads in Chinese too.
    expect(workedIncident).not.toBe('');
    await page.goto(`${running.url}/incidents/${workedIncident}`);
    const why = page.locator('.ant-card', { hasText: '研判依据' });
    await why.locator('.ant-list-item').first().waitFor();
    const reasons = await why.locator('.ant-list-item').allInnerTexts();
    expect(reasons.length).toBeGreaterThan(1);
    for (const reason of reasons) expect(reason).toMatch(/[\u4e00-\u9fff]/);
    expect(reasons.join(' ')).not.toMatch(/rule\(s\) fired|alert level is|\{\{/);
    const report = page.locator('.ant-card', { hasText: '数字分析师报告' });
    await report
      .getByText(/研判：/)
      .first()
      .waitFor();
    await watched.screenshot('console-incident-zh');
    await page.getByRole('menuitem', { name: '总览' }).click();
    await page.getByRole('heading', { name: '总览' }).waitFor();
    await selectOption(page, '语言', 'English');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(await page.getByRole('menuitem', { name: 'Incidents' }).count()).toBe(1);
    expect(errorsSince(start)).toEqual([]);
  }, 60_000);

  it('lists rules with authors, intel feeds, and the settings', async () => {
    const { page } = watched;
    const start = watched.errors.length;
    await page.getByRole('menuitem', { name: 'Rules' }).click();
    await page.getByRole('heading', { name: 'Detection rules' }).waitFor();
    await page.getByText(/rules loaded from \d+ files/).waitFor();
    await page.locator('.ant-table-row').first().waitFor();
    expect(await page.locator('.ant-table-row').first().textContent()).toContain('Author:');
    await watched.screenshot('console-rules');
    await page.getByRole('menuitem', { name: 'Threat intel' }).click();
    await page.getByRole('heading', { name: 'Threat intelligence' }).waitFor();
    await page.getByRole('menuitem', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'API keys' }).waitFor();
    await page.getByText('initial-admin').waitFor();
    await page.getByRole('tab', { name: 'Units' }).click();
    await page.getByRole('cell', { name: unitNames[0], exact: true }).waitFor();
    await watched.screenshot('console-settings');
    expect(errorsSince(start)).toEqual([]);
  }, 60_000);

  it('opens the big-screen posture page with live counters and the offline map', async () => {
    const { page } = watched;
    const start = watched.errors.length;
    await page.getByRole('menuitem', { name: 'Posture screen' }).click();
    await page.getByRole('heading', { name: /Security posture/ }).waitFor();
    await page.getByText(/^Updated /).waitFor();
    await page.locator('canvas').first().waitFor();
    const events = page.locator('.ant-statistic', { hasText: 'Events today' }).locator('.ant-statistic-content');
    expect(Number(((await events.textContent()) ?? '').replace(/\D/g, ''))).toBeGreaterThan(0);
    expect(await page.locator('.ant-table-row').count()).toBeGreaterThan(0);
    await page.waitForTimeout(500);
    await watched.screenshot('console-posture');
    expect(errorsSince(start)).toEqual([]);
    expect(external).toEqual([]);
  }, 60_000);
});
