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
