import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { storeContract } from '../store-contract.ts';
import { DuckDbStore } from './duckdb-store.ts';

async function temporaryDatabase(): Promise<{ path: string; cleanup(): Promise<void> }> {
  const directory = await mkdtemp(join(tmpdir(), 'vigil-duckdb-'));
  return { path: join(directory, 'vigil.duckdb'), cleanup: () => rm(directory, { recursive: true, force: true }) };
}

describe('DuckDbStore in memory', () => {
  storeContract({ open: () => DuckDbStore.open(':memory:') });
});

describe('DuckDbStore on a file', () => {
  const cleanups: (() => Promise<void>)[] = [];
  storeContract({
    open: async () => {
      const database = await temporaryDatabase();
      const store = await DuckDbStore.open(database.path);
      const close = store.close.bind(store);
      // Remove the file once the suite closes the store.
      return Object.assign(store, {
        close: async () => {
          await close();
          await database.cleanup();
        },
      });
    },
    persistent: async () => {
      const database = await temporaryDatabase();
      cleanups.push(database.cleanup);
      return { open: () => DuckDbStore.open(database.path), cleanup: database.cleanup };
    },
  });
});

describe('DuckDbStore hot columns', () => {
  it('keeps every string exactly, short (inlined) or long, ASCII or not, in plain and list columns', async () => {
    const store = await DuckDbStore.open(':memory:');
    try {
      const names = [
        'a',
        'twelve-chars',
        'thirteen-char',
        'é',
        'café-中文',
        'nul\u0000inside',
        'x'.repeat(200),
        '🙂',
        'tab\there',
      ];
      // More events than one data chunk (2,048 rows), so chunk boundaries are crossed too.
      const events = Array.from({ length: 2106 }, (_, index) => ({
        id: `H${String(index).padStart(5, '0')}`,
        event: {
          '@timestamp': new Date(1795330800000 + index).toISOString(),
          unit: 'finance',
          host: { name: names[index % names.length]! },
          // The next column at the same row holds a different string, longer or shorter.
          user: { name: names[(index + 1) % names.length]! },
          tags: [names[index % names.length]!, names[(index + 1) % names.length]!],
          source: { ip: index % 2 ? '10.0.0.1' : '2001:db8::1', port: index % 3 ? 443 : '8080' },
        },
      }));
      await store.appendEvents(events);
      const scope = { kind: 'all' } as const;
      const hosts = await store.topValues(scope, { query: '' }, 'host.name', 100);
      expect(new Set(hosts.map((entry) => entry.value))).toEqual(new Set(names));
      expect(hosts.map((entry) => entry.count)).toEqual(names.map(() => 2106 / names.length));
      const users = await store.topValues(scope, { query: '' }, 'user.name', 100);
      expect(users.map((entry) => entry.count)).toEqual(names.map(() => 2106 / names.length));
      const tags = await store.topValues(scope, { query: '' }, 'tags', 100);
      expect(new Set(tags.map((entry) => entry.value))).toEqual(new Set(names));
      expect(tags.reduce((sum, entry) => sum + entry.count, 0)).toBe(4212);
      const ports = await store.topValues(scope, { query: '' }, 'source.port', 10);
      expect(ports).toEqual([
        { value: 443, count: 1404 },
        { value: 8080, count: 702 },
      ]);
      expect((await store.searchEvents(scope, { query: 'source.ip:10.0.0.0/8', limit: 1 })).total).toBe(1053);
      expect((await store.searchEvents(scope, { query: 'source.ip:"2001:db8::1"', limit: 1 })).total).toBe(1053);
      const page = await store.searchEvents(scope, { query: 'host.name:"café-中文"', limit: 1 });
      expect(page.total).toBe(2106 / names.length);
      expect(page.events[0]!.event).toMatchObject({ host: { name: 'café-中文' } });
    } finally {
      await store.close();
    }
  });
});

describe('DuckDbStore durability', () => {
  it('creates the data folder when it does not exist yet', async () => {
    const database = await temporaryDatabase();
    try {
      const store = await DuckDbStore.open(join(database.path, 'nested', 'events.duckdb'));
      await store.putUnit({ id: 'hr', name: 'HR' });
      expect(await store.listUnits()).toEqual([{ id: 'hr', name: 'HR' }]);
      await store.close();
    } finally {
      await database.cleanup();
    }
  });

  it('keeps an acknowledged batch when the process is killed before close()', async () => {
    const database = await temporaryDatabase();
    try {
      const storeModule = fileURLToPath(new URL('./duckdb-store.ts', import.meta.url));
      // The child acknowledges a batch, then dies by SIGKILL: no close, no checkpoint.
      const script = `
        const { DuckDbStore } = await import(${JSON.stringify(storeModule)});
        const store = await DuckDbStore.open(${JSON.stringify(database.path)});
        const events = Array.from({ length: 500 }, (_, index) => ({
          id: 'K' + String(index).padStart(4, '0'),
          event: { '@timestamp': new Date(1795330800000 + index).toISOString(), unit: 'finance', message: 'acked ' + index },
        }));
        await store.appendEvents(events);
        process.kill(process.pid, 'SIGKILL');
      `;
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
      expect(child.signal, child.stderr).toBe('SIGKILL');
      const store = await DuckDbStore.open(database.path);
      try {
        const page = await store.searchEvents({ kind: 'units', units: ['finance'] }, { query: 'acked', limit: 1 });
        expect(page.total).toBe(500);
      } finally {
        await store.close();
      }
    } finally {
      await database.cleanup();
    }
  });
});
