// The console's live alert stream: new alerts arrive over Server-Sent Events as detection raises
// them, each subscriber sees only its own units, and a shutdown is not held open by a stream.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningVigil } from '../../src/server/start-vigil.ts';
import { repoRoot } from '../shared-data.ts';
import { type SocNode, startSocNode } from './soc-node.ts';

let node: SocNode;
let running: RunningVigil;
let admin: string;

async function createKey(unit: string, role: string): Promise<string> {
  const response = await fetch(`${running.url}/api/v1/api-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `${unit}-${role}`, unit, role }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { secret: string }).secret;
}

/** Reads an SSE response in the background, collecting the data of `event: alert` messages. */
function collect(response: Response): { alerts: Record<string, unknown>[]; ended: Promise<void> } {
  const alerts: Record<string, unknown>[] = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const ended = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let boundary = buffer.indexOf('\n\n');
      while (boundary !== -1) {
        const message = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        if (message.includes('event: alert')) {
          const data = message.split('\n').find((line) => line.startsWith('data: '));
          if (data) alerts.push(JSON.parse(data.slice(6)) as Record<string, unknown>);
        }
        boundary = buffer.indexOf('\n\n');
      }
    }
  })();
  return { alerts, ended };
}

beforeAll(async () => {
  node = await startSocNode({ env: { VIGIL_ANALYST_AUTO_PRIORITY: '0' } });
  running = node.running;
  admin = node.admin!;
}, 120_000);

afterAll(async () => {
  await node?.close();
});

describe('GET /api/v1/alerts/stream', () => {
  it('streams new alerts to their own unit only, and ends the streams on shutdown', async () => {
    const finance = await createKey('finance', 'read');
    const hr = await createKey('hr', 'read');
    const open = async (key: string) => {
      const response = await fetch(`${running.url}/api/v1/alerts/stream`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      return collect(response);
    };
    const financeStream = await open(finance);
    const hrStream = await open(hr);
    expect((await fetch(`${running.url}/api/v1/alerts/stream`)).status).toBe(401);

    const body = readFileSync(join(repoRoot, 'content', 'samples', 'lsass_access_by_dump_tool.fires.jsonl'), 'utf8');
    const ingest = await fetch(`${running.url}/api/v1/ingest?unit=finance`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
      body,
    });
    expect(ingest.status).toBe(200);
    await node.runtime.detection.idle();
    await expect.poll(() => financeStream.alerts.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(financeStream.alerts[0]).toMatchObject({
      unit: 'finance',
      rule: { level: 'critical', author: 'Vigil Detection Team' },
    });
    expect(typeof financeStream.alerts[0]!['id']).toBe('string');
    expect(hrStream.alerts).toEqual([]);

    // A shutdown ends the open streams instead of waiting for the browsers.
    await node.close();
    await Promise.all([financeStream.ended, hrStream.ended]);
  }, 60_000);
});
