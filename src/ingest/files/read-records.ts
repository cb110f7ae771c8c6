// The file source: reads log files and folders (NDJSON, JSON documents, plain lines, .gz, .zip)
// as batches of RawRecords. Used by `vigil parse`, `vigil ingest` and `vigil hunt`; memory stays
// bounded by the batch size, the line limit and (for JSON documents and zip entries) a size cap.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { unzipSync } from 'fflate';
import type { JsonObject, RawRecord, RecordSource } from '../../model/event.ts';
import { decodeObject } from '../../parse/parser-registry.ts';
import { classifyName, type InputFile, listInputFiles, type SkippedFile } from './input-files.ts';
import { LineSplitter } from './line-splitter.ts';

export type { InputFile, SkippedFile } from './input-files.ts';

/** A line or document that could not become a record; reading goes on after it. */
export interface ReadFailure {
  readonly path: string;
  /** 1-based line (or element) number; 0 when the whole file is concerned. */
  readonly line: number;
  readonly reason: string;
}

export interface ReadRecordsOptions {
  /** Unit the records are bound to (default "default"). */
  readonly unit?: string;
  /** Format name given to the parser registry as each record's hint. */
  readonly formatHint?: string;
  /** Time zone for timestamps without one (IANA name or "+05:00"). */
  readonly timezone?: string;
  /** Records per yielded batch (default 1000). */
  readonly batchSize?: number;
  /** Longest line kept, in bytes (default 1 MiB); longer lines become failures. */
  readonly maxLineBytes?: number;
  /** Largest `.json` file or zip entry read as a whole document (default 256 MiB); larger ones are read as lines. */
  readonly maxDocumentBytes?: number;
  /** Decode lines that look like JSON objects once here, into `record.json` (default true). */
  readonly decodeJson?: boolean;
  /** Stops reading between batches. */
  readonly signal?: AbortSignal;
  /** Stream read for the path "-" (default process.stdin). */
  readonly stdin?: NodeJS.ReadableStream;
  /** A path that is not read: missing, unreadable, unknown extension inside a folder, bad archive. */
  readonly onSkip?: (skipped: SkippedFile) => void;
  /** A line or document that could not become a record (too long, invalid JSON document, truncated gzip). */
  readonly onFailure?: (failure: ReadFailure) => void;
  /** A file is about to be read. */
  readonly onFile?: (file: InputFile) => void;
  /** Bytes of input consumed (on disk, i.e. compressed for .gz/.zip), for progress and ETA. */
  readonly onBytes?: (bytes: number) => void;
}

export const readRecordsDefaults = {
  unit: 'default',
  batchSize: 1000,
  maxLineBytes: 1024 * 1024,
  maxDocumentBytes: 256 * 1024 * 1024,
} as const;

/** Keys under which a JSON document commonly carries its list of events (CloudTrail uses Records). */
const documentArrayKeys = ['events', 'Records', 'records'] as const;

/**
 * Read files and folders as batches of raw records.
 *
 * - Folders are walked recursively; files with unknown extensions inside them are skipped and
 *   reported through `onSkip` (a file named explicitly is always read, as lines if unknown).
 * - `.jsonl`, `.ndjson`, `.log`, `.txt` (and rotated `x.log.1`): one record per non-empty line.
 * - `.json`: an array, or an object with an `events`/`Records` array, gives one record per
 *   element (`source.line` is then the element's 1-based position); any other object is one
 *   record; a file that is not one JSON document is read as NDJSON lines.
 * - `.gz` is gunzipped while streaming; `.zip` (e.g. OTRF datasets) reads each entry as a file
 *   named `archive.zip!entry`.
 * - Records carry `source.kind 'file'`, `source.name` and `source.path` (the file) and
 *   `source.line` (1-based). Lines that look like JSON objects are decoded into `record.json`.
 * - Bad input never throws: over-long lines, invalid documents and corrupt archives are
 *   reported through `onFailure`/`onSkip` and reading continues with the next line or file.
 */
export async function* readRecords(
  paths: readonly string[],
  options: ReadRecordsOptions = {},
): AsyncGenerator<RawRecord[], void, undefined> {
  const files = await listInputFiles(paths, options.onSkip);
  yield* readInputFiles(files, options);
}

/** Like readRecords, for files already listed with listInputFiles (e.g. to know total bytes first). */
export async function* readInputFiles(
  files: readonly InputFile[],
  options: ReadRecordsOptions = {},
): AsyncGenerator<RawRecord[], void, undefined> {
  const reader = new BatchReader(options);
  for (const file of files) {
    if (options.signal?.aborted) return;
    options.onFile?.(file);
    try {
      if (file.container === 'zip') yield* reader.readZip(file);
      else if (file.layout === 'json' && file.size <= reader.maxDocumentBytes && file.path !== '-') {
        yield* reader.readJsonFile(file);
      } else yield* reader.readStream(file);
    } catch (error) {
      options.onSkip?.({
        path: file.path,
        code: 'unreadable',
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
  const rest = reader.take();
  if (rest.length > 0) yield rest;
}

/** Accumulates records across files into batches of batchSize. */
class BatchReader {
  readonly maxDocumentBytes: number;
  readonly #options: ReadRecordsOptions;
  readonly #unit: string;
  readonly #batchSize: number;
  readonly #maxLineBytes: number;
  readonly #decodeJson: boolean;
  #batch: RawRecord[] = [];

  constructor(options: ReadRecordsOptions) {
    this.#options = options;
    this.#unit = options.unit ?? readRecordsDefaults.unit;
    this.#batchSize = Math.max(1, options.batchSize ?? readRecordsDefaults.batchSize);
    this.#maxLineBytes = Math.max(1, options.maxLineBytes ?? readRecordsDefaults.maxLineBytes);
    this.maxDocumentBytes = options.maxDocumentBytes ?? readRecordsDefaults.maxDocumentBytes;
    this.#decodeJson = options.decodeJson ?? true;
  }

  take(): RawRecord[] {
    const batch = this.#batch;
    this.#batch = [];
    return batch;
  }

  /** Yield full batches of exactly batchSize; a remainder stays for the next file. */
  *drain(): Generator<RawRecord[]> {
    if (this.#batch.length === this.#batchSize) {
      yield this.take();
      return;
    }
    let start = 0;
    while (this.#batch.length - start >= this.#batchSize) {
      yield this.#batch.slice(start, start + this.#batchSize);
      start += this.#batchSize;
    }
    this.#batch = this.#batch.slice(start);
  }

  get #full(): boolean {
    return this.#batch.length >= this.#batchSize;
  }

  #fail(path: string, line: number, reason: string): void {
    this.#options.onFailure?.({ path, line, reason });
  }

  /** A line splitter that appends records for `path` to the current batch. */
  #splitter(path: string): LineSplitter {
    const source = (line: number): RecordSource => ({ kind: 'file', name: path, path, line });
    const receivedAt = Date.now();
    return new LineSplitter(
      this.#maxLineBytes,
      (text, line) => {
        if (text.length === 0 || isBlank(text)) return;
        this.#batch.push(this.#record(text, this.#decodeJson ? decodeLine(text) : undefined, source(line), receivedAt));
      },
      (line, bytes) =>
        this.#fail(path, line, `line longer than ${this.#maxLineBytes} bytes (${bytes}+ bytes), skipped`),
    );
  }

  #record(text: string, json: JsonObject | undefined, source: RecordSource, receivedAt: number): RawRecord {
    const options = this.#options;
    const record: {
      -readonly [K in keyof RawRecord]: RawRecord[K];
    } = { text, source, unit: this.#unit, receivedAt };
    if (json) record.json = json;
    if (options.formatHint) record.formatHint = options.formatHint;
    if (options.timezone) record.timezone = options.timezone;
    return record;
  }

  async *readStream(file: InputFile): AsyncGenerator<RawRecord[]> {
    const onBytes = this.#options.onBytes;
    let input: NodeJS.ReadableStream;
    if (file.path === '-') {
      input = this.#options.stdin ?? process.stdin;
    } else {
      const stream = createReadStream(file.path, { highWaterMark: 1024 * 1024 });
      if (onBytes) stream.on('data', (chunk) => onBytes(chunk.length));
      input = stream;
    }
    if (file.container === 'gzip') input = input.pipe(createGunzip());
    const splitter = this.#splitter(file.path);
    try {
      for await (const chunk of input) {
        splitter.push(chunk as Buffer);
        if (this.#full) {
          yield* this.drain();
          if (this.#options.signal?.aborted) return;
        }
      }
    } catch (error) {
      // A truncated or corrupt gzip: keep what was read, report where it stopped.
      this.#fail(
        file.path,
        splitter.lines + 1,
        `read error: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    splitter.end();
    if (this.#full) yield* this.drain();
  }

  async *readJsonFile(file: InputFile): AsyncGenerator<RawRecord[]> {
    let bytes: Buffer;
    if (file.container === 'gzip') {
      // Decompressed size is unknown up front: stream it as lines unless it fits the document cap.
      bytes = await readGunzipped(file.path, this.maxDocumentBytes);
      if (bytes.length > this.maxDocumentBytes) {
        yield* this.readStream(file);
        return;
      }
    } else {
      bytes = await readWhole(file.path);
    }
    this.#options.onBytes?.(file.size);
    yield* this.#readBuffer(file.path, bytes, 'json');
  }

  async *readZip(file: InputFile): AsyncGenerator<RawRecord[]> {
    const archive = await readWhole(file.path);
    this.#options.onBytes?.(file.size);
    const entries: { name: string; layout: InputFile['layout'] }[] = [];
    try {
      // A first pass with a filter that keeps nothing lists the entries without inflating them.
      unzipSync(archive, {
        filter: (entry) => {
          if (entry.name.endsWith('/')) return false;
          const kind = classifyName(entry.name);
          if (kind?.container !== 'plain') {
            this.#options.onSkip?.({
              path: `${file.path}!${entry.name}`,
              code: 'unknown-extension',
              reason: 'unsupported entry type in zip',
            });
          } else if (entry.originalSize > this.maxDocumentBytes) {
            this.#options.onSkip?.({
              path: `${file.path}!${entry.name}`,
              code: 'too-large',
              reason: `zip entry larger than ${this.maxDocumentBytes} bytes`,
            });
          } else entries.push({ name: entry.name, layout: kind.layout });
          return false;
        },
      });
    } catch (error) {
      this.#options.onSkip?.({ path: file.path, code: 'invalid', reason: `invalid zip: ${errorMessage(error)}` });
      return;
    }
    for (const entry of entries) {
      let content: Uint8Array | undefined;
      try {
        // One entry inflated at a time keeps memory to the largest entry, not the archive.
        content = unzipSync(archive, { filter: (candidate) => candidate.name === entry.name })[entry.name];
      } catch (error) {
        this.#options.onSkip?.({
          path: `${file.path}!${entry.name}`,
          code: 'invalid',
          reason: `invalid zip entry: ${errorMessage(error)}`,
        });
        continue;
      }
      if (!content) continue;
      yield* this.#readBuffer(
        `${file.path}!${entry.name}`,
        Buffer.from(content.buffer, content.byteOffset, content.byteLength),
        entry.layout,
      );
    }
  }

  /** Records from an in-memory file: a JSON document when it is one, lines otherwise. */
  *#readBuffer(path: string, bytes: Buffer, layout: InputFile['layout']): Generator<RawRecord[]> {
    if (layout === 'json') {
      const document = decodeDocument(bytes);
      if (document.kind === 'elements') {
        const receivedAt = Date.now();
        const elements = document.elements;
        for (let index = 0; index < elements.length; index++) {
          const element = elements[index];
          const source: RecordSource = { kind: 'file', name: path, path, line: index + 1 };
          if (typeof element === 'string') this.#batch.push(this.#record(element, undefined, source, receivedAt));
          else if (isObject(element))
            this.#batch.push(this.#record(JSON.stringify(element), element, source, receivedAt));
          else this.#batch.push(this.#record(JSON.stringify(element) ?? 'null', undefined, source, receivedAt));
          if (this.#full) yield* this.drain();
        }
        return;
      }
      if (document.kind === 'invalid') {
        this.#fail(path, 0, document.reason);
        return;
      }
    }
    const splitter = this.#splitter(path);
    const step = 1024 * 1024;
    for (let start = 0; start < bytes.length; start += step) {
      splitter.push(bytes.subarray(start, Math.min(bytes.length, start + step)));
      if (this.#full) yield* this.drain();
    }
    splitter.end();
    if (this.#full) yield* this.drain();
  }
}

type DecodedDocument =
  | { kind: 'elements'; elements: unknown[] }
  | { kind: 'lines' }
  | { kind: 'invalid'; reason: string };

/** Decide whether a `.json` file is one document (array / wrapper / object) or NDJSON. */
function decodeDocument(bytes: Buffer): DecodedDocument {
  let start = 0;
  while (
    start < bytes.length &&
    (bytes[start] === 32 || bytes[start] === 9 || bytes[start] === 10 || bytes[start] === 13)
  ) {
    start++;
  }
  if (bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf) start += 3;
  const first = bytes[start];
  if (first !== 0x5b /* [ */ && first !== 0x7b /* { */) return { kind: 'lines' };
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8', start));
  } catch (error) {
    // An object that is not a whole document is most likely NDJSON (one object per line).
    if (first === 0x7b) return { kind: 'lines' };
    return { kind: 'invalid', reason: `invalid JSON document: ${errorMessage(error)}` };
  }
  if (Array.isArray(value)) return { kind: 'elements', elements: value };
  if (isObject(value)) {
    for (const key of documentArrayKeys) {
      const inner = value[key];
      if (Array.isArray(inner)) return { kind: 'elements', elements: inner };
    }
    return { kind: 'elements', elements: [value] };
  }
  return { kind: 'lines' };
}

function decodeLine(text: string): JsonObject | undefined {
  return decodeObject(text) as JsonObject | undefined;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isBlank(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code !== 32 && code !== 9 && code !== 13) return false;
  }
  return true;
}

async function readWhole(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Gunzip a file into memory, stopping once more than `limit` bytes came out. */
async function readGunzipped(path: string, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  const stream = createReadStream(path).pipe(createGunzip());
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    total += (chunk as Buffer).length;
    if (total > limit) {
      stream.destroy();
      break;
    }
  }
  return Buffer.concat(chunks, total);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
