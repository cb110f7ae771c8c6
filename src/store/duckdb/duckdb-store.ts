// The embedded Store on DuckDB: typed hot columns plus the full JSON document per event,
// batched writes through the Appender inside one transaction, and unit-scoped reads.
//
// Durability: appendEvents resolves after COMMIT. DuckDB writes a commit to its write-ahead log
// (`<file>.wal`) and syncs it before COMMIT returns, so an acknowledged batch survives a process
// crash and is replayed on the next open; the WAL is folded into the main file by a checkpoint
// (automatic once the WAL passes `checkpoint_threshold`, which we raise to 256 MB, and on close()).
// ':memory:' databases keep nothing. Without a primary key on events (it would slow appends),
// a batch retried after an ambiguous failure can be stored twice; reads de-duplicate by id where
// they look ids up.
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import {
  type DuckDBAppender,
  type DuckDBConnection,
  type DuckDBDataChunk,
  DuckDBInstance,
  DuckDBTimestampValue,
} from '@duckdb/node-api';
import type { DeadLetter, EcsEvent, JsonObject } from '../../model/event.ts';
import type { EventPage, EventSearch, FieldValueCount, StoredEvent } from '../../model/query.ts';
import type { ApiKey, Asset, Unit, UnitScope } from '../../model/unit.ts';
import { newEventId } from '../event-id.ts';
import { hotField } from '../query/field-catalog.ts';
import { isValidFieldName } from '../query/query-ast.ts';
import { parseQuery } from '../query/query-parser.ts';
import { QuerySyntaxError } from '../query/query-syntax-error.ts';
import { compileCondition, documentPath } from '../query/sql-generator.ts';
import type { DeadLetterPage, EventToStore, RetentionResult, Store } from '../store.ts';
import { DuckDbParameters, duckDbDialect, jsonPath } from './duckdb-dialect.ts';
import { EventChunkWriter, eventsTableSql } from './event-chunk-writer.ts';

/** Counting stops here: beyond it the total is reported as a lower bound (totalIsExact false). */
const totalCap = 100_000;
const maxPageSize = 10_000;
const readConnections = 3;

type SearchFilter = Omit<EventSearch, 'limit' | 'cursor' | 'order'>;

const schema = [
  eventsTableSql(),
  `CREATE TABLE IF NOT EXISTS dead_letters (id VARCHAR NOT NULL, unit VARCHAR NOT NULL, received TIMESTAMP NOT NULL,
    source_kind VARCHAR, source_name VARCHAR, format VARCHAR, reason VARCHAR, original VARCHAR)`,
  'CREATE TABLE IF NOT EXISTS units (id VARCHAR PRIMARY KEY, doc VARCHAR NOT NULL)',
  'CREATE TABLE IF NOT EXISTS assets (id VARCHAR PRIMARY KEY, unit VARCHAR NOT NULL, doc VARCHAR NOT NULL)',
  `CREATE TABLE IF NOT EXISTS api_keys (id VARCHAR PRIMARY KEY, unit VARCHAR NOT NULL, secret_hash VARCHAR NOT NULL,
    doc VARCHAR NOT NULL)`,
];

function appendTimestamp(appender: DuckDBAppender, ms: number): void {
  appender.appendTimestamp(new DuckDBTimestampValue(BigInt(Math.trunc(ms)) * 1000n));
}

/** A chunk writer typed by the events table as it is on disk (the Appender reports its columns). */
async function eventChunkWriter(connection: DuckDBConnection): Promise<EventChunkWriter> {
  const appender = await connection.createAppender('events');
  try {
    const types = [];
    for (let index = 0; index < appender.columnCount; index++) types.push(appender.columnType(index));
    return new EventChunkWriter(types);
  } finally {
    appender.closeSync();
  }
}

function restoreEvent(doc: string, original: string | null): EcsEvent {
  const event = JSON.parse(doc) as EcsEvent;
  if (original !== null) {
    const inner = event.event && typeof event.event === 'object' ? event.event : {};
    event.event = { ...inner, original } as JsonObject;
  }
  return event;
}

function encodeCursor(ms: number, id: string): string {
  return Buffer.from(JSON.stringify([ms, id])).toString('base64url');
}

function decodeCursor(cursor: string): { ms: number; id: string } {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'string') {
      return { ms: value[0], id: value[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new QuerySyntaxError('Invalid cursor: use the nextCursor of a previous page', 0);
}

function scopeCondition(scope: UnitScope, parameters: DuckDbParameters): string {
  if (scope.kind === 'all') return 'TRUE';
  if (scope.units.length === 0) return 'FALSE';
  return `unit IN (${scope.units.map((unit) => parameters.add(unit)).join(', ')})`;
}

function toNumber(value: unknown): number {
  return typeof value === 'bigint' ? Number(value) : Number(value);
}

export interface DuckDbStoreOptions {
  /**
   * DuckDB worker threads (default: one per core). Scans of large searches are faster with more.
   */
  readonly threads?: number;
  /** DuckDB memory limit, e.g. '2GB' (default: 80% of RAM). */
  readonly memoryLimit?: string;
  /** WAL size that triggers a checkpoint (default '256MB'). */
  readonly checkpointThreshold?: string;
}

export class DuckDbStore implements Store {
  readonly #instance: DuckDBInstance;
  readonly #writer: DuckDBConnection;
  readonly #readers: DuckDBConnection[];
  #nextReader = 0;
  /** Writes run one at a time, in call order. */
  #writes: Promise<unknown> = Promise.resolve();
  #closed = false;
  readonly #chunkWriter: EventChunkWriter;

  private constructor(
    instance: DuckDBInstance,
    writer: DuckDBConnection,
    readers: DuckDBConnection[],
    chunkWriter: EventChunkWriter,
  ) {
    this.#instance = instance;
    this.#writer = writer;
    this.#readers = readers;
    this.#chunkWriter = chunkWriter;
  }

  /** Opens (creating if needed) a database file, or ':memory:'. */
  static async open(path: string, options: DuckDbStoreOptions = {}): Promise<DuckDbStore> {
    const config: Record<string, string> = {};
    if (options.threads !== undefined) config['threads'] = String(Math.max(1, Math.trunc(options.threads)));
    if (options.memoryLimit !== undefined) config['memory_limit'] = options.memoryLimit;
    // Each checkpoint recompresses the open row group; checkpointing every 16 MB of WAL (the
    // default) rewrote it many times over and tripled the write cost. Recovery replays at most this much.
    config['checkpoint_threshold'] = options.checkpointThreshold ?? '256MB';
    if (!path.startsWith(':memory:')) await mkdir(dirname(resolve(path)), { recursive: true });
    const instance = await DuckDBInstance.create(path, config);
    const writer = await instance.connect();
    for (const statement of schema) await writer.run(statement);
    const chunkWriter = await eventChunkWriter(writer);
    const readers: DuckDBConnection[] = [];
    for (let index = 0; index < readConnections; index++) readers.push(await instance.connect());
    return new DuckDbStore(instance, writer, readers, chunkWriter);
  }

  #write<T>(work: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('The store is closed'));
    const result = this.#writes.then(work);
    this.#writes = result.catch(() => undefined);
    return result;
  }

  async #read(sql: string, values: readonly (string | number)[]): Promise<Record<string, unknown>[]> {
    if (this.#closed) throw new Error('The store is closed');
    const connection = this.#readers[this.#nextReader++ % this.#readers.length]!;
    const reader = await connection.runAndReadAll(sql, values as (string | number)[]);
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  }

  async #transaction(work: () => Promise<void>): Promise<void> {
    await this.#writer.run('BEGIN TRANSACTION');
    try {
      await work();
      await this.#writer.run('COMMIT');
    } catch (error) {
      await this.#writer.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  appendEvents(events: readonly EventToStore[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    if (this.#closed) return Promise.reject(new Error('The store is closed'));
    // Chunks are filled before joining the write queue, so JavaScript work on one batch overlaps
    // DuckDB committing the previous one when callers keep several batches in flight.
    let chunks: DuckDBDataChunk[];
    try {
      chunks = this.#chunkWriter.chunks(events, Date.now());
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#write(() =>
      this.#transaction(async () => {
        const appender = await this.#writer.createAppender('events');
        try {
          for (let index = 0; index < chunks.length; index++) appender.appendDataChunk(chunks[index]!);
        } finally {
          // Flushes into the transaction; COMMIT (off the JavaScript thread) makes it durable.
          appender.closeSync();
        }
      }),
    );
  }

  appendDeadLetters(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return Promise.resolve();
    return this.#write(() =>
      this.#transaction(async () => {
        const appender = await this.#writer.createAppender('dead_letters');
        try {
          for (const letter of letters) {
            appender.appendVarchar(letter.id ?? newEventId(letter.receivedAt));
            appender.appendVarchar(letter.unit);
            appendTimestamp(appender, letter.receivedAt);
            appender.appendVarchar(letter.sourceKind);
            appender.appendVarchar(letter.sourceName);
            appender.appendVarchar(letter.format);
            appender.appendVarchar(letter.reason);
            appender.appendVarchar(letter.original);
            appender.endRow();
          }
        } finally {
          appender.closeSync();
        }
      }),
    );
  }

  /** Unit scope, time range and query as one condition. */
  #filter(scope: UnitScope, search: SearchFilter, parameters: DuckDbParameters, now: number): string {
    const node = parseQuery(search.query ?? '');
    const parts = [scopeCondition(scope, parameters)];
    if (search.from !== undefined) parts.push(`ts >= ${duckDbDialect.time(search.from, parameters)}`);
    if (search.to !== undefined) parts.push(`ts < ${duckDbDialect.time(search.to, parameters)}`);
    if (node.kind !== 'all') parts.push(compileCondition(node, duckDbDialect, parameters, { now }));
    return parts.join(' AND ');
  }

  async searchEvents(scope: UnitScope, search: EventSearch): Promise<EventPage> {
    const now = Date.now();
    const limit = Math.max(1, Math.min(maxPageSize, Math.trunc(search.limit) || 1));
    const descending = search.order !== 'asc';
    const pageParameters = new DuckDbParameters();
    let where = this.#filter(scope, search, pageParameters, now);
    if (search.cursor) {
      const cursor = decodeCursor(search.cursor);
      const time = duckDbDialect.time(cursor.ms, pageParameters);
      const id = pageParameters.add(cursor.id);
      const comparison = descending ? '<' : '>';
      where += ` AND (ts ${comparison} ${time} OR (ts = ${time} AND id ${comparison} ${id}))`;
    }
    const direction = descending ? 'DESC' : 'ASC';
    const limitParameter = pageParameters.add(limit + 1);
    const pageSql =
      `SELECT id, epoch_ms(ts) AS ms, doc, event_original FROM events WHERE ${where} ` +
      `ORDER BY ts ${direction}, id ${direction} LIMIT ${limitParameter}`;
    const countParameters = new DuckDbParameters();
    const countWhere = this.#filter(scope, search, countParameters, now);
    const countSql = `SELECT count(*) AS total FROM (SELECT 1 FROM events WHERE ${countWhere} LIMIT ${countParameters.add(totalCap + 1)})`;
    const [rows, counted] = await Promise.all([
      this.#read(pageSql, pageParameters.values),
      this.#read(countSql, countParameters.values),
    ]);
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const events: StoredEvent[] = page.map((row) => ({
      id: row['id'] as string,
      event: restoreEvent(row['doc'] as string, (row['event_original'] as string | null) ?? null),
    }));
    const total = toNumber(counted[0]?.['total'] ?? 0);
    const last = page[page.length - 1];
    return {
      events,
      total: Math.min(total, totalCap),
      totalIsExact: total <= totalCap,
      ...(more && last ? { nextCursor: encodeCursor(toNumber(last['ms']), last['id'] as string) } : {}),
    };
  }

  async topValues(scope: UnitScope, search: SearchFilter, field: string, limit: number): Promise<FieldValueCount[]> {
    if (!isValidFieldName(field)) throw new QuerySyntaxError(`Invalid field name "${field}"`, 0);
    const parameters = new DuckDbParameters();
    const where = this.#filter(scope, search, parameters, Date.now());
    const hot = hotField(field);
    let source: string;
    if (!hot) {
      const scalar = parameters.add(jsonPath(documentPath(field)));
      const elements = parameters.add(`${jsonPath(documentPath(field))}[*]`);
      source =
        `SELECT unnest(CASE WHEN json_type(doc, ${scalar}) = 'ARRAY' THEN json_extract_string(doc, ${elements}) ` +
        `ELSE [json_extract_string(doc, ${scalar})] END) AS value FROM events WHERE ${where}`;
    } else if (hot.kind === 'keyword-list') {
      source = `SELECT unnest(${hot.column}) AS value FROM events WHERE ${where}`;
    } else if (hot.kind === 'time') {
      source = `SELECT epoch_ms(${hot.column}) AS value FROM events WHERE ${where}`;
    } else {
      source = `SELECT ${hot.column} AS value FROM events WHERE ${where}`;
    }
    const count = Math.max(1, Math.min(1000, Math.trunc(limit) || 1));
    const rows = await this.#read(
      `SELECT value, count(*) AS count FROM (${source}) WHERE value IS NOT NULL ` +
        `GROUP BY value ORDER BY count DESC, value LIMIT ${parameters.add(count)}`,
      parameters.values,
    );
    return rows.map((row) => {
      const value = row['value'];
      return {
        value: typeof value === 'bigint' ? Number(value) : (value as string | number | boolean),
        count: toNumber(row['count']),
      };
    });
  }

  async histogram(
    scope: UnitScope,
    search: SearchFilter,
    bucketMs: number,
  ): Promise<{ start: number; count: number }[]> {
    const bucket = Math.max(1, Math.trunc(bucketMs));
    const parameters = new DuckDbParameters();
    const where = this.#filter(scope, search, parameters, Date.now());
    const size = parameters.add(bucket);
    const rows = await this.#read(
      `SELECT (epoch_ms(ts) // ${size}::BIGINT) * ${size}::BIGINT AS start, count(*) AS count FROM events ` +
        `WHERE ${where} GROUP BY 1 ORDER BY 1`,
      parameters.values,
    );
    return rows.map((row) => ({ start: toNumber(row['start']), count: toNumber(row['count']) }));
  }

  async getEvents(scope: UnitScope, ids: readonly string[]): Promise<EventToStore[]> {
    if (ids.length === 0) return [];
    const parameters = new DuckDbParameters();
    const where = scopeCondition(scope, parameters);
    const list = ids.map((id) => parameters.add(id)).join(', ');
    const rows = await this.#read(
      `SELECT id, doc, event_original FROM events WHERE ${where} AND id IN (${list})`,
      parameters.values,
    );
    const byId = new Map<string, EventToStore>();
    for (const row of rows) {
      const id = row['id'] as string;
      if (!byId.has(id)) {
        byId.set(id, {
          id,
          event: restoreEvent(row['doc'] as string, (row['event_original'] as string | null) ?? null),
        });
      }
    }
    const result: EventToStore[] = [];
    for (const id of new Set(ids)) {
      const found = byId.get(id);
      if (found) result.push(found);
    }
    return result;
  }

  async listDeadLetters(scope: UnitScope, options: { limit: number; cursor?: string }): Promise<DeadLetterPage> {
    const limit = Math.max(1, Math.min(maxPageSize, Math.trunc(options.limit) || 1));
    const parameters = new DuckDbParameters();
    let where = scopeCondition(scope, parameters);
    if (options.cursor) {
      const cursor = decodeCursor(options.cursor);
      const time = duckDbDialect.time(cursor.ms, parameters);
      where += ` AND (received < ${time} OR (received = ${time} AND id < ${parameters.add(cursor.id)}))`;
    }
    const rows = await this.#read(
      `SELECT id, unit, epoch_ms(received) AS ms, source_kind, source_name, format, reason, original FROM dead_letters ` +
        `WHERE ${where} ORDER BY received DESC, id DESC LIMIT ${parameters.add(limit + 1)}`,
      parameters.values,
    );
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const letters: DeadLetter[] = page.map((row) => ({
      id: row['id'] as string,
      unit: row['unit'] as string,
      receivedAt: toNumber(row['ms']),
      sourceKind: row['source_kind'] as string,
      sourceName: row['source_name'] as string,
      format: row['format'] as string,
      reason: row['reason'] as string,
      original: row['original'] as string,
    }));
    const last = letters[letters.length - 1];
    return { letters, ...(more && last ? { nextCursor: encodeCursor(last.receivedAt, last.id!) } : {}) };
  }

  async countDeadLetters(scope: UnitScope): Promise<number> {
    const parameters = new DuckDbParameters();
    const rows = await this.#read(
      `SELECT count(*) AS total FROM dead_letters WHERE ${scopeCondition(scope, parameters)}`,
      parameters.values,
    );
    return toNumber(rows[0]?.['total'] ?? 0);
  }

  deleteOlderThan(cutoff: number): Promise<RetentionResult> {
    return this.#write(async () => {
      let result: RetentionResult = { events: 0, deadLetters: 0 };
      await this.#transaction(async () => {
        const parameters = new DuckDbParameters();
        const time = duckDbDialect.time(cutoff, parameters);
        const events = await this.#writer.run(`DELETE FROM events WHERE received < ${time}`, parameters.values);
        const letters = await this.#writer.run(`DELETE FROM dead_letters WHERE received < ${time}`, parameters.values);
        result = { events: toNumber(events.rowsChanged), deadLetters: toNumber(letters.rowsChanged) };
      });
      return result;
    });
  }

  putUnit(unit: Unit): Promise<void> {
    return this.#write(async () => {
      await this.#writer.run('INSERT OR REPLACE INTO units (id, doc) VALUES ($1, $2)', [unit.id, JSON.stringify(unit)]);
    });
  }

  async listUnits(): Promise<Unit[]> {
    const rows = await this.#read('SELECT doc FROM units ORDER BY id', []);
    return rows.map((row) => JSON.parse(row['doc'] as string) as Unit);
  }

  putAsset(asset: Asset): Promise<void> {
    return this.#write(async () => {
      await this.#writer.run('INSERT OR REPLACE INTO assets (id, unit, doc) VALUES ($1, $2, $3)', [
        asset.id,
        asset.unit,
        JSON.stringify(asset),
      ]);
    });
  }

  async listAssets(scope: UnitScope): Promise<Asset[]> {
    const parameters = new DuckDbParameters();
    const rows = await this.#read(
      `SELECT doc FROM assets WHERE ${scopeCondition(scope, parameters)} ORDER BY id`,
      parameters.values,
    );
    return rows.map((row) => JSON.parse(row['doc'] as string) as Asset);
  }

  putApiKey(key: ApiKey, secretHash: string): Promise<void> {
    return this.#write(async () => {
      await this.#writer.run('INSERT OR REPLACE INTO api_keys (id, unit, secret_hash, doc) VALUES ($1, $2, $3, $4)', [
        key.id,
        key.unit,
        secretHash,
        JSON.stringify(key),
      ]);
    });
  }

  async findApiKeyBySecretHash(secretHash: string): Promise<ApiKey | undefined> {
    const rows = await this.#read('SELECT doc FROM api_keys WHERE secret_hash = $1 LIMIT 1', [secretHash]);
    return rows[0] ? (JSON.parse(rows[0]['doc'] as string) as ApiKey) : undefined;
  }

  async listApiKeys(scope: UnitScope): Promise<ApiKey[]> {
    const parameters = new DuckDbParameters();
    const rows = await this.#read(
      `SELECT doc FROM api_keys WHERE ${scopeCondition(scope, parameters)} ORDER BY id`,
      parameters.values,
    );
    return rows.map((row) => JSON.parse(row['doc'] as string) as ApiKey);
  }

  deleteApiKey(id: string): Promise<boolean> {
    return this.#write(async () => {
      const result = await this.#writer.run('DELETE FROM api_keys WHERE id = $1', [id]);
      return toNumber(result.rowsChanged) > 0;
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    // Let queued writes commit, fold the WAL into the file, then release everything.
    this.#closed = true;
    await this.#writes;
    await this.#writer.run('CHECKPOINT').catch(() => undefined);
    for (const reader of this.#readers) reader.closeSync();
    this.#writer.closeSync();
    this.#instance.closeSync();
  }
}
