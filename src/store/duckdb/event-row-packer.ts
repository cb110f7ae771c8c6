// Fast path for event writes: each event's hot values travel as ONE separator-joined string
// (plus the document) through the Appender into a staging table, and one INSERT … SELECT per
// batch splits them into typed columns inside DuckDB. Per-value Appender calls cost about a
// microsecond each through N-API; with ~35 columns that alone capped writes near 40k events/s.
import type { EcsEvent } from '../../model/event.ts';
import { type FieldKind, type HotField, hotFields } from '../query/field-catalog.ts';
import { parseIpValue } from '../query/query-values.ts';

const fieldSeparator = '\x1f';
const listSeparator = '\x1d';
/** Characters that would break the packing; hot copies get a space instead (the document keeps the truth). */
const separators = /[\x1c-\x1f]/;
const separatorsGlobal = /[\x1c-\x1f]/g;

export const columnTypes: Record<FieldKind, string> = {
  keyword: 'VARCHAR',
  'keyword-list': 'VARCHAR[]',
  text: 'VARCHAR',
  ip: 'VARCHAR',
  number: 'DOUBLE',
  time: 'TIMESTAMP',
};

/** Hot columns after id, unit, ts and received, in table order. */
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

/**
 * One staged row holds a whole batch: events separated by U+001E, so the Appender is called once
 * per batch. Recreated empty for every batch (deleted rows would pile up in a temp table).
 */
export const stagingTableSql = 'CREATE OR REPLACE TEMP TABLE events_incoming (batch VARCHAR)';

const recordSeparator = '\x1e';

/** Moves the staged batch into `events`, typing each packed value. */
export function insertFromStagingSql(): string {
  const targets = ['id', 'unit', 'ts', 'received', 'event_original'];
  const values = ['f[1]', 'f[2]', 'epoch_ms(CAST(f[3] AS BIGINT))', 'epoch_ms(CAST(f[4] AS BIGINT))'];
  let index = 5;
  for (const hot of packedHotFields) {
    const part = `nullif(f[${index++}], '')`;
    targets.push(hot.column);
    switch (hot.kind) {
      case 'keyword-list':
        values.push(`string_split(${part}, chr(29))`);
        break;
      case 'number':
        values.push(`TRY_CAST(${part} AS DOUBLE)`);
        break;
      case 'time':
        values.push(`epoch_ms(TRY_CAST(${part} AS BIGINT))`);
        break;
      case 'ip':
        values.push(part);
        targets.push(`${hot.column}_number`);
        values.push(`TRY_CAST(nullif(f[${index++}], '') AS UHUGEINT)`);
        break;
      default:
        values.push(part);
    }
  }
  // event.original: '' none, 'r' + raw text, 'j' + JSON string when the text holds separators.
  const original = `f[${index}]`;
  values.splice(
    4,
    0,
    `CASE left(${original}, 1) WHEN 'r' THEN substr(${original}, 2) ` +
      `WHEN 'j' THEN json_extract_string(substr(${original}, 2), '$') END`,
  );
  targets.push('doc');
  values.push(`f[${index + 1}]`);
  return (
    `INSERT INTO events (${targets.join(', ')}) SELECT ${values.join(', ')} FROM (` +
    'SELECT string_split(line, chr(31)) AS f FROM (' +
    'SELECT unnest(string_split(batch, chr(30))) AS line FROM temp.main.events_incoming))'
  );
}

function valueAt(event: EcsEvent, path: readonly string[]): unknown {
  let value: unknown = event;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function clean(text: string): string {
  return separators.test(text) ? text.replace(separatorsGlobal, ' ') : text;
}

function scalarText(value: unknown): string {
  if (typeof value === 'string') return clean(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.length > 0) return scalarText(value[0]);
  return '';
}

/** The packed hot values of one event, in `packedHotFields` order after id, unit, ts, received. */
export function packHotValues(id: string, event: EcsEvent, ts: number, received: number): string {
  let packed = `${clean(id)}${fieldSeparator}${clean(String(event.unit ?? ''))}${fieldSeparator}${ts}${fieldSeparator}${received}`;
  for (const hot of packedHotFields) {
    const value = valueAt(event, hot.path);
    packed += fieldSeparator;
    switch (hot.kind) {
      case 'keyword':
      case 'text':
        packed += scalarText(value);
        break;
      case 'keyword-list':
        if (Array.isArray(value)) {
          let first = true;
          for (const item of value) {
            const text = scalarText(item);
            if (!text) continue;
            if (!first) packed += listSeparator;
            packed += text;
            first = false;
          }
        } else packed += scalarText(value);
        break;
      case 'number':
        if (typeof value === 'number' && Number.isFinite(value)) packed += value;
        else if (typeof value === 'string') packed += clean(value);
        break;
      case 'time':
        if (typeof value === 'string') {
          const ms = Date.parse(value);
          if (!Number.isNaN(ms)) packed += ms;
        }
        break;
      case 'ip': {
        const text = scalarText(value);
        packed += text;
        packed += fieldSeparator;
        if (text) packed += parseIpValue(text)?.toString() ?? '';
        break;
      }
    }
  }
  return packed;
}

/** The staged form of one event: packed hot values, event.original, then the document. */
export function packEvent(hot: string, original: string | undefined, document: string): string {
  let text = hot + fieldSeparator;
  if (original !== undefined) text += separators.test(original) ? 'j' + JSON.stringify(original) : 'r' + original;
  // JSON.stringify escapes every control character, so a document never holds a separator.
  return text + fieldSeparator + document;
}

/** Joins staged events into the one value the Appender writes per batch. */
export function packBatch(events: readonly string[]): string {
  return events.join(recordSeparator);
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
