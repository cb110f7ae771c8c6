// Decodes a Splunk HEC /event body: JSON objects concatenated or separated by whitespace, each an
// envelope with `event` plus optional `time`, `host`, `source`, `sourcetype`, `index`, `fields`.
// Envelopes become RawRecords; the first malformed one is reported by its 0-based number, as HEC does.
import type { JsonObject, JsonValue, RawRecord, RecordSource } from '../../../model/event.ts';

export type HecProblem = 'invalid-format' | 'event-required' | 'event-blank';

export interface HecDecoded {
  readonly records: RawRecord[];
  /** Set when an envelope is malformed: records holds only the envelopes before it. */
  readonly problem?: { readonly kind: HecProblem; readonly eventNumber: number };
}

export interface HecRecordOptions {
  readonly source: RecordSource;
  readonly unit: string;
  readonly receivedAt: number;
  /** `?sourcetype=` etc. from the query string, used when an envelope has none. */
  readonly defaults: { readonly sourcetype?: string; readonly host?: string; readonly source?: string };
}

/** End index (exclusive) of the JSON object starting at `start`, or -1 if it never closes. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let index = start; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 92 /* \ */) index++;
      else if (code === 34 /* " */) inString = false;
    } else if (code === 34) inString = true;
    else if (code === 123 /* { */ || code === 91 /* [ */) depth++;
    else if (code === 125 /* } */ || code === 93 /* ] */) {
      depth--;
      if (depth === 0) return index + 1;
    }
  }
  return -1;
}

/** HEC `time`: epoch seconds (number or numeric string, fractional allowed) → epoch ms. */
export function hecTime(value: JsonValue | undefined): number | undefined {
  const seconds = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
  return Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : undefined;
}

function stringOf(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function labelsOf(envelope: JsonObject, defaultSource: string | undefined): Record<string, string> | undefined {
  let labels: Record<string, string> | undefined;
  const fields = envelope['fields'];
  if (fields && typeof fields === 'object' && !Array.isArray(fields)) {
    for (const [name, value] of Object.entries(fields)) {
      labels ??= {};
      labels[name] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  const source = stringOf(envelope['source']) ?? defaultSource;
  if (source !== undefined) {
    labels ??= {};
    labels['hec_source'] = source;
  }
  const index = stringOf(envelope['index']);
  if (index !== undefined) {
    labels ??= {};
    labels['hec_index'] = index;
  }
  return labels;
}

export function decodeHecEvents(body: string, options: HecRecordOptions): HecDecoded {
  const records: RawRecord[] = [];
  let position = 0;
  let eventNumber = 0;
  const length = body.length;
  for (;;) {
    while (position < length && body.charCodeAt(position) <= 32) position++;
    if (position >= length) return { records };
    const problem = (kind: HecProblem): HecDecoded => ({ records, problem: { kind, eventNumber } });
    if (body.charCodeAt(position) !== 123) return problem('invalid-format');
    const end = objectEnd(body, position);
    if (end < 0) return problem('invalid-format');
    let envelope: JsonObject;
    try {
      envelope = JSON.parse(body.slice(position, end)) as JsonObject;
    } catch {
      return problem('invalid-format');
    }
    position = end;
    const event = envelope['event'];
    if (event === undefined || event === null) return problem('event-required');
    if (event === '' || (typeof event === 'string' && event.trim() === '')) return problem('event-blank');
    const isObject = typeof event === 'object' && !Array.isArray(event);
    const sourcetype = stringOf(envelope['sourcetype']) ?? options.defaults.sourcetype;
    const labels = labelsOf(envelope, options.defaults.source);
    records.push({
      text: typeof event === 'string' ? event : JSON.stringify(event),
      json: isObject ? (event as JsonObject) : undefined,
      source: options.source,
      unit: options.unit,
      receivedAt: options.receivedAt,
      formatHint: sourcetype,
      time: hecTime(envelope['time']),
      host: stringOf(envelope['host']) ?? options.defaults.host,
      labels,
    });
    eventNumber++;
  }
}
