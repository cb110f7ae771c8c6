// The foundation's "done when", as a newcomer does it: start Vigil over the embedded DuckDB store,
// send the shared samples over HTTP NDJSON, Splunk HEC and syslog TCP, each bound to its own unit,
// and find every event again with the search API — and only in the unit that sent it.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type VigilConfig } from '../../src/config/config.ts';
import { silentLogger } from '../../src/pipeline/logger.ts';
import { type RunningVigil, startVigil } from '../../src/server/start-vigil.ts';
import { hasSharedData, sharedData } from '../shared-data.ts';

const hasData = hasSharedData('evtx-attack-samples', 'Discovery') && hasSharedData('formats', 'nginx', 'access');

function lines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

function configFor(dataDir: string, syslogPort: number): VigilConfig {
  const config = loadConfig({ env: {}, cwd: dataDir, flags: { dataDir: { value: dataDir, flag: '--data' } } });
  return {
    ...config,
    http: { ...config.http, port: 0 },
    syslog: { ...config.syslog, enabled: true, udpPort: 0, tcpPort: syslogPort, unit: 'dmz' },
  };
}

describe.skipIf(!hasData)('a newcomer sends the shared samples over HTTP, HEC and syslog', () => {
  let vigil: RunningVigil;
  let admin: Record<string, string>;
  const sent = { http: 0, hec: 0, syslog: 0 };

  async function createKey(unit: string, role: 'ingest' | 'read'): Promise<string> {
    const response = await fetch(`${vigil.url}/api/v1/api-keys`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `${unit}-${role}`, unit, role }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { secret: string }).secret;
  }

  async function search(
    unit: string,
    query: string,
  ): Promise<{ total: number; events: { event: Record<string, unknown> }[] }> {
    const key = await createKey(unit, 'read');
    const url = `${vigil.url}/api/v1/events?limit=500&from=2000-01-01T00:00:00Z&q=${encodeURIComponent(query)}`;
    const response = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as { total: number; events: { event: Record<string, unknown> }[] };
  }

  beforeAll(async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-newcomer-'));
    const syslogPort = 20_000 + Math.floor(Math.random() * 30_000);
    vigil = await startVigil(configFor(dataDir, syslogPort), {
      log: silentLogger,
      print: () => {},
      geoip: false,
      consoleRoot: false,
    });
    admin = { authorization: `Bearer ${vigil.initialAdminSecret}` };

    // HTTP NDJSON: every EVTX-as-JSON recording of one ATT&CK tactic folder.
    const httpKey = await createKey('soc-hq', 'ingest');
    const folder = sharedData('evtx-attack-samples', 'Discovery');
    for (const name of readdirSync(folder).filter((file) => file.endsWith('.jsonl'))) {
      const body = lines(path.join(folder, name));
      const response = await fetch(`${vigil.url}/api/v1/ingest`, {
        method: 'POST',
        headers: { authorization: `Bearer ${httpKey}` },
        body: `${body.join('\n')}\n`,
      });
      expect(await response.json()).toEqual({ stored: body.length, failed: 0, errors: [] });
      sent.http += body.length;
    }

    // Splunk HEC raw: web server access logs, as Vector or Fluent Bit would forward them.
    const hecKey = await createKey('web-farm', 'ingest');
    const access = lines(sharedData('formats', 'nginx', 'access', 'test-access.log'));
    const hec = await fetch(`${vigil.url}/services/collector/raw`, {
      method: 'POST',
      headers: { authorization: `Splunk ${hecKey}` },
      body: access.join('\n'),
    });
    expect(await hec.json()).toEqual({ text: 'Success', code: 0 });
    sent.hec = access.length;

    // Syslog over TCP, newline framed: Linux auth logs (sshd, sudo, useradd …).
    const auth = lines(sharedData('formats', 'system', 'auth', 'test-auth.log'));
    await new Promise<void>((resolve, reject) => {
      const socket = connect(syslogPort, '127.0.0.1', () => socket.end(`${auth.join('\n')}\n`, () => resolve()));
      socket.on('error', reject);
    });
    sent.syslog = auth.length;
    // Syslog has no acknowledgement: wait until the listener's records are committed.
    for (let attempt = 0; attempt < 100; attempt++) {
      if ((await search('dmz', '*')).total >= sent.syslog) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 120_000);

  afterAll(async () => {
    await vigil?.close();
  });

  it('finds every Windows event sent over HTTP, with its Windows fields, in its unit only', async () => {
    const all = await search('soc-hq', '*');
    expect(all.total).toBe(sent.http);
    const sysmon = await search('soc-hq', 'winlog.channel:"Microsoft-Windows-Sysmon/Operational" AND event.code:18');
    expect(sysmon.total).toBeGreaterThan(0);
    for (const { event } of sysmon.events) {
      expect((event['winlog'] as { record_id?: unknown }).record_id).toBeDefined();
      expect(event['unit']).toBe('soc-hq');
    }
    expect((await search('web-farm', 'winlog.channel:*')).total).toBe(0);
  });

  it('finds the access logs sent over HEC, parsed to ECS', async () => {
    expect((await search('web-farm', '*')).total).toBe(sent.hec);
    const gets = await search('web-farm', 'http.request.method:GET AND source.ip:*');
    expect(gets.total).toBeGreaterThan(0);
    expect(gets.events[0]?.event['url']).toBeDefined();
  });

  it('finds the auth logs sent over syslog under the listener unit', async () => {
    expect((await search('dmz', '*')).total).toBe(sent.syslog);
    const logins = await search('dmz', 'event.category:authentication');
    expect(logins.total).toBeGreaterThan(0);
    expect((await search('soc-hq', 'process.name:sshd')).total).toBe(0);
  });
});
