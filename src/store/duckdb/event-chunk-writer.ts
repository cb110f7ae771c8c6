// Turns events into DuckDB data chunks for the events table, column by column, so one write is
// a handful of Appender calls (`appendDataChunk` per 2,048 rows) instead of one N-API call per
// value: numbers, times and nulls go into typed arrays copied once per column, and only non-null
// strings cost a call each. Chunks are filled before a write joins the store's write queue, so this
// JavaScript work overlaps DuckDB committing the previous batch.
import { createRequire } from 'node:module';
import { endianness } from 'node:os';
import { DuckDBDataChunk, type DuckDBType } from '@duckdb/node-api';
import type * as Bindings from '@duckdb/node-bindings';
import type { EcsEvent } from '../../model/event.ts';
import { type FieldKind, type HotField, hotFields } from '../query/field-catalog.ts';
import { parseIpValue, parseIpv4 } from '../query/query-values.ts';

// The raw bindings are the ones @duckdb/node-api itself loaded (its own dependency), so data
// chunks made through the API can be filled vector by vector.
const duckdb = createRequire(createRequire(import.meta.url).resolve('@duckdb/node-api'))(
  '@duckdb/node-bindings',
) as typeof Bindings;

if (endianness() !== 'LE') throw new Error('The DuckDB event writer assumes a little-endian machine');

export const columnTypes: Record<FieldKind, string> = {
  keyword: 'VARCHAR',
  'keyword-list': 'VARCHAR[]',
  text: 'VARCHAR',
  ip: 'VARCHAR',
  number: 'DOUBLE',
  time: 'TIMESTAMP',
};

/** Hot columns after id, unit, ts, received and event_original, in table order. */
export const packedHotFields: readonly HotField[] = hotFields.filter(
  (hot) => hot.column !== 'unit' && hot.column !== 'ts' && hot.column !== 'event_original',
);

export function eventsTableSql(): string {
  const columns = [
    'id VARCHAR NOT NULL',
    'unit VARCHAR NOT NULL',
    'ts TIMESTAMP NOT NULL',
    'received TIMESTAMP NOT NULL',
    'event_original VARCHAR',
  ];
  for (const hot of packedHotFields) {
    columns.push(`${hot.column} ${columnTypes[hot.kind]}`);
    if (hot.kind === 'ip') columns.push(`${hot.column}_number UHUGEINT`);
  }
  columns.push('doc VARCHAR NOT NULL');
  return `CREATE TABLE IF NOT EXISTS events (${columns.join(', ')})`;
}

/** How a column is filled; one per events-table column, in table order. */
type ColumnKind = 'string' | 'list' | 'double' | 'timestamp' | 'uhugeint';

interface ColumnPlan {
  readonly kind: ColumnKind;
  /** The hot field the value comes from (absent for id, unit, ts, received, event_original, doc). */
  readonly hot?: HotField;
  /** The path of the object holding the value, and the value's key in it. */
  readonly parentPath?: readonly string[];
  readonly leaf?: string;
  /** The previous hot field has the same parent (`event.kind` after `event.code`): it is looked up once. */
  sameParent?: boolean;
}

function columnPlan(): ColumnPlan[] {
  const plan: ColumnPlan[] = [
    { kind: 'string' }, // id
    { kind: 'string' }, // unit
    { kind: 'timestamp' }, // ts
    { kind: 'timestamp' }, // received
    { kind: 'string' }, // event_original
  ];
  for (const hot of packedHotFields) {
    switch (hot.kind) {
      case 'keyword-list':
        plan.push({ kind: 'list', hot });
        break;
      case 'number':
        plan.push({ kind: 'double', hot });
        break;
      case 'time':
        plan.push({ kind: 'timestamp', hot });
        break;
      case 'ip':
        plan.push({ kind: 'string', hot });
        plan.push({ kind: 'uhugeint', hot });
        break;
      default:
        plan.push({ kind: 'string', hot });
    }
  }
  plan.push({ kind: 'string' }); // doc
  let previous: string | undefined;
  for (const column of plan) {
    if (!column.hot || column.kind === 'uhugeint') continue;
    const path = column.hot.path;
    Object.assign(column, { parentPath: path.slice(0, -1), leaf: path[path.length - 1] });
    const key = path.slice(0, -1).join('.');
    column.sameParent = key === previous;
    previous = key;
  }
  return plan;
}

const plan = columnPlan();
const columnCount = plan.length;
const idColumn = 0;
const unitColumn = 1;
const tsColumn = 2;
const receivedColumn = 3;
const originalColumn = 4;
const docColumn = columnCount - 1;

/** Rows per data chunk: DuckDB's vector size (2,048). */
export const rowsPerChunk = duckdb.vector_size();

/**
 * Per-column scratch space reused for every chunk: 8 or 16 bytes per row for fixed-size values,
 * a validity bit per row, and the strings of list columns (written to the child vector at the end).
 */
class ColumnBuffer {
  readonly words: Uint32Array;
  readonly doubles: Float64Array;
  readonly validity = new Uint8Array(Math.ceil(rowsPerChunk / 64) * 8);
  hasNull = false;
  /** String columns: each row's text, written to the vector when the chunk is complete. */
  readonly texts: (string | undefined)[] = [];
  listItems: string[] = [];

  constructor(bytesPerRow: number) {
    const buffer = new ArrayBuffer(bytesPerRow * rowsPerChunk);
    this.words = new Uint32Array(buffer);
    this.doubles = new Float64Array(buffer, 0, bytesPerRow === 0 ? 0 : (bytesPerRow * rowsPerChunk) / 8);
  }

  reset(): void {
    this.validity.fill(0xff);
    this.hasNull = false;
    this.texts.length = 0;
    this.listItems = [];
  }

  setNull(row: number): void {
    this.validity[row >> 3]! &= ~(1 << (row & 7));
    this.hasNull = true;
  }
}

function bytesPerRow(kind: ColumnKind): number {
  switch (kind) {
    case 'double':
    case 'timestamp':
      return 8;
    case 'list':
    case 'uhugeint':
      return 16;
    default:
      return 0;
  }
}

function valueAt(event: EcsEvent, path: readonly string[]): unknown {
  let value: unknown = event;
  for (let index = 0; index < path.length; index++) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[path[index]!];
  }
  return value;
}

/** The text a keyword/text/ip column keeps: strings as they are, numbers and booleans as text, an array's first value. */
function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.length > 0) return scalarText(value[0]);
  return '';
}

const numberText = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?\s*$/i;

/** A number column's value: finite numbers, and numeric text ("443"); anything else is NULL. */
function numberValue(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && numberText.test(value)) {
    const number = Number(value);
    return Number.isFinite(number) ? number : undefined;
  }
  return undefined;
}

const twoTo32 = 4294967296;

/** An int64 (whole number within ±2^53) as two little-endian 32-bit words. */
function setInt64(words: Uint32Array, index: number, value: number): void {
  const high = Math.floor(value / twoTo32);
  words[index] = value - high * twoTo32;
  words[index + 1] = high;
}

/** Writes an IP address's 128-bit number (IPv4 in ::ffff:0:0/96); false when the text is not an address. */
function setIpNumber(words: Uint32Array, index: number, text: string): boolean {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) {
    words[index] = v4;
    words[index + 1] = 0xffff;
    words[index + 2] = 0;
    words[index + 3] = 0;
    return true;
  }
  const value = parseIpValue(text);
  if (value === undefined) return false;
  words[index] = Number(value & 0xffffffffn);
  words[index + 1] = Number((value >> 32n) & 0xffffffffn);
  words[index + 2] = Number((value >> 64n) & 0xffffffffn);
  words[index + 3] = Number((value >> 96n) & 0xffffffffn);
  return true;
}

/** DuckDB keeps strings of up to 12 bytes inside the 16-byte string_t itself (duckdb.h). */
const inlineLimit = 12;
const stringBytes = 16;
let scratch = new Uint8Array(stringBytes * rowsPerChunk);
let scratchWords = new Uint32Array(scratch.buffer);
let inlineFlags = new Uint8Array(rowsPerChunk);

/**
 * Writes `count` strings (undefined = NULL, left to the validity mask) into a VARCHAR vector.
 * Short ASCII strings are laid out as inlined string_t values in a scratch buffer copied with one
 * call; only longer or non-ASCII ones cost an N-API call each (DuckDB copies them into the
 * vector's string heap). The copy comes first because it overwrites every row's string_t.
 */
function writeStrings(vector: Bindings.Vector, texts: readonly (string | undefined)[], count: number): void {
  if (scratch.length < count * stringBytes) {
    scratch = new Uint8Array(count * stringBytes);
    scratchWords = new Uint32Array(scratch.buffer);
    inlineFlags = new Uint8Array(count);
  }
  const bytes = scratch;
  bytes.fill(0, 0, count * stringBytes);
  let inlined = 0;
  let long = 0;
  for (let row = 0; row < count; row++) {
    const text = texts[row];
    inlineFlags[row] = 0;
    if (text === undefined) continue;
    const length = text.length;
    if (length <= inlineLimit) {
      const base = row * stringBytes + 4;
      let index = 0;
      for (; index < length; index++) {
        const code = text.charCodeAt(index);
        if (code > 0x7f) break;
        bytes[base + index] = code;
      }
      if (index === length) {
        scratchWords[row * 4] = length;
        inlineFlags[row] = 1;
        inlined++;
        continue;
      }
      bytes.fill(0, base, base + inlineLimit);
    }
    long++;
  }
  if (inlined > 0) duckdb.copy_data_to_vector(vector, 0, bytes.buffer as ArrayBuffer, 0, count * stringBytes);
  if (long === 0) return;
  for (let row = 0; row < count; row++) {
    const text = texts[row];
    if (text !== undefined && inlineFlags[row] === 0) duckdb.vector_assign_string_element(vector, row, text);
  }
}

/** `event.original` when it is text: it is stored in its own column, not in the document. */
export function originalOf(event: EcsEvent): string | undefined {
  const inner = event.event;
  if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
    const original = inner['original'];
    if (typeof original === 'string') return original;
  }
  return undefined;
}

/**
 * The document as stored: `event.original` lives only in its own column. It is hidden for the
 * synchronous stringify (undefined properties are skipped) rather than copying the event, which
 * cost more than the stringify itself; nothing else runs in between to see the change.
 */
function documentText(event: EcsEvent, original: string | undefined): string {
  const inner = event.event;
  if (original === undefined || !inner) return JSON.stringify(event);
  (inner as Record<string, unknown>)['original'] = undefined;
  try {
    return JSON.stringify(event);
  } finally {
    inner['original'] = original;
  }
}

export interface EventRow {
  readonly id: string;
  readonly event: EcsEvent;
}

/** Fills data chunks for the events table; one instance per store (not reentrant). */
export class EventChunkWriter {
  readonly #types: readonly DuckDBType[];
  readonly #buffers: ColumnBuffer[];

  /** `types`: the events table's column types, as the Appender reports them. */
  constructor(types: readonly DuckDBType[]) {
    if (types.length !== columnCount) {
      throw new Error(`The events table has ${types.length} columns, the writer expects ${columnCount}`);
    }
    this.#types = types;
    this.#buffers = plan.map((column) => new ColumnBuffer(bytesPerRow(column.kind)));
  }

  /** Data chunks holding `rows`, received at `received` (epoch ms); ready for appendDataChunk. */
  chunks(rows: readonly EventRow[], received: number): DuckDBDataChunk[] {
    const chunks: DuckDBDataChunk[] = [];
    for (let start = 0; start < rows.length; start += rowsPerChunk) {
      chunks.push(this.#chunk(rows, start, Math.min(rows.length, start + rowsPerChunk), received));
    }
    return chunks;
  }

  #chunk(rows: readonly EventRow[], start: number, end: number, received: number): DuckDBDataChunk {
    const count = end - start;
    const chunk = DuckDBDataChunk.create(this.#types, count);
    const vectors: Bindings.Vector[] = new Array(columnCount);
    for (let column = 0; column < columnCount; column++) {
      vectors[column] = duckdb.data_chunk_get_vector(chunk.chunk, column);
      this.#buffers[column]!.reset();
    }
    const buffers = this.#buffers;
    for (let row = 0; row < count; row++) {
      const { id, event } = rows[start + row]!;
      // id, event.original and the document are never short: written at once, so the document
      // text dies young instead of surviving garbage collections until the chunk is complete.
      duckdb.vector_assign_string_element(vectors[idColumn]!, row, id);
      buffers[unitColumn]!.texts[row] = String(event.unit ?? '');
      const timestamp = event['@timestamp'];
      const time = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
      setInt64(buffers[tsColumn]!.words, row * 2, (Number.isNaN(time) ? received : time) * 1000);
      setInt64(buffers[receivedColumn]!.words, row * 2, received * 1000);
      const original = originalOf(event);
      if (original === undefined) buffers[originalColumn]!.setNull(row);
      else duckdb.vector_assign_string_element(vectors[originalColumn]!, row, original);

      let parent: unknown;
      for (let column = originalColumn + 1; column < docColumn; column++) {
        const { kind, hot, parentPath, leaf, sameParent } = plan[column]!;
        const buffer = buffers[column]!;
        if (!sameParent) parent = valueAt(event, parentPath!);
        const value =
          parent !== null && typeof parent === 'object' ? (parent as Record<string, unknown>)[leaf!] : undefined;
        switch (kind) {
          case 'string': {
            const text = scalarText(value);
            if (text === '') {
              buffer.setNull(row);
              buffer.texts[row] = undefined;
            } else buffer.texts[row] = text;
            if (hot!.kind === 'ip') {
              // The next column is this address as a number.
              const numbers = buffers[++column]!;
              if (text === '' || !setIpNumber(numbers.words, row * 4, text)) numbers.setNull(row);
            }
            break;
          }
          case 'double': {
            const number = numberValue(value);
            if (number === undefined) buffer.setNull(row);
            else buffer.doubles[row] = number;
            break;
          }
          case 'timestamp': {
            const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
            if (Number.isNaN(ms)) buffer.setNull(row);
            else setInt64(buffer.words, row * 2, ms * 1000);
            break;
          }
          case 'list': {
            const items = buffer.listItems;
            const offset = items.length;
            if (Array.isArray(value)) {
              for (let index = 0; index < value.length; index++) {
                const text = scalarText(value[index]);
                if (text !== '') items.push(text);
              }
            } else {
              const text = scalarText(value);
              if (text !== '') items.push(text);
            }
            // A NULL row still gets a valid (empty) entry.
            setInt64(buffer.words, row * 4, offset);
            setInt64(buffer.words, row * 4 + 2, items.length - offset);
            if (items.length === offset) buffer.setNull(row);
            break;
          }
          case 'uhugeint':
            // Filled with its ip column above.
            break;
        }
      }
      duckdb.vector_assign_string_element(vectors[docColumn]!, row, documentText(event, original));
    }

    for (let column = 0; column < columnCount; column++) {
      const { kind } = plan[column]!;
      const buffer = buffers[column]!;
      const vector = vectors[column]!;
      if (kind === 'string' && column !== idColumn && column !== originalColumn && column !== docColumn) {
        writeStrings(vector, buffer.texts, count);
      } else if (kind === 'list') {
        const items = buffer.listItems;
        duckdb.list_vector_reserve(vector, items.length);
        duckdb.list_vector_set_size(vector, items.length);
        writeStrings(duckdb.list_vector_get_child(vector), items, items.length);
      }
      const size = bytesPerRow(kind) * count;
      if (size > 0) duckdb.copy_data_to_vector(vector, 0, buffer.words.buffer as ArrayBuffer, 0, size);
      if (buffer.hasNull) {
        duckdb.vector_ensure_validity_writable(vector);
        duckdb.copy_data_to_vector_validity(vector, 0, buffer.validity.buffer, 0, Math.ceil(count / 64) * 8);
      }
    }
    return chunk;
  }
}
