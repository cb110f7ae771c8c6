// Holds the parsers of one process and picks one per record: by name (`--format`, HEC
// sourcetype) or by auto-detection (each parser's sniff, most specific first). The format
// last detected for a source is tried first, since a source rarely changes format.
import type { EcsEvent, ParseFailure, RawRecord } from '../model/event.ts';
import { type Parser, parseFailure } from './parser.ts';

export type ParseResult = EcsEvent | EcsEvent[] | ParseFailure;

const maxStickySources = 10_000;

export class ParserRegistry {
  readonly #parsers: readonly Parser[];
  readonly #byFormat = new Map<string, Parser>();
  readonly #aliases = new Map<string, string>();
  readonly #lastBySource = new Map<string, Parser>();

  constructor(parsers: readonly Parser[], aliases: Record<string, string> = {}) {
    this.#parsers = parsers;
    for (const parser of parsers) {
      if (this.#byFormat.has(parser.format)) throw new Error(`duplicate parser format '${parser.format}'`);
      this.#byFormat.set(parser.format, parser);
    }
    for (const [alias, format] of Object.entries(aliases)) this.#aliases.set(alias.toLowerCase(), format);
  }

  get formats(): readonly Parser[] {
    return this.#parsers;
  }

  /** The parser for a format name or alias (HEC sourcetypes like "suricata" or "WinEventLog"). */
  get(format: string): Parser | undefined {
    return this.#byFormat.get(format) ?? this.#byFormat.get(this.#aliases.get(format.toLowerCase()) ?? '');
  }

  /** Detect the format of a record; undefined when no parser recognises it. */
  detect(record: RawRecord): Parser | undefined {
    const json = record.json ?? decodeObject(record.text);
    const sourceKey = `${record.source.kind}\u0000${record.source.name}`;
    const last = this.#lastBySource.get(sourceKey);
    if (last?.sniff?.(record.text, json)) return last;
    for (const parser of this.#parsers) {
      if (parser !== last && parser.sniff?.(record.text, json)) {
        if (this.#lastBySource.size >= maxStickySources) this.#lastBySource.clear();
        this.#lastBySource.set(sourceKey, parser);
        return parser;
      }
    }
    return undefined;
  }

  /** Parse with a named format, the record's format hint, or auto-detection. Never throws. */
  parse(record: RawRecord, format = 'auto'): ParseResult {
    let parser: Parser | undefined;
    const wanted = format !== 'auto' ? format : record.formatHint;
    if (wanted && wanted !== 'auto') {
      parser = this.get(wanted);
      if (!parser && format !== 'auto') return parseFailure(record, format, `unknown format '${format}'`);
    }
    parser ??= this.detect(record);
    if (!parser) return parseFailure(record, 'auto', 'no parser recognised this record');
    try {
      return parser.parse(record);
    } catch (error) {
      // A parser bug must not kill the batch: the record becomes a dead letter with the reason.
      return parseFailure(
        record,
        parser.format,
        `parser error: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

/** Decode text as a JSON object if it looks like one; undefined otherwise. Never throws. */
export function decodeObject(text: string): Record<string, unknown> | undefined {
  let start = 0;
  while (start < text.length && (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 9)) start++;
  if (text.charCodeAt(start) !== 123 /* { */) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
