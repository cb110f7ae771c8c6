import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EcsEvent } from '../model/event.ts';
import { RuleCatalog } from './rule-catalog.ts';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function ruleDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-rule-catalog-'));
  directories.push(directory);
  writeFileSync(
    join(directory, 'new-process.yml'),
    'title: New process\nid: 6a1d0c44-0d3b-4b59-9d35-1c8f54a0b001\nlogsource:\n  product: windows\n  service: security\ndetection:\n  sel:\n    EventID: 4688\n  condition: sel\nlevel: low\n',
  );
  return directory;
}

const processEvent: EcsEvent = {
  '@timestamp': '2026-12-03T10:00:00.000Z',
  unit: 'default',
  winlog: { channel: 'Security', event_id: '4688', event_data: {} },
} as EcsEvent;

describe('RuleCatalog.reload', () => {
  it('hands the new rule set the event kinds the running one has seen, built before the swap', async () => {
    const directory = ruleDirectory();
    const catalog = new RuleCatalog({ paths: () => [directory], attack: () => undefined });
    await catalog.reload();
    expect(catalog.ruleSet?.sigma.bucketKeys()).toEqual([]);
    expect(catalog.detector.detect([{ id: 'e1', event: processEvent }], Date.now()).alerts).toHaveLength(1);
    const seen = catalog.ruleSet?.sigma.bucketKeys();
    expect(seen).toEqual([{ channel: 'Security', eventId: '4688' }]);

    const before = catalog.ruleSet;
    await catalog.reload();
    expect(catalog.ruleSet).not.toBe(before);
    // No event has reached the new set yet, and its bucket is ready.
    expect(catalog.ruleSet?.sigma.bucketKeys()).toEqual(seen);
    expect(catalog.detector.detect([{ id: 'e1', event: processEvent }], Date.now()).alerts).toHaveLength(1);
  });
});
