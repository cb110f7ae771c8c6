// Ingest health per source on a whole node: records sent over HTTP ingest and HEC show up in
// GET /api/v1/sources with their counts, failures, rate and last-seen time, each unit sees only its
// own sources (an admin of all units sees every one), and the route needs a read key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceHealthResponse } from '../../src/model/source-health.ts';
import { type SocNode, startSocNode } from '../soc/soc-node.ts';

let node: SocNode;
let url: string;
let admin: string;

async function createKey(name: string, unit: string, role: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/api-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, unit, role }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { secret: string }).secret;
}

async function sources(secret: string): Promise<SourceHealthResponse> {
  const response = await fetch(`${url}/api/v1/sources`, { headers: { authorization: `Bearer ${secret}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as SourceHealthResponse;
}

beforeAll(async () => {
  node = await startSocNode();
  url = node.running.url;
  admin = node.admin!;
}, 120_000);

afterAll(async () => {
  await node?.close();
});

describe('GET /api/v1/sources', () => {
  it('shows each source with its counts, failures and last seen time, scoped to the caller’s units', async () => {
    const financeIngest = await createKey('finance-firewall', 'finance', 'ingest');
    const hrIngest = await createKey('hr-collector', 'hr', 'ingest');
    const financeRead = await createKey('finance-read', 'finance', 'read');
    const hrRead = await createKey('hr-read', 'hr', 'read');

    const before = Date.now();
    const ndjson = [
      '{"message":"login ok","user":{"name":"alice"}}',
      '{"message":"login failed","user":{"name":"bob"}}',
      '{"message": broken json',
      '{"message":"logout","user":{"name":"alice"}}',
    ].join('\n');
    const ingest = await fetch(`${url}/api/v1/ingest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${financeIngest}`, 'content-type': 'application/x-ndjson' },
      body: ndjson,
    });
    expect(ingest.status).toBe(200);
    expect(await ingest.json()).toMatchObject({ stored: 3, failed: 1 });
    const hec = await fetch(`${url}/services/collector/event`, {
      method: 'POST',
      headers: { authorization: `Splunk ${hrIngest}` },
      body: '{"event":{"message":"hello"}}{"event":{"message":"again"}}',
    });
    expect(hec.status).toBe(200);
    const after = Date.now();

    const finance = await sources(financeRead);
    expect(finance.sources).toHaveLength(1);
    const firewall = finance.sources[0]!;
    expect(firewall).toMatchObject({
      kind: 'http',
      name: 'finance-firewall',
      unit: 'finance',
      eventsIn: 4,
      eventsStored: 3,
      failures: 1,
      deadLetters: 1,
      window: { eventsIn: 4, failures: 1 },
      lastFailureReason: 'no parser recognised this record',
      // One record in four failed within the minute: over the 20 % threshold.
      status: 'failing',
    });
    expect(firewall.rate).toBeGreaterThan(0);
    expect(firewall.lastEventAt).toBeGreaterThanOrEqual(before);
    expect(firewall.lastEventAt).toBeLessThanOrEqual(after);
    expect(firewall.lastFailureAt).toBeGreaterThanOrEqual(before);
    expect(finance.thresholds).toEqual({ windowMs: 60_000, idleAfterMs: 300_000, failingShare: 0.2 });
    expect(finance.now).toBeGreaterThanOrEqual(after);
    expect(finance.since).toBeLessThanOrEqual(before);

    // The other unit sees only its own HEC source, not finance's.
    const hr = await sources(hrRead);
    expect(hr.sources.map((row) => [row.kind, row.name, row.unit, row.eventsIn, row.eventsStored, row.status])).toEqual(
      [['hec', 'hr-collector', 'hr', 2, 2, 'ok']],
    );

    // An admin of all units sees both, most recently active first.
    const all = await sources(admin);
    const names = all.sources.map((row) => `${row.kind}:${row.name}:${row.unit}`);
    expect(names).toEqual(expect.arrayContaining(['http:finance-firewall:finance', 'hec:hr-collector:hr']));
    expect(names.indexOf('hec:hr-collector:hr')).toBeLessThan(names.indexOf('http:finance-firewall:finance'));

    // The Prometheus output is unchanged by the health counting.
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('vigil_events_in_total{source="http",unit="finance"} 4');
    expect(metrics).toContain('vigil_events_in_total{source="hec",unit="hr"} 2');
  });

  it('answers 401 without a key and 403 for an ingest-only key', async () => {
    const anonymous = await fetch(`${url}/api/v1/sources`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 'VIGIL_ERR_AUTH_REQUIRED' });
    const ingestOnly = await createKey('finance-ingest-only', 'finance', 'ingest');
    const forbidden = await fetch(`${url}/api/v1/sources`, { headers: { authorization: `Bearer ${ingestOnly}` } });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ code: 'VIGIL_ERR_FORBIDDEN' });
  });
});
