// Opens the embedded DuckDB store under the data directory. Imported lazily so the CLI (help,
// parse, hunt) keeps working in a build or checkout where the DuckDB store is absent.
import { mkdir } from 'node:fs/promises';
import { databasePath, type VigilConfig } from '../config/config.ts';
import type { Store } from '../store/store.ts';

interface DuckDbStoreModule {
  readonly DuckDbStore: { open(path: string): Promise<Store> };
}

/** Module paths tried in order (relative to this file). */
const candidates = ['../store/duckdb/duckdb-store.ts', '../store/duckdb/duck-db-store.ts'];

export class StoreUnavailableError extends Error {}

/** The database file is locked by another process (usually a running `vigil serve`). */
export class StoreInUseError extends StoreUnavailableError {}

export async function openStore(config: Pick<VigilConfig, 'dataDir'>): Promise<Store> {
  let module: DuckDbStoreModule | undefined;
  for (const candidate of candidates) {
    try {
      module = (await import(candidate)) as DuckDbStoreModule;
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ERR_MODULE_NOT_FOUND' || !String(error).includes(candidate.split('/').pop()!)) throw error;
    }
  }
  if (!module?.DuckDbStore) {
    throw new StoreUnavailableError('the embedded DuckDB store (src/store/duckdb) is not available in this build');
  }
  await mkdir(config.dataDir, { recursive: true });
  try {
    return await module.DuckDbStore.open(databasePath(config));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/lock/i.test(message)) {
      throw new StoreInUseError(
        `the store in ${config.dataDir} is in use by another process (is 'vigil serve' running there?): ${message.split('\n')[0]}`,
      );
    }
    throw error;
  }
}
