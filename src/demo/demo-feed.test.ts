import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RawRecord } from '../model/event.ts';
import { silentLogger } from '../pipeline/logger.ts';
import { OverloadedError, type RecordSink } from '../pipeline/record-sink.ts';
import { startDemoFeed } from './demo-feed.ts';

describe('demo feed', () => {
  it('backfills the simulated hours through the sink, with attack replays on simulated victims, retrying when overloaded', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'vigil-demo-'));
    writeFileSync(
      join(directory, 'attack.jsonl'),
      `${JSON.stringify({ Event: { System: { EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: 'LAB-PC', TimeCreated: { SystemTime: '2020-01-01T00:00:00.000Z' } }, EventData: { CommandLine: 'mimikatz.exe sekurlsa::logonpasswords', User: 'LAB-PC\\admin' } } })}\n`,
    );
    const received: RawRecord[] = [];
    let overloads = 1;
    const sink: RecordSink = {
      async submit(records) {
        if (overloads-- > 0) throw new OverloadedError('busy', 0.01);
        received.push(...records);
        return { stored: records.length, failed: 0, errors: [] };
      },
    };
    const controller = new AbortController();
    const feed = startDemoFeed({
      sink,
      log: silentLogger,
      hosts: 12,
      backfillHours: 2,
      attacks: 2,
      attackDir: directory,
      signal: controller.signal,
    });
    const count = await feed.backfilled;
    controller.abort();
    await feed.done;
    expect(count).toBeGreaterThan(50);
    expect(received.length).toBeGreaterThanOrEqual(count);
    const attacks = received.filter((record) => record.text.includes('mimikatz'));
    expect(attacks).toHaveLength(2);
    const victims = new Set(feed.organisation.hosts.map((host) => host.fqdn));
    for (const attack of attacks) {
      const computer = JSON.parse(attack.text).Event.System.Computer as string;
      expect(victims.has(computer)).toBe(true);
      expect(attack.text).not.toContain('LAB-PC');
    }
    expect(new Set(received.map((record) => record.unit)).size).toBeGreaterThan(0);
  });
});
