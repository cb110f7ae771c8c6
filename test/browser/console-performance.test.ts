// The console's speed bars with 10,000 incidents in the SOC store: the incident list API
// (the queries the queue page sends) answers with p95 ≤ 200 ms, and the first load of the
// incident queue in Chromium (navigation to the first row drawn, fastest of five) takes ≤ 2 s.
// Raw figures are printed. They measure the machine as much as the console: on a workstation
// shared with other work the bars only hold by chance, so the test runs in CI (CI=true) and on
// request (VIGIL_PERF=1), and skips with a message elsewhere.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentListResponse } from '../../src/model/console-api.ts';
import type { Incident, IncidentStatus } from '../../src/model/incident.ts';
import { DuckDbSocStore } from '../../src/store/soc/duckdb-soc-store.ts';
import { ensureChromium, launchChromium } from './chromium.ts';
import { type ConsoleNode, consoleRoot, startConsoleNode } from './console-node.ts';

const incidents = 10_000;
// Written through the store contract, then copied in SQL: the store upserts one row at a time
// (~9 ms each), which would spend a minute and a half of the suite on seeding alone.
const written = 500;
const copies = incidents / written;
const password = 'performance test password 7';
const enabled = process.env.CI === 'true' || process.env.VIGIL_PERF === '1';
if (!enabled) console.warn('skipping the console performance test: set VIGIL_PERF=1 (it always runs in CI)');
const browserAvailable = enabled && ensureChromium() && existsSync(join(consoleRoot, 'index.html'));

let node: ConsoleNode;
let running: ConsoleNode['running'];
let cookie = '';

/** Incidents shaped like real ones: entities, tactics, triage reasons, a spread of states. */
function syntheticIncidents(now: number): Incident[] {
  const statuses: IncidentStatus[] = ['new', 'new', 'in_progress', 'escalated', 'resolved', 'closed'];
  return Array.from({ length: written }, (_, index) => {
    const host = `ws${String(index % 400).padStart(3, '0')}`;
    const lastSeen = now - index * 20 * 60_000;
    return {
      id: `inc-${String(index).padStart(6, '0')}`,
      unit: `unit-${index % 12}`,
      title: `Suspicious PowerShell and ${index % 7} more detections on ${host}`,
      status: statuses[index % statuses.length]!,
      priority: (index * 37) % 101,
      needsAttention: index % 3 !== 0,
      ...(index % 3 === 0 ? { heldBackReason: 'below the unit threshold' } : {}),
      groupIds: [`group-${index}-a`, `group-${index}-b`],
      entities: [
        { kind: 'host', value: host },
        { kind: 'user', value: `user${index % 90}` },
        { kind: 'ip', value: `10.${index % 250}.${index % 200}.${index % 100}` },
        { kind: 'process', value: 'powershell.exe' },
      ],
      tactics: [
        { id: 'TA0002', name: 'Execution' },
        { id: 'TA0005', name: 'Defense Evasion' },
      ],
      techniques: [{ id: 'T1059.001', name: 'PowerShell' }],
      alertCount: 1 + (index % 40),
      firstSeen: lastSeen - 3_600_000,
      lastSeen,
      createdAt: lastSeen - 3_000_000,
      updatedAt: lastSeen,
      triage: {
        verdict: index % 4 === 0 ? 'benign' : index % 4 === 1 ? 'suspicious' : 'malicious',
        confidence: 0.8,
        reasons: [
          { feature: 'tactics', text: '2 ATT&CK tactic(s) involved', contribution: 1.1 },
          { feature: 'rules', text: '3 different detection rule(s) fired', contribution: 0.9 },
          { feature: 'level', text: 'highest alert level is high', contribution: 1.4 },
        ],
        modelVersion: 'test',
        millis: 1,
      },
    };
  });
}

async function seedIncidents(path: string): Promise<void> {
  const soc = await DuckDbSocStore.open(path);
  await soc.putIncidents(syntheticIncidents(Date.now()));
  await soc.close();
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  // Copies with their own ids (in the row and its document), times and workflow states.
  await connection.run(`INSERT INTO incidents
    SELECT i.* REPLACE (
      i.id || '-' || k AS id,
      json_merge_patch(i.doc, json_object('id', i.id || '-' || k)) AS doc,
      i.last_seen - k * 60000 AS last_seen,
      (['new', 'new', 'in_progress', 'escalated', 'resolved', 'closed'])[1 + (k % 6)] AS status
    )
    FROM incidents i, range(1, ${copies}) t(k)`);
  const count = await connection.runAndReadAll('SELECT count(*)::INTEGER AS n FROM incidents');
  expect(count.getRowObjects()[0]?.n).toBe(incidents);
  connection.closeSync();
  instance.closeSync();
}

function percentile(values: readonly number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!;
}

beforeAll(async () => {
  if (!enabled) return;
  node = await startConsoleNode('perf', password, {
    files: true,
    serveConsole: browserAvailable,
    beforeStart: (dataDir) => seedIncidents(join(dataDir, 'soc.duckdb')),
  });
  running = node.running;
  const session = await fetch(`${running.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  expect(session.status).toBe(200);
  cookie = session.headers.get('set-cookie')!.split(';')[0]!;
}, 120_000);

afterAll(async () => {
  await node?.close();
});

describe.skipIf(!enabled)('the console with 10,000 incidents', () => {
  it('answers the incident queue’s queries with p95 ≤ 200 ms', async () => {
    // What the queue sends: the default view, other sorts and filters, a search, a later page.
    const queries = [
      'needsAttention=true&status=open&sort=priority&limit=50',
      'sort=lastSeen&limit=50',
      'needsAttention=false&sort=priority&limit=50',
      'verdict=malicious&sort=priority&limit=50',
      'q=ws123&sort=priority&limit=50',
      `needsAttention=true&status=open&sort=priority&limit=50&cursor=${Buffer.from('2000').toString('base64url')}`,
    ];
    const first = (await (
      await fetch(`${running.url}/api/v1/incidents?${queries[0]}`, { headers: { cookie } })
    ).json()) as IncidentListResponse;
    expect(first.incidents).toHaveLength(50);
    expect(first.total).toBeGreaterThan(3000);
    const everything = await fetch(`${running.url}/api/v1/incidents?limit=1`, { headers: { cookie } });
    expect(((await everything.json()) as IncidentListResponse).total).toBe(incidents);
    const times: number[] = [];
    for (let round = 0; round < 20; round++) {
      for (const query of queries) {
        const started = performance.now();
        const response = await fetch(`${running.url}/api/v1/incidents?${query}`, { headers: { cookie } });
        await response.arrayBuffer();
        times.push(performance.now() - started);
        expect(response.status).toBe(200);
      }
    }
    const p50 = percentile(times, 0.5);
    const p95 = percentile(times, 0.95);
    console.log(
      JSON.stringify({
        incidentListApi: {
          requests: times.length,
          p50Ms: +p50.toFixed(1),
          p95Ms: +p95.toFixed(1),
          maxMs: +Math.max(...times).toFixed(1),
        },
      }),
    );
    expect(p95).toBeLessThanOrEqual(200);
  }, 120_000);

  it.skipIf(!browserAvailable)(
    'loads the incident queue in Chromium within 2 s',
    async () => {
      const browser = await launchChromium();
      try {
        const loads: number[] = [];
        for (let attempt = 0; attempt < 5; attempt++) {
          // A fresh context each time: nothing cached, as on a first visit.
          const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
          const [name, value] = cookie.split('=') as [string, string];
          await context.addCookies([{ name, value, url: running.url }]);
          await context.addInitScript(() => localStorage.setItem('vigil.signedIn', '1'));
          const page = await context.newPage();
          const errors: string[] = [];
          page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
          const started = performance.now();
          await page.goto(`${running.url}/incidents`);
          await page.locator('.ant-table-row').first().waitFor({ timeout: 10_000 });
          loads.push(performance.now() - started);
          expect(errors).toEqual([]);
          await context.close();
        }
        console.log(JSON.stringify({ firstLoadMs: loads.map((value) => Math.round(value)) }));
        // The fastest of five fresh loads: other test files share the two cores, and contention only
        // ever adds time, so the minimum is the figure that measures the console itself.
        expect(Math.min(...loads)).toBeLessThanOrEqual(2000);
      } finally {
        await browser.close();
      }
    },
    120_000,
  );
});
