// Rule management, threat intel, ATT&CK, alerts and retro-hunts over the API of a running node,
// as a detection engineer and two units' analysts meet them: switches take effect live and per
// unit, imports join the live set, intel retro-matches stored events, hunts run in the
// background, and no unit ever sees another unit's alerts, switches or hunts.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SocRuntime } from '../../src/cli/soc-runtime.ts';
import { IntelCatalog } from '../../src/detect/intel/intel-catalog.ts';
import { TaxiiFeeds } from '../../src/detect/intel/taxii-feeds.ts';
import type {
  AlertListResponse,
  AttackHeatmapResponse,
  AttackTechniquesResponse,
  HuntJob,
  IncidentDetailResponse,
  IncidentListResponse,
  IndicatorSearchResponse,
  IntelImportResponse,
  IntelSourcesResponse,
  RuleDetailResponse,
  RuleImportResponse,
  RuleListResponse,
  RuleSummary,
  RuleValidationResponse,
  TaxiiFeedResponse,
  TaxiiFeedView,
} from '../../src/model/console-api.ts';
import type { AlertGroup } from '../../src/model/incident.ts';
import type { ApiKey } from '../../src/model/unit.ts';
import { silentLogger } from '../../src/pipeline/logger.ts';
import { createApiKey } from '../../src/server/auth.ts';
import type { RunningVigil } from '../../src/server/start-vigil.ts';
import { SecretBox } from '../../src/store/secret-box.ts';
import { hasSharedData, repoRoot, sharedData } from '../shared-data.ts';
import { type SocNode, startSocNode } from './soc-node.ts';

const samples = join(repoRoot, 'content', 'samples');
const lsassRule = '2b8e4d6a-1c3f-4e5a-8b7d-9f0e1a2c3d42';
const officeRule = '7d0f5c1e-6a43-4f8e-9a1b-3c2d5e8f4a01';
const sshRule = '5f1a2b3c-4d5e-4f60-8a71-b2c3d4e5f603';
const hasAttack = hasSharedData('attack', 'enterprise-attack.json');

let node: SocNode;
let running: RunningVigil;
let runtime: SocRuntime;
let dataDir: string;
const secrets: Record<string, string> = {};

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
async function call<T>(method: Method, url: string, key: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await running.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${secrets[key]}` },
    ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
  });
  return { status: response.statusCode, body: response.json() as T };
}

async function ingest(unit: string, ...files: string[]): Promise<void> {
  const body = files.map((name) => readFileSync(join(samples, name), 'utf8')).join('');
  const response = await running.app.inject({
    method: 'POST',
    url: `/api/v1/ingest?unit=${unit}`,
    headers: { authorization: `Bearer ${secrets.admin}` },
    payload: body,
  });
  expect(response.statusCode).toBe(200);
  await runtime.detection.idle();
}

async function alertsOf(key: string, query: string): Promise<AlertListResponse> {
  const { status, body } = await call<AlertListResponse>('GET', `/api/v1/alerts?${query}`, key);
  expect(status).toBe(200);
  return body;
}

async function waitFor(key: string, id: string): Promise<HuntJob> {
  await runtime.hunts.idle();
  const { status, body } = await call<HuntJob>('GET', `/api/v1/hunts/${id}`, key);
  expect(status).toBe(200);
  return body;
}

beforeAll(async () => {
  node = await startSocNode({
    runtime: {
      adminPassword: 'correct horse battery staple',
      ...(hasAttack ? { attackBundle: sharedData('attack', 'enterprise-attack.json') } : {}),
    },
  });
  ({ running, runtime, dataDir } = node);
  const { store } = node;
  secrets.admin = node.admin!;
  const make = async (name: string, unit: string, role: ApiKey['role']) => {
    const created = createApiKey({ name, unit, role });
    await store.putApiKey(created.key, created.secretHash);
    secrets[name] = created.secret;
  };
  await make('finance-admin', 'finance', 'admin');
  await make('finance-read', 'finance', 'read');
  await make('hr-read', 'hr', 'read');
  await make('hr-admin', 'hr', 'admin');
  await ingest(
    'finance',
    'office_spawns_script_host.fires.jsonl',
    'lsass_access_by_dump_tool.fires.jsonl',
    'ssh_failed_password.fires.log',
  );
  await ingest('hr', 'lsass_access_by_dump_tool.fires.jsonl');
}, 120_000);

afterAll(async () => {
  await node?.close();
});

describe('rules', () => {
  it('lists the loaded rules with author, level, ATT&CK tags, logsource, switches and alert counts', async () => {
    const { status, body } = await call<RuleListResponse>('GET', '/api/v1/rules?limit=500', 'finance-read');
    expect(status).toBe(200);
    const lsass = body.rules.find((rule) => rule.id === lsassRule)!;
    expect(lsass).toMatchObject({
      kind: 'detection',
      title: 'Credential Dumping Tool Run Against LSASS',
      level: 'critical',
      status: 'stable',
      author: 'Vigil Detection Team',
      tags: ['attack.credential-access', 'attack.t1003.001'],
      logsource: { product: 'windows', category: 'process_creation' },
      enabled: true,
      enabledGlobally: true,
    });
    // Finance's own alerts only (hr raised the same ones).
    const financeLsass = await alertsOf('finance-read', `ruleId=${lsassRule}`);
    expect(financeLsass.total).toBeGreaterThan(0);
    expect(lsass.alerts).toMatchObject({ total: financeLsass.total, falsePositiveShare: null, judged: 0 });
    const admin = await call<RuleListResponse>('GET', '/api/v1/rules?limit=500', 'admin');
    expect(admin.body.rules.find((rule) => rule.id === lsassRule)!.alerts.total).toBeGreaterThan(financeLsass.total);
    if (hasAttack) expect(lsass.attack.techniques).toContainEqual({ id: 'T1003.001', name: 'LSASS Memory' });
    expect(body.rules.some((rule) => rule.kind === 'correlation')).toBe(true);
  });

  it('searches by text, level, tag or technique id, and pages', async () => {
    const ids = async (query: string) =>
      (await call<RuleListResponse>('GET', `/api/v1/rules?${query}`, 'finance-read')).body.rules.map((rule) => rule.id);
    expect(await ids('tag=T1003')).toEqual([lsassRule]);
    expect(await ids('tag=attack.t1003.001')).toEqual([lsassRule]);
    expect(await ids('level=critical')).toContain(lsassRule);
    expect(await ids('level=critical')).not.toContain(sshRule);
    expect(await ids('q=script%20interpreter')).toEqual([officeRule]);
    const first = await call<RuleListResponse>('GET', '/api/v1/rules?limit=1&sort=title', 'finance-read');
    expect(first.body.rules).toHaveLength(1);
    const second = await call<RuleListResponse>(
      'GET',
      `/api/v1/rules?limit=1&sort=title&cursor=${first.body.nextCursor}`,
      'finance-read',
    );
    expect(second.body.rules[0]!.title >= first.body.rules[0]!.title).toBe(true);
    expect(second.body.rules[0]!.id).not.toBe(first.body.rules[0]!.id);
  });

  it('shows one rule with its YAML source; an unknown id is a 404', async () => {
    const { status, body } = await call<RuleDetailResponse>('GET', `/api/v1/rules/${lsassRule}`, 'finance-read');
    expect(status).toBe(200);
    expect(body.source).toContain('title: Credential Dumping Tool Run Against LSASS');
    expect(body.rule.id).toBe(lsassRule);
    const missing = await call<{ code: string }>('GET', '/api/v1/rules/no-such-rule', 'finance-read');
    expect(missing).toMatchObject({ status: 404, body: { code: 'VIGIL_ERR_NOT_FOUND' } });
  });

  it('reports the validation of the last load', async () => {
    const { body } = await call<RuleValidationResponse>('GET', '/api/v1/rules/validation', 'finance-read');
    expect(body.loaded).toBe(3);
    expect(body.correlations).toBeGreaterThanOrEqual(1);
    expect(body.rejected).toEqual([]);
    expect(body.warnings).toEqual([]);
    expect(body.files).toBe(3);
  });

  it('switches a rule off for one unit, live: that unit stops alerting, the other goes on', async () => {
    const before = { finance: (await alertsOf('finance-read', `ruleId=${lsassRule}`)).total };
    const hrBefore = (await alertsOf('hr-read', `ruleId=${lsassRule}`)).total;
    const patched = await call<RuleSummary>('PATCH', `/api/v1/rules/${lsassRule}`, 'finance-admin', {
      enabled: false,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ enabled: false, enabledGlobally: true });
    await ingest('finance', 'lsass_access_by_dump_tool.fires.jsonl');
    await ingest('hr', 'lsass_access_by_dump_tool.fires.jsonl');
    expect((await alertsOf('finance-read', `ruleId=${lsassRule}`)).total).toBe(before.finance);
    expect((await alertsOf('hr-read', `ruleId=${lsassRule}`)).total).toBeGreaterThan(hrBefore);

    const financeView = await call<RuleDetailResponse>('GET', `/api/v1/rules/${lsassRule}`, 'finance-read');
    expect(financeView.body.rule.enabled).toBe(false);
    expect(financeView.body.rule.overrides).toMatchObject([{ unit: 'finance', enabled: false }]);
    // Unit isolation: hr neither sees finance's switch nor is affected by it.
    const hrView = await call<RuleDetailResponse>('GET', `/api/v1/rules/${lsassRule}`, 'hr-read');
    expect(hrView.body.rule.enabled).toBe(true);
    expect(hrView.body.rule.overrides).toEqual([]);
    const disabled = await call<RuleListResponse>('GET', '/api/v1/rules?enabled=false', 'finance-read');
    expect(disabled.body.rules.map((rule) => rule.id)).toEqual([lsassRule]);
    // An all-units administrator sees a unit's view with ?unit=; a unit key cannot ask for another's.
    const asFinance = await call<RuleDetailResponse>('GET', `/api/v1/rules/${lsassRule}?unit=finance`, 'admin');
    expect(asFinance.body.rule).toMatchObject({ enabled: false, enabledGlobally: true });
    expect((await call('GET', '/api/v1/rules?unit=finance', 'hr-read')).status).toBe(403);
    expect((await call<RuleListResponse>('GET', '/api/v1/rules?enabled=false', 'hr-read')).body.total).toBe(0);

    // Removing the switch turns it back on.
    await call('PATCH', `/api/v1/rules/${lsassRule}`, 'finance-admin', { enabled: 'inherit' });
    await ingest('finance', 'lsass_access_by_dump_tool.fires.jsonl');
    expect((await alertsOf('finance-read', `ruleId=${lsassRule}`)).total).toBeGreaterThan(before.finance);
  });

  it('refuses switches outside the caller’s units, global switches by unit admins, and readers', async () => {
    const other = await call<{ code: string }>('PATCH', `/api/v1/rules/${lsassRule}`, 'finance-admin', {
      enabled: false,
      unit: 'hr',
    });
    expect(other).toMatchObject({ status: 403, body: { code: 'VIGIL_ERR_UNIT_FORBIDDEN' } });
    const global = await call<{ code: string }>('PATCH', `/api/v1/rules/${lsassRule}`, 'finance-admin', {
      enabled: false,
      unit: '*',
    });
    expect(global).toMatchObject({ status: 403, body: { code: 'VIGIL_ERR_UNIT_FORBIDDEN' } });
    const reader = await call<{ code: string }>('PATCH', `/api/v1/rules/${lsassRule}`, 'finance-read', {
      enabled: false,
    });
    expect(reader).toMatchObject({ status: 403, body: { code: 'VIGIL_ERR_FORBIDDEN' } });
  });

  it('switches a correlation rule off for one unit, live', async () => {
    const guessing = '5f1a2b3c-4d5e-4f60-8a71-b2c3d4e5f604';
    const patched = await call<RuleSummary>('PATCH', `/api/v1/rules/${guessing}`, 'finance-admin', {
      enabled: false,
    });
    expect(patched.body).toMatchObject({ kind: 'correlation', enabled: false });
    const before = (await alertsOf('finance-read', `ruleId=${guessing}`)).total;
    expect(before).toBeGreaterThan(0);
    await ingest('finance', 'ssh_failed_password.fires.log');
    expect((await alertsOf('finance-read', `ruleId=${guessing}`)).total).toBe(before);
    await ingest('hr', 'ssh_failed_password.fires.log');
    expect((await alertsOf('hr-read', `ruleId=${guessing}`)).total).toBeGreaterThan(0);
    await call('PATCH', `/api/v1/rules/${guessing}`, 'finance-admin', { enabled: 'inherit' });
  });

  it('switches a rule off everywhere (all-units admin), persisted in the SOC store', async () => {
    const patched = await call<RuleSummary>('PATCH', `/api/v1/rules/${officeRule}`, 'admin', { enabled: false });
    expect(patched.body).toMatchObject({ enabled: false, enabledGlobally: false });
    expect(await runtime.soc.listRuleOverrides({ kind: 'units', units: ['hr'] })).toContainEqual(
      expect.objectContaining({ ruleId: officeRule, unit: '*', enabled: false }),
    );
    const before = (await alertsOf('hr-read', `ruleId=${officeRule}`)).total;
    await ingest('hr', 'office_spawns_script_host.fires.jsonl');
    expect((await alertsOf('hr-read', `ruleId=${officeRule}`)).total).toBe(before);
    // A unit's own switch wins over the global one.
    await call('PATCH', `/api/v1/rules/${officeRule}`, 'hr-admin', { enabled: true });
    await ingest('hr', 'office_spawns_script_host.fires.jsonl');
    expect((await alertsOf('hr-read', `ruleId=${officeRule}`)).total).toBeGreaterThan(before);
    await call('PATCH', `/api/v1/rules/${officeRule}`, 'admin', { enabled: 'inherit' });
  });

  it('imports a YAML rule into the live set; refuses invalid rules with file:line and unit admins', async () => {
    const yaml = [
      'title: Procdump Runs',
      'id: 0c0ffee0-0000-4000-8000-000000000001',
      'status: test',
      'author: Test Author',
      'level: high',
      'tags: [attack.t1003]',
      'logsource: {category: process_creation, product: windows}',
      'detection:',
      '  selection:',
      '    Image|endswith: \\procdump64.exe',
      '  condition: selection',
      '',
    ].join('\n');
    const forbidden = await call<{ code: string }>('POST', '/api/v1/rules/import', 'finance-admin', { yaml });
    expect(forbidden).toMatchObject({ status: 403, body: { code: 'VIGIL_ERR_FORBIDDEN' } });
    const bad = await call<{ code: string; details: { rejected: { path: string; line: number; reason: string }[] } }>(
      'POST',
      '/api/v1/rules/import',
      'admin',
      { yaml: yaml.replace('Image|endswith', 'Image|endswithh'), name: 'broken' },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.details.rejected[0]).toMatchObject({ path: 'broken.yml', line: 10 });
    expect(bad.body.details.rejected[0]!.reason).toMatch(/endswithh/);

    const imported = await call<RuleImportResponse>('POST', '/api/v1/rules/import', 'admin', { yaml });
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ imported: 1, files: 1, rejected: [], loaded: 4 });
    const listed = await call<RuleDetailResponse>(
      'GET',
      '/api/v1/rules/0c0ffee0-0000-4000-8000-000000000001',
      'finance-read',
    );
    expect(listed.body.rule).toMatchObject({ author: 'Test Author', level: 'high' });
    await ingest('finance', 'lsass_access_by_dump_tool.fires.jsonl');
    const fired = await alertsOf('finance-read', 'ruleId=0c0ffee0-0000-4000-8000-000000000001');
    expect(fired.total).toBeGreaterThan(0);
    expect(fired.alerts[0]!.rule).toMatchObject({ title: 'Procdump Runs', author: 'Test Author', level: 'high' });

    // The same rule again replaces its file; a loaded rule from elsewhere is refused (it would alert twice).
    const again = await call<RuleImportResponse>('POST', '/api/v1/rules/import', 'admin', { yaml });
    expect(again.body).toMatchObject({ imported: 1, loaded: 4 });
    const duplicate = await call<{ details: { rejected: { reason: string }[] } }>(
      'POST',
      '/api/v1/rules/import',
      'admin',
      {
        path: join(repoRoot, 'content', 'rules', 'windows'),
      },
    );
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.details.rejected[0]!.reason).toMatch(/is already loaded from .*content\/rules\/windows/);
  });
});

describe('rule health', () => {
  it('shows the share of judged alerts an analyst called benign, per unit', async () => {
    const incidents = await call<{ incidents: { id: string; title: string }[] }>(
      'GET',
      '/api/v1/incidents?unit=hr',
      'hr-read',
    );
    const incident = incidents.body.incidents.find((candidate) => candidate.title.includes('LSASS'))!;
    const verdict = await call('PATCH', `/api/v1/incidents/${incident.id}`, 'hr-admin', { analystVerdict: 'benign' });
    expect(verdict.status).toBe(200);
    const hr = await call<RuleDetailResponse>('GET', `/api/v1/rules/${lsassRule}`, 'hr-read');
    expect(hr.body.rule.alerts.judged).toBeGreaterThan(0);
    expect(hr.body.rule.alerts.falsePositiveShare).toBe(1);
    // Finance gave no verdict: its view of the same rule has none.
    const finance = await call<RuleDetailResponse>('GET', `/api/v1/rules/${lsassRule}`, 'finance-read');
    expect(finance.body.rule.alerts).toMatchObject({ judged: 0, falsePositiveShare: null });
  });
});

describe('alerts', () => {
  it('lists only the caller’s units, with rule author and ATT&CK ids', async () => {
    const finance = await alertsOf('finance-read', 'limit=500');
    expect(finance.total).toBeGreaterThan(0);
    expect(finance.alerts.every((alert) => alert.unit === 'finance')).toBe(true);
    expect(finance.alerts.every((alert) => alert.rule.author)).toBe(true);
    const hr = await alertsOf('hr-read', 'limit=500');
    expect(hr.alerts.every((alert) => alert.unit === 'hr')).toBe(true);
    const all = await alertsOf('admin', 'limit=500');
    expect(all.total).toBe(finance.total + hr.total);
    const denied = await call<{ code: string }>('GET', '/api/v1/alerts?unit=hr', 'finance-read');
    expect(denied).toMatchObject({ status: 403, body: { code: 'VIGIL_ERR_UNIT_FORBIDDEN' } });
    // Another unit's alert by id is not found, not forbidden (no existence leak).
    const hrAlert = hr.alerts[0]!;
    expect((await call('GET', `/api/v1/alerts/${hrAlert.id}`, 'finance-read')).status).toBe(404);
    expect((await call('GET', `/api/v1/alerts/${hrAlert.id}`, 'hr-read')).status).toBe(200);
    const lsass = finance.alerts.find((alert) => alert.rule.id === lsassRule)!;
    expect(lsass.attack?.techniques.map((technique) => technique.id)).toContain('T1003.001');
    // A heatmap cell's alerts: the parent technique includes its sub-techniques.
    const dumping = await alertsOf('finance-read', 'technique=T1003&limit=500');
    expect(dumping.total).toBeGreaterThan(0);
    expect(
      dumping.alerts.every((alert) => alert.attack?.techniques.some((technique) => technique.id.startsWith('T1003'))),
    ).toBe(true);
    // T1003 = the LSASS rule's T1003.001 alerts + the imported rule tagged with the parent only.
    const lsassMemory = (await alertsOf('finance-read', 'technique=T1003.001')).total;
    const parentOnly = (await alertsOf('finance-read', 'ruleId=0c0ffee0-0000-4000-8000-000000000001')).total;
    expect(lsassMemory).toBeGreaterThan(0);
    expect(dumping.total).toBe(lsassMemory + parentOnly);
    expect((await alertsOf('finance-read', 'technique=T1055')).total).toBe(0);
  });

  it('filters by level and event time, and pages', async () => {
    const critical = await alertsOf('finance-read', 'level=critical');
    expect(critical.alerts.every((alert) => alert.rule.level === 'critical')).toBe(true);
    expect((await alertsOf('finance-read', 'from=2026-11-24T00:00:00Z')).total).toBe(0);
    const page = await alertsOf('finance-read', 'limit=1');
    const next = await alertsOf('finance-read', `limit=1&cursor=${page.nextCursor}`);
    expect(next.alerts[0]!.id).not.toBe(page.alerts[0]!.id);
    expect((await call('GET', '/api/v1/alerts?from=yesterday', 'finance-read')).status).toBe(400);
  });
});

describe('threat intel', () => {
  let retro: HuntJob;

  it('imports an IOC list, matches it live and retro-matches stored events in the background', async () => {
    const forbidden = await call('POST', '/api/v1/intel/import', 'finance-admin', {
      content: '185.220.101.7\n',
      source: 'test-feed',
    });
    expect(forbidden.status).toBe(403);
    const imported = await call<IntelImportResponse>('POST', '/api/v1/intel/import', 'admin', {
      content: '# Test C2\n185.220.101.7\nevil.example.org\n',
      source: 'test-feed',
      retroDays: 365,
    });
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ source: 'test-feed', format: 'list', indicators: 2, added: 2 });
    retro = await waitFor('admin', imported.body.retroMatch!.id);
    expect(retro).toMatchObject({ kind: 'intel-retro', status: 'done', progress: 1 });
    // The six SSH failures from 185.220.101.7, stored twice for finance and once for hr so far.
    expect(retro.alerts).toBe(18);
    const hits = await alertsOf('finance-read', `hunt=${retro.id}&limit=100`);
    expect(hits.total).toBe(12);
    expect(hits.alerts.every((alert) => alert.unit === 'finance')).toBe(true);
    expect(hits.alerts[0]).toMatchObject({ kind: 'intel', hunt: retro.id, intel: { source: 'test-feed' } });
    expect((await alertsOf('hr-read', `hunt=${retro.id}`)).total).toBe(6);
    // The retro-match found attacks that already happened: its alerts open incidents like live
    // ones, each unit its own.
    for (const [caller, unit] of [
      ['finance-read', 'finance'],
      ['hr-read', 'hr'],
    ] as const) {
      const queue = await call<IncidentListResponse>('GET', '/api/v1/incidents?limit=100', caller);
      expect(queue.status).toBe(200);
      const intelGroups: AlertGroup[] = [];
      for (const incident of queue.body.incidents) {
        expect(incident.unit).toBe(unit);
        const detail = await call<IncidentDetailResponse>('GET', `/api/v1/incidents/${incident.id}`, caller);
        intelGroups.push(...detail.body.groups.filter((group) => group.kind === 'intel'));
      }
      expect(intelGroups.length, caller).toBeGreaterThan(0);
      expect(intelGroups.every((group) => group.unit === unit && group.ruleId === 'intel:test-feed')).toBe(true);
    }
    expect(readFileSync(join(dataDir, 'intel', 'test-feed.intel'), 'utf8')).toContain('185.220.101.7');

    await ingest('finance', 'ssh_failed_password.fires.log');
    const live = await alertsOf('finance-read', 'kind=intel&origin=live');
    expect(live.total).toBeGreaterThan(0);
  });

  it('lists sources with counts, searches indicators by prefix and type, and looks a value up', async () => {
    const sources = await call<IntelSourcesResponse>('GET', '/api/v1/intel/sources', 'finance-read');
    expect(sources.body.sources).toContainEqual(
      expect.objectContaining({ source: 'test-feed', indicators: 2, byType: { ip: 1, domain: 1 }, origin: 'api' }),
    );
    const search = await call<IndicatorSearchResponse>('GET', '/api/v1/intel/indicators?prefix=185.220', 'hr-read');
    expect(search.body.indicators).toMatchObject([{ type: 'ip', value: '185.220.101.7', source: 'test-feed' }]);
    const byType = await call<IndicatorSearchResponse>('GET', '/api/v1/intel/indicators?type=domain', 'hr-read');
    expect(byType.body.indicators.map((indicator) => indicator.value)).toEqual(['evil.example.org']);
    const lookup = await call<{ type: string; indicators: { value: string }[] }>(
      'GET',
      '/api/v1/intel/lookup?value=www.evil.example.org',
      'hr-read',
    );
    expect(lookup.body).toMatchObject({ type: 'domain', indicators: [{ value: 'evil.example.org' }] });
  });

  it('replaces a source on re-import: dropped entries stop matching, only new ones are retro-matched', async () => {
    const again = await call<IntelImportResponse>('POST', '/api/v1/intel/import', 'admin', {
      content: 'evil.example.org\nworse.example.org\n',
      source: 'test-feed',
      retroDays: 365,
    });
    expect(again.body).toMatchObject({ indicators: 2, added: 1, removed: 1 });
    const gone = await call<{ indicators: unknown[] }>('GET', '/api/v1/intel/lookup?value=185.220.101.7', 'hr-read');
    expect(gone.body.indicators).toEqual([]);
    expect((await waitFor('admin', again.body.retroMatch!.id)).alerts).toBe(0);
    const before = (await alertsOf('finance-read', 'kind=intel&origin=live')).total;
    await ingest('finance', 'ssh_failed_password.fires.log');
    expect((await alertsOf('finance-read', 'kind=intel&origin=live')).total).toBe(before);
    const sources = await call<IntelSourcesResponse>('GET', '/api/v1/intel/sources', 'finance-read');
    expect(sources.body.sources).toContainEqual(
      expect.objectContaining({ source: 'test-feed', indicators: 2, byType: { domain: 2 } }),
    );
  });

  it('refuses a feed with no usable indicator', async () => {
    const empty = await call<{ code: string }>('POST', '/api/v1/intel/import', 'admin', {
      content: '# nothing\n',
      source: 'empty',
    });
    expect(empty).toMatchObject({ status: 400, body: { code: 'VIGIL_ERR_VALIDATION' } });
  });
});

describe('retro-hunts', () => {
  it('runs loaded rules by id over a unit’s stored events as a background job with progress', async () => {
    const queueBefore = (await call<IncidentListResponse>('GET', '/api/v1/incidents?limit=1', 'finance-read')).body
      .total;
    const started = await call<HuntJob>('POST', '/api/v1/hunts', 'finance-read', {
      ruleIds: [sshRule],
      from: '2026-11-01T00:00:00Z',
      to: '2026-12-01T00:00:00Z',
    });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ kind: 'sigma', units: ['finance'], rules: 1 });
    const job = await waitFor('finance-read', started.body.id);
    expect(job).toMatchObject({ status: 'done', progress: 1 });
    expect(job.scanned).toBe(job.total);
    // Finance stored the six SSH failures four times by now: the base rule matches every one.
    expect(job.alerts).toBe(24);
    const alerts = await alertsOf('finance-read', `hunt=${job.id}&limit=500`);
    expect(alerts.total).toBe(24);
    expect(alerts.alerts.every((alert) => alert.hunt === job.id && alert.rule.id === sshRule)).toBe(true);
    // Another unit cannot see the job.
    expect((await call('GET', `/api/v1/hunts/${job.id}`, 'hr-read')).status).toBe(404);
    expect((await call<{ hunts: HuntJob[] }>('GET', '/api/v1/hunts', 'hr-read')).body.hunts).toEqual([]);
    // Hunt alerts are not live noise: the rule's counts leave them out.
    const rule = await call<RuleDetailResponse>('GET', `/api/v1/rules/${sshRule}`, 'finance-read');
    expect(rule.body.rule.alerts.total).toBe(0);
    // An analyst's retro-hunt is for review: its alerts open no incidents.
    const queueAfter = (await call<IncidentListResponse>('GET', '/api/v1/incidents?limit=1', 'finance-read')).body
      .total;
    expect(queueAfter).toBe(queueBefore);
  });

  it('runs a loaded correlation rule by id over the matches of the rule it counts', async () => {
    const correlationRule = '5f1a2b3c-4d5e-4f60-8a71-b2c3d4e5f604';
    const started = await call<HuntJob>('POST', '/api/v1/hunts', 'finance-read', {
      ruleIds: [correlationRule],
      from: '2026-11-01T00:00:00Z',
      to: '2026-12-01T00:00:00Z',
    });
    expect(started.status).toBe(202);
    const job = await waitFor('finance-read', started.body.id);
    expect(job.status).toBe('done');
    expect(job.alerts).toBeGreaterThan(0);
    const alerts = await alertsOf('finance-read', `hunt=${job.id}&limit=500`);
    // Only the chosen correlation alerts; the failed-password rule it counts was not chosen.
    expect(alerts.alerts.map((alert) => `${alert.kind} ${alert.rule.id}`)).toEqual(
      alerts.alerts.map(() => `sigma-correlation ${correlationRule}`),
    );
    expect(alerts.alerts.every((alert) => alert.unit === 'finance' && alert.hunt === job.id)).toBe(true);
  });

  it('runs uploaded YAML over the caller’s units only', async () => {
    const yaml = readFileSync(join(repoRoot, 'content', 'rules', 'windows', 'lsass_access_by_dump_tool.yml'), 'utf8');
    const started = await call<HuntJob>('POST', '/api/v1/hunts', 'hr-read', { yaml, from: 0 });
    const job = await waitFor('hr-read', started.body.id);
    expect(job.status).toBe('done');
    expect(job.alerts).toBeGreaterThan(0);
    const alerts = await alertsOf('admin', `hunt=${job.id}&limit=500`);
    expect(alerts.alerts.every((alert) => alert.unit === 'hr')).toBe(true);
    // An all-units hunter narrows to one unit; a unit hunter cannot reach another.
    const narrowed = await call<HuntJob>('POST', '/api/v1/hunts', 'admin', { yaml, from: 0, units: ['hr'] });
    expect(narrowed.body.units).toEqual(['hr']);
    expect((await waitFor('hr-read', narrowed.body.id)).alerts).toBe(job.alerts);
    const across = await call<{ code: string }>('POST', '/api/v1/hunts', 'hr-read', {
      yaml,
      from: 0,
      units: ['finance'],
    });
    expect(across).toMatchObject({ status: 403, body: { code: 'VIGIL_ERR_UNIT_FORBIDDEN' } });
    const bad = await call<{ code: string }>('POST', '/api/v1/hunts', 'hr-read', { yaml: 'title: x\n', from: 0 });
    expect(bad).toMatchObject({ status: 400, body: { code: 'VIGIL_ERR_VALIDATION' } });
    const unknown = await call<{ code: string }>('POST', '/api/v1/hunts', 'hr-read', { ruleIds: ['nope'], from: 0 });
    expect(unknown.status).toBe(400);
  });
});

describe.skipIf(!hasAttack)('ATT&CK', () => {
  it('lists tactics in matrix order and techniques with sub-techniques and names', async () => {
    const { body } = await call<AttackTechniquesResponse>('GET', '/api/v1/attack/techniques', 'finance-read');
    expect(body.tactics[0]).toMatchObject({ id: 'TA0043', name: 'Reconnaissance' });
    expect(body.tactics.map((tactic) => tactic.name)).toContain('Credential Access');
    const dumping = body.techniques.find((technique) => technique.id === 'T1003')!;
    expect(dumping.name).toBe('OS Credential Dumping');
    expect(dumping.subtechniques).toContainEqual({ id: 'T1003.001', name: 'LSASS Memory' });
  });

  it('counts alerts per technique in the caller’s units for the heatmap', async () => {
    const period = 'from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z';
    const finance = await call<AttackHeatmapResponse>('GET', `/api/v1/attack/heatmap?${period}`, 'finance-read');
    const lsass = finance.body.techniques.find((cell) => cell.technique.id === 'T1003.001')!;
    const expected = (await alertsOf('finance-read', `ruleId=${lsassRule}&from=2026-11-01T00:00:00Z`)).total;
    expect(lsass).toMatchObject({ technique: { name: 'LSASS Memory' }, count: expect.any(Number) });
    expect(lsass.count).toBeGreaterThanOrEqual(expected);
    expect(finance.body.cells.some((cell) => cell.tactic.name === 'Credential Access')).toBe(true);
    const empty = await call<AttackHeatmapResponse>(
      'GET',
      '/api/v1/attack/heatmap?from=2020-01-01&to=2020-02-01',
      'hr-read',
    );
    expect(empty.body.cells).toEqual([]);
  });
});

describe('OpenAPI', () => {
  it('documents every detection route with its schema', async () => {
    const response = await running.app.inject({ method: 'GET', url: '/api/docs/json' });
    const paths = Object.keys((response.json() as { paths: Record<string, unknown> }).paths);
    for (const path of [
      '/api/v1/rules',
      '/api/v1/rules/{id}',
      '/api/v1/rules/validation',
      '/api/v1/rules/import',
      '/api/v1/alerts',
      '/api/v1/intel/sources',
      '/api/v1/intel/indicators',
      '/api/v1/intel/import',
      '/api/v1/attack/techniques',
      '/api/v1/attack/heatmap',
      '/api/v1/hunts',
      '/api/v1/hunts/{id}',
    ])
      expect(paths).toContain(path);
  });
});

describe('TAXII 2.1 feeds', () => {
  let server: Server;
  let root: string;
  const requests: string[] = [];
  const indicator = (id: string, pattern: string) => ({
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${id}`,
    created: '2026-12-01T00:00:00.000Z',
    modified: '2026-12-01T00:00:00.000Z',
    pattern,
    pattern_type: 'stix',
    valid_from: '2026-12-01T00:00:00.000Z',
    name: 'TAXII C2',
  });

  beforeAll(async () => {
    // A collection that answers incrementally: what was added after the client's cursor.
    server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://taxii.test');
      requests.push(`${url.pathname}?${url.searchParams.toString()}`);
      if (request.headers.authorization !== `Basic ${Buffer.from('vigil:secret').toString('base64')}`) {
        response.writeHead(401).end('{}');
        return;
      }
      const after = url.searchParams.get('added_after');
      const objects =
        after === null
          ? [indicator('00000000-0000-4000-8000-000000000001', "[ipv4-addr:value = '185.220.101.7']")]
          : after === '2026-12-01T00:00:00.000Z'
            ? [indicator('00000000-0000-4000-8000-000000000002', "[domain-name:value = 'taxii-c2.example']")]
            : [];
      const headers: Record<string, string> = { 'content-type': 'application/taxii+json;version=2.1' };
      if (objects.length > 0)
        headers['X-TAXII-Date-Added-Last'] = after === null ? '2026-12-01T00:00:00.000Z' : '2026-12-02T00:00:00.000Z';
      response.writeHead(200, headers).end(JSON.stringify({ objects, more: false }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    root = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api1/`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('subscribes, polls incrementally, retro-matches new indicators and never shows the credentials', async () => {
    const body = { apiRoot: root, collectionId: 'c2', basicAuth: 'vigil:secret', intervalMinutes: 0, retroDays: 365 };
    expect((await call('PUT', '/api/v1/intel/taxii/taxii-c2', 'finance-admin', body)).status).toBe(403);
    const first = await call<TaxiiFeedResponse>('PUT', '/api/v1/intel/taxii/taxii-c2', 'admin', body);
    expect(first.status).toBe(200);
    expect(first.body.poll).toMatchObject({ objects: 1, indicators: 1, added: 1 });
    expect(first.body.feed).toMatchObject({ cursor: '2026-12-01T00:00:00.000Z', objects: 1, authenticated: true });
    expect(JSON.stringify(first.body)).not.toContain('secret');
    const lookup = await call<{ indicators: { source: string }[] }>(
      'GET',
      '/api/v1/intel/lookup?value=185.220.101.7',
      'hr-read',
    );
    expect(lookup.body.indicators).toMatchObject([{ source: 'taxii-c2' }]);
    await runtime.hunts.idle();
    const retro = (await call<{ hunts: HuntJob[] }>('GET', '/api/v1/hunts', 'admin')).body.hunts.find(
      (job) => job.kind === 'intel-retro' && job.createdBy === 'taxii',
    )!;
    expect(retro).toMatchObject({ status: 'done' });
    expect(retro.alerts).toBeGreaterThan(0);

    const second = await call<TaxiiFeedResponse>('POST', '/api/v1/intel/taxii/taxii-c2/poll', 'admin');
    expect(second.body.poll).toMatchObject({ objects: 1, added: 1 });
    expect(second.body.feed).toMatchObject({ cursor: '2026-12-02T00:00:00.000Z', objects: 2 });
    const third = await call<TaxiiFeedResponse>('POST', '/api/v1/intel/taxii/taxii-c2/poll', 'admin');
    expect(third.body.poll).toMatchObject({ objects: 0, added: 0 });
    expect(requests.slice(-3).map((request) => request.replace(/^.*\?/, ''))).toEqual([
      '',
      'added_after=2026-12-01T00%3A00%3A00.000Z',
      'added_after=2026-12-02T00%3A00%3A00.000Z',
    ]);
    // Kept for a restart: the objects in DATA/intel, the subscription and cursor in the SOC store.
    const kept = JSON.parse(readFileSync(join(dataDir, 'intel', 'taxii-c2.intel'), 'utf8')) as { objects: unknown[] };
    expect(kept.objects).toHaveLength(2);
    const saved = await runtime.soc.getState<{ source: string; cursor: string }[]>('taxii-feeds');
    expect(saved).toMatchObject([{ source: 'taxii-c2', cursor: '2026-12-02T00:00:00.000Z' }]);
    // The credentials are sealed with the node key (DATA/secret.key), not stored as given…
    expect(JSON.stringify(saved)).not.toContain('vigil:secret');
    expect(JSON.stringify(saved)).toContain('vigil-sealed:v1:');
    // …and a restarted node (same data dir, so same key) still authenticates its polls.
    const restarted = new TaxiiFeeds({
      soc: runtime.soc,
      intel: new IntelCatalog(),
      importDir: join(dataDir, 'intel-restarted'),
      log: silentLogger,
      secrets: await SecretBox.forDataDir(dataDir),
    });
    await restarted.restore();
    const polled = await restarted.poll('taxii-c2');
    restarted.close();
    expect(polled.error).toBeUndefined();

    const list = await call<{ feeds: TaxiiFeedView[] }>('GET', '/api/v1/intel/taxii', 'admin');
    expect(list.body.feeds).toMatchObject([{ source: 'taxii-c2', objects: 2 }]);
    expect((await call('DELETE', '/api/v1/intel/taxii/taxii-c2', 'admin')).status).toBe(200);
    expect((await call('POST', '/api/v1/intel/taxii/taxii-c2/poll', 'admin')).status).toBe(404);
  });

  it('records a failing server on the feed instead of failing the node', async () => {
    const failed = await call<TaxiiFeedResponse>('PUT', '/api/v1/intel/taxii/taxii-bad', 'admin', {
      apiRoot: root,
      collectionId: 'c2',
      basicAuth: 'vigil:wrong',
      intervalMinutes: 0,
    });
    expect(failed.status).toBe(200);
    expect(failed.body.poll.error).toMatch(/TAXII 401/);
    expect(failed.body.feed.lastError).toMatch(/TAXII 401/);
    await call('DELETE', '/api/v1/intel/taxii/taxii-bad', 'admin');
  });
});
