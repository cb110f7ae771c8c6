// Splits a newline-delimited body into RawRecords: one per non-blank line, JSON objects decoded
// once (shared with the parsers' sniffers), invalid JSON kept as text so a text parser may take it
// or the pipeline dead-letters it. Keeps each record's 1-based line number for error reports.
import type { JsonObject, RawRecord, RecordSource } from '../../model/event.ts';

export interface LineRecords {
  readonly records: RawRecord[];
  /** 1-based line number of each record. */
  readonly lines: number[];
}

export interface LineRecordOptions {
  readonly source: RecordSource;
  readonly unit: string;
  readonly receivedAt: number;
  readonly formatHint?: string;
  readonly time?: number;
  readonly host?: string;
  /** Decode lines that look like JSON objects (NDJSON); raw HEC keeps text only. */
  readonly decodeJson: boolean;
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let index = start; index < end; index++) if (text.charCodeAt(index) > 32) return false;
  return true;
}

export function decodeJsonObject(line: string): JsonObject | undefined {
  let start = 0;
  while (start < line.length && line.charCodeAt(start) <= 32) start++;
  if (line.charCodeAt(start) !== 123 /* { */) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

export function splitLineRecords(body: string, options: LineRecordOptions): LineRecords {
  const records: RawRecord[] = [];
  const lines: number[] = [];
  let start = body.charCodeAt(0) === 0xfeff ? 1 : 0;
  let lineNumber = 0;
  while (start <= body.length) {
    let end = body.indexOf('\n', start);
    if (end < 0) end = body.length;
    lineNumber++;
    let lineEnd = end;
    if (lineEnd > start && body.charCodeAt(lineEnd - 1) === 13 /* \r */) lineEnd--;
    if (!isBlank(body, start, lineEnd)) {
      const text = body.slice(start, lineEnd);
      // One literal with the same shape for every record (absent fields are undefined).
      records.push({
        text,
        json: options.decodeJson ? decodeJsonObject(text) : undefined,
        source: options.source,
        unit: options.unit,
        receivedAt: options.receivedAt,
        formatHint: options.formatHint,
        time: options.time,
        host: options.host,
      });
      lines.push(lineNumber);
    }
    start = end + 1;
  }
  return { records, lines };
}

/**
 * A body that is one JSON array of objects (what many HTTP clients send as application/json)
 * becomes one record per element, numbered from 1 like lines. Undefined when it is not one.
 */
export function splitArrayRecords(body: string, options: LineRecordOptions): LineRecords | undefined {
  let start = 0;
  while (start < body.length && body.charCodeAt(start) <= 32) start++;
  if (body.charCodeAt(start) !== 91 /* [ */) return undefined;
  let values: unknown;
  try {
    values = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!Array.isArray(values)) return undefined;
  const records: RawRecord[] = [];
  const lines: number[] = [];
  for (let index = 0; index < values.length; index++) {
    const value: unknown = values[index];
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    records.push({
      text: typeof value === 'string' ? value : JSON.stringify(value),
      json: isObject ? (value as JsonObject) : undefined,
      source: options.source,
      unit: options.unit,
      receivedAt: options.receivedAt,
      formatHint: options.formatHint,
      time: options.time,
      host: options.host,
    });
    lines.push(index + 1);
  }
  return { records, lines };
}
