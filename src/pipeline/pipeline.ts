// The in-process pipeline: parse → enrich → event hooks (detection) → store, behind RecordSink.
// Concurrent submits are coalesced into store writes of bounded size/age; each submit resolves
// only once its own events and dead letters are committed, and a byte budget bounds memory.

import type { Enricher } from '../enrich/enricher.ts';
import type { DeadLetter, EcsEvent, JsonObject, RawRecord } from '../model/event.ts';
import { isParseFailure } from '../parse/parser.ts';
import type { ParseResult, ParserRegistry } from '../parse/parser-registry.ts';
import { newEventId } from '../store/event-id.ts';
import type { EventToStore, Store } from '../store/store.ts';
import type { EventHook } from './event-hook.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import {
  OverloadedError,
  type RecordError,
  type RecordSink,
  type SubmitOptions,
  type SubmitResult,
} from './record-sink.ts';
import { type SourceCounter, SourceHealth } from './source-health.ts';
import { StoreWriteError } from './store-write-error.ts';

export interface PipelineOptions {
  readonly registry: ParserRegistry;
  readonly store: Store;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly enrichers?: readonly Enricher[];
  readonly hooks?: readonly EventHook[];
  /** Largest number of events in one store write (default 2000). */
  readonly batchMaxEvents?: number;
  /** Longest time a submitted record waits for more records to share its write (default 10 ms). */
  readonly batchMaxWaitMs?: number;
  /** Budget of record text held between submit and commit (default 64 MiB); beyond it submit rejects. */
  readonly maxInFlightBytes?: number;
  /** Dead letters keep at most this many characters of the original record (default 64 KiB). */
  readonly deadLetterMaxBytes?: number;
  /** Retry-After suggested to callers when overloaded (default 1 s). */
  readonly retryAfterSeconds?: number;
  /**
   * Store writes in flight at once (default 2): the next batch's JavaScript work (hooks, the
   * store's row preparation) runs while the previous one commits. Each submit still resolves only
   * after all of its own events are committed.
   */
  readonly maxConcurrentWrites?: number;
  /** Ingest health per source and unit (GET /api/v1/sources); default a new one with default thresholds. */
  readonly sourceHealth?: SourceHealth;
}

export const pipelineDefaults = {
  batchMaxEvents: 2000,
  batchMaxWaitMs: 10,
  maxInFlightBytes: 64 * 1024 * 1024,
  deadLetterMaxBytes: 64 * 1024,
  retryAfterSeconds: 1,
  maxConcurrentWrites: 2,
} as const;

/** What one source contributed to a submit, so its health counts what was stored or lost. */
interface SourceShare {
  readonly counter: SourceCounter;
  records: number;
  events: number;
  letters: number;
}

/** One submit() call waiting for its events to be committed. */
interface Pending {
  /** Events not yet handed to a write (emptied once all are taken, so they can be collected early). */
  events: EventToStore[];
  /** How many events the submit produced. */
  readonly count: number;
  readonly letters: DeadLetter[];
  readonly sources: readonly SourceShare[];
  readonly result: SubmitResult;
  readonly bytes: number;
  readonly resolve: (result: SubmitResult) => void;
  readonly reject: (error: unknown) => void;
  /** Events already handed to a write. */
  offset: number;
  lettersTaken: boolean;
  writesInFlight: number;
  settled: boolean;
}

interface Parsed {
  readonly events: EventToStore[];
  readonly letters: DeadLetter[];
  readonly errors: RecordError[];
  readonly sources: SourceShare[];
}

/** Records parsed between two yields to the event loop. */
const parseSliceRecords = 1000;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const noEvents: EventToStore[] = [];

const emptyResult: SubmitResult = Object.freeze({ stored: 0, failed: 0, errors: Object.freeze([]) });

export class Pipeline implements RecordSink {
  readonly #registry: ParserRegistry;
  readonly #store: Store;
  readonly #metrics: Metrics;
  readonly #log: Logger;
  #enrichers: readonly Enricher[];
  readonly #hooks: readonly EventHook[];
  readonly #batchMaxEvents: number;
  readonly #batchMaxWaitMs: number;
  readonly #maxInFlightBytes: number;
  readonly #deadLetterMaxBytes: number;
  readonly #retryAfterSeconds: number;
  readonly #maxConcurrentWrites: number;
  readonly #sourceHealth: SourceHealth;

  #queue: Pending[] = [];
  #queueHead = 0;
  #queuedEvents = 0;
  #inFlightBytes = 0;
  #timer: NodeJS.Timeout | undefined;
  #due = false;
  readonly #writes = new Set<Promise<void>>();
  #closing = false;
  /** Submits still parsing (close waits for them). */
  readonly #parsing = new Set<Promise<Parsed>>();
  /** One-entry cache: ISO text of the last receivedAt seen with a transport time (HEC). */
  #receivedAtValue = -1;
  #receivedAtIso = '';

  constructor(options: PipelineOptions) {
    this.#registry = options.registry;
    this.#store = options.store;
    this.#metrics = options.metrics;
    this.#log = options.log;
    this.#enrichers = options.enrichers ?? [];
    this.#hooks = options.hooks ?? [];
    this.#batchMaxEvents = Math.max(1, options.batchMaxEvents ?? pipelineDefaults.batchMaxEvents);
    this.#batchMaxWaitMs = Math.max(0, options.batchMaxWaitMs ?? pipelineDefaults.batchMaxWaitMs);
    this.#maxInFlightBytes = Math.max(1, options.maxInFlightBytes ?? pipelineDefaults.maxInFlightBytes);
    this.#deadLetterMaxBytes = Math.max(256, options.deadLetterMaxBytes ?? pipelineDefaults.deadLetterMaxBytes);
    this.#retryAfterSeconds = options.retryAfterSeconds ?? pipelineDefaults.retryAfterSeconds;
    this.#maxConcurrentWrites = Math.max(1, options.maxConcurrentWrites ?? pipelineDefaults.maxConcurrentWrites);
    this.#sourceHealth = options.sourceHealth ?? new SourceHealth();
    this.#metrics.set('vigil_pipeline_queue_events', {}, 0, 'Events parsed and waiting for a store write');
    this.#metrics.set('vigil_pipeline_inflight_bytes', {}, 0, 'Record text held between submit and commit');
    this.#metrics.set(
      'vigil_pipeline_inflight_bytes_limit',
      {},
      this.#maxInFlightBytes,
      'Byte budget for in-flight records',
    );
  }

  /** Ingest health per source and unit, fed as records are parsed and committed. */
  get sourceHealth(): SourceHealth {
    return this.#sourceHealth;
  }

  /** Record text currently held between submit and commit (for health and tests). */
  get inFlightBytes(): number {
    return this.#inFlightBytes;
  }

  /** Replace the enrichers (e.g. after the inventory changed); applies to records submitted next. */
  setEnrichers(enrichers: readonly Enricher[]): void {
    this.#enrichers = enrichers;
  }

  /** True when the byte budget is used up: sources may refuse work before reading a body. */
  isCongested(): boolean {
    return this.#closing || this.#inFlightBytes >= this.#maxInFlightBytes;
  }

  /** Seconds a pushed-back sender should wait before retrying. */
  get retryAfterSeconds(): number {
    return this.#retryAfterSeconds;
  }

  submit(records: readonly RawRecord[], options: SubmitOptions = {}): Promise<SubmitResult> {
    if (this.#closing) {
      return Promise.reject(new OverloadedError('the pipeline is shutting down', this.#retryAfterSeconds));
    }
    if (records.length === 0) return Promise.resolve(emptyResult);
    let bytes = 0;
    for (let index = 0; index < records.length; index++) bytes += records[index]!.text.length;
    // A batch bigger than the whole budget is still accepted when nothing else is in flight,
    // otherwise it could never be stored.
    if (this.#inFlightBytes > 0 && this.#inFlightBytes + bytes > this.#maxInFlightBytes) {
      this.#metrics.inc('vigil_pipeline_rejected_total', { reason: 'overloaded' }, 1, 'Submits rejected');
      return Promise.reject(
        new OverloadedError(
          `pipeline is over its in-flight budget of ${this.#maxInFlightBytes} bytes`,
          this.#retryAfterSeconds,
        ),
      );
    }

    // Reserved before parsing: the records are held in memory from now until commit.
    this.#inFlightBytes += bytes;
    const parsing = this.#parse(records, options.format ?? 'auto');
    this.#parsing.add(parsing);
    return parsing.then(
      (parsed) => {
        this.#parsing.delete(parsing);
        return this.#enqueue(parsed, bytes);
      },
      (error: unknown) => {
        this.#parsing.delete(parsing);
        this.#inFlightBytes -= bytes;
        this.#updateGauges();
        throw error;
      },
    );
  }

  /**
   * Parse and enrich in slices, yielding to the event loop between them so one big batch does not
   * stall other requests.
   */
  async #parse(records: readonly RawRecord[], format: string): Promise<Parsed> {
    const parsed: Parsed = { events: [], letters: [], errors: [], sources: [] };
    for (let start = 0; start < records.length; start += parseSliceRecords) {
      if (start > 0) await yieldToEventLoop();
      this.#parseSlice(records, start, Math.min(records.length, start + parseSliceRecords), format, parsed);
    }
    return parsed;
  }

  /** Queue parsed events and dead letters; resolves once they are committed. */
  #enqueue({ events, letters, errors, sources }: Parsed, bytes: number): Promise<SubmitResult> {
    const result: SubmitResult = { stored: events.length, failed: letters.length, errors };
    if (events.length === 0 && letters.length === 0) {
      this.#inFlightBytes -= bytes;
      this.#updateGauges();
      return Promise.resolve(result);
    }
    return new Promise<SubmitResult>((resolve, reject) => {
      this.#queue.push({
        events,
        count: events.length,
        letters,
        sources,
        result,
        bytes,
        resolve,
        reject,
        offset: 0,
        lettersTaken: false,
        writesInFlight: 0,
        settled: false,
      });
      this.#queuedEvents += events.length;
      this.#updateGauges();
      this.#kick();
    });
  }

  #parseSlice(records: readonly RawRecord[], start: number, end: number, format: string, parsed: Parsed): void {
    const { events, letters, errors, sources } = parsed;
    const now = Date.now();
    // Count records per source and unit in runs, so the metric and the source's health are not
    // touched once per record.
    let runKind = records[start]!.source.kind;
    let runName = records[start]!.source.name;
    let runUnit = records[start]!.unit;
    let runCount = 0;
    let runCounter = this.#sourceHealth.counter(runKind, runName, runUnit);
    let runEvents = events.length;
    let runLetters = letters.length;
    const endRun = () => {
      this.#metrics.inc('vigil_events_in_total', { source: runKind, unit: runUnit }, runCount, 'Records received');
      runCounter.received(runCount, now);
      addShare(sources, runCounter, runCount, events.length - runEvents, letters.length - runLetters);
    };
    for (let index = start; index < end; index++) {
      const record = records[index]!;
      if (record.source.kind !== runKind || record.source.name !== runName || record.unit !== runUnit) {
        endRun();
        runKind = record.source.kind;
        runName = record.source.name;
        runUnit = record.unit;
        runCount = 0;
        runCounter = this.#sourceHealth.counter(runKind, runName, runUnit);
        runEvents = events.length;
        runLetters = letters.length;
      }
      runCount++;
      let parsed: ParseResult;
      try {
        parsed = this.#registry.parse(record, format);
      } catch (error) {
        // Sniffers run outside the parser's own guard; a throw there is still only bad data.
        this.#metrics.inc('vigil_stage_errors_total', { stage: 'parse' }, 1, 'Errors inside pipeline stages');
        parsed = {
          failed: true,
          format,
          reason: `parser error: ${error instanceof Error ? error.message : String(error)}`,
          record,
        };
      }
      if (isParseFailure(parsed)) {
        letters.push(this.#deadLetter(record, parsed.format, parsed.reason, now));
        errors.push({ index, reason: parsed.reason });
        runCounter.parseFailed(parsed.reason, now);
        this.#metrics.inc(
          'vigil_events_failed_total',
          { source: record.source.kind, format: parsed.format },
          1,
          'Records that failed to parse (kept as dead letters)',
        );
      } else if (Array.isArray(parsed)) {
        for (let inner = 0; inner < parsed.length; inner++) this.#accept(record, parsed[inner]!, events, now);
      } else {
        this.#accept(record, parsed, events, now);
      }
    }
    endRun();
  }

  /** Stop accepting records and resolve once everything submitted so far is committed. */
  async close(): Promise<void> {
    this.#closing = true;
    // Submits accepted before close may still be parsing: they join the queue first.
    while (this.#parsing.size > 0) await Promise.allSettled([...this.#parsing]);
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#writes.size > 0 || this.#queueHead < this.#queue.length) {
      if (this.#queueHead < this.#queue.length && this.#writes.size < this.#maxConcurrentWrites) this.#startWrite();
      else await Promise.race(this.#writes);
    }
  }

  #accept(record: RawRecord, event: EcsEvent, events: EventToStore[], now: number): void {
    // A parser that forgot the unit must not leave the event unowned: the source's binding decides.
    if (!event.unit) event.unit = record.unit;
    if (record.time !== undefined || record.host !== undefined || record.labels !== undefined) {
      this.#applyTransportFields(record, event);
    }
    for (let index = 0; index < this.#enrichers.length; index++) {
      const enricher = this.#enrichers[index]!;
      try {
        enricher.enrich(event);
      } catch (error) {
        this.#metrics.inc('vigil_stage_errors_total', { stage: 'enrich', name: enricher.name });
        this.#log.debug('enricher failed', { enricher: enricher.name, error: String(error) });
      }
    }
    events.push({ id: newEventId(now), event });
  }

  /** HEC-style envelope fields fill what the parser left empty; they never override it. */
  #applyTransportFields(record: RawRecord, event: EcsEvent): void {
    if (record.time !== undefined && Number.isFinite(record.time)) {
      if (this.#receivedAtValue !== record.receivedAt) {
        this.#receivedAtValue = record.receivedAt;
        this.#receivedAtIso = new Date(record.receivedAt).toISOString();
      }
      const timestamp = event['@timestamp'];
      if (!timestamp || timestamp === this.#receivedAtIso) event['@timestamp'] = new Date(record.time).toISOString();
    }
    if (record.host) {
      const host = event['host'];
      if (host === undefined || host === null) event['host'] = { name: record.host };
      else if (typeof host === 'object' && !Array.isArray(host) && host['name'] === undefined) {
        (host as JsonObject)['name'] = record.host;
      }
    }
    if (record.labels) {
      event.labels ??= {};
      const labels = event.labels;
      for (const key of Object.keys(record.labels)) if (labels[key] === undefined) labels[key] = record.labels[key]!;
    }
  }

  #deadLetter(record: RawRecord, format: string, reason: string, now: number): DeadLetter {
    return {
      id: newEventId(now),
      unit: record.unit,
      receivedAt: record.receivedAt,
      sourceKind: record.source.kind,
      sourceName: record.source.name,
      format,
      reason,
      original: truncate(record.text, this.#deadLetterMaxBytes),
    };
  }

  #kick(): void {
    if (this.#writes.size >= this.#maxConcurrentWrites || this.#queueHead >= this.#queue.length) return;
    if (this.#closing || this.#due || this.#queuedEvents >= this.#batchMaxEvents || this.#batchMaxWaitMs === 0) {
      this.#startWrite();
      // A second full batch may already be waiting for the other write slot.
      if (this.#queuedEvents >= this.#batchMaxEvents || this.#closing) this.#kick();
      return;
    }
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#due = true;
      this.#kick();
    }, this.#batchMaxWaitMs);
  }

  #startWrite(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#due = false;
    const write: Promise<void> = this.#writeNext().finally(() => {
      this.#writes.delete(write);
      this.#updateGauges();
      this.#kick();
    });
    this.#writes.add(write);
  }

  /** Take up to batchMaxEvents queued events (and their submits' dead letters) and commit them. */
  async #writeNext(): Promise<void> {
    let events: EventToStore[] = [];
    const letters: DeadLetter[] = [];
    const batch: Pending[] = [];
    const queue = this.#queue;
    while (this.#queueHead < queue.length && events.length < this.#batchMaxEvents) {
      const pending = queue[this.#queueHead]!;
      if (pending.settled) {
        // Its earlier part failed and the caller was told so: do not write the rest.
        this.#queuedEvents -= pending.count - pending.offset;
        pending.events = noEvents;
        this.#queueHead++;
        continue;
      }
      if (!pending.lettersTaken) {
        for (let index = 0; index < pending.letters.length; index++) letters.push(pending.letters[index]!);
        pending.lettersTaken = true;
      }
      const take = Math.min(this.#batchMaxEvents - events.length, pending.count - pending.offset);
      for (let index = 0; index < take; index++) events.push(pending.events[pending.offset + index]!);
      pending.offset += take;
      pending.writesInFlight++;
      batch.push(pending);
      this.#queuedEvents -= take;
      if (pending.offset >= pending.count) {
        // The write holds them now; the queue need not keep them alive until the commit.
        pending.events = noEvents;
        this.#queueHead++;
      }
    }
    if (this.#queueHead > 1024 && this.#queueHead * 2 > queue.length) {
      this.#queue = queue.slice(this.#queueHead);
      this.#queueHead = 0;
    } else if (this.#queueHead === queue.length) {
      this.#queue = [];
      this.#queueHead = 0;
    }
    if (batch.length === 0) return;

    const eventCount = events.length;
    try {
      if (eventCount > 0) await this.#runHooks(events);
      const started = performance.now();
      if (letters.length > 0) await this.#store.appendDeadLetters(letters);
      if (eventCount > 0) {
        const appended = this.#store.appendEvents(events);
        // Only the store keeps the events from here on (it may have copied them already).
        events = noEvents;
        await appended;
      }
      const seconds = (performance.now() - started) / 1000;
      this.#metrics.inc('vigil_store_write_seconds_sum', {}, seconds, 'Time spent in store writes');
      this.#metrics.inc('vigil_store_write_seconds_count', {}, 1, 'Store writes');
      this.#metrics.set('vigil_store_write_last_seconds', {}, seconds, 'Duration of the last store write');
      this.#metrics.inc('vigil_events_out_total', {}, eventCount, 'Events committed to the store');
      this.#metrics.inc('vigil_dead_letters_total', {}, letters.length, 'Dead letters committed to the store');
    } catch (error) {
      this.#metrics.inc('vigil_stage_errors_total', { stage: 'store' });
      this.#log.error('store write failed', {
        events: eventCount,
        deadLetters: letters.length,
        error: String(error),
      });
      const failure = new StoreWriteError(error);
      for (const pending of batch) this.#settle(pending, failure);
      return;
    }
    for (const pending of batch) {
      pending.writesInFlight--;
      if (pending.writesInFlight === 0 && pending.offset >= pending.count) this.#settle(pending);
    }
  }

  async #runHooks(events: readonly EventToStore[]): Promise<void> {
    for (const hook of this.#hooks) {
      try {
        await hook.onEvents(events);
      } catch (error) {
        this.#metrics.inc('vigil_stage_errors_total', { stage: 'hook', name: hook.name });
        this.#log.warn('event hook failed', { hook: hook.name, error: String(error) });
      }
    }
  }

  #settle(pending: Pending, error?: unknown): void {
    if (pending.settled) return;
    pending.settled = true;
    this.#inFlightBytes -= pending.bytes;
    const now = Date.now();
    for (const share of pending.sources) {
      // The store's own message stays in the log; unit users see only that the write failed.
      if (error === undefined) share.counter.stored(share.events);
      else share.counter.writeFailed(share.records - share.letters, 'store write failed', now);
    }
    if (error === undefined) pending.resolve(pending.result);
    else pending.reject(error);
  }

  #updateGauges(): void {
    this.#metrics.set('vigil_pipeline_queue_events', {}, this.#queuedEvents);
    this.#metrics.set('vigil_pipeline_inflight_bytes', {}, this.#inFlightBytes);
  }
}

/** Add a run of one source's records to a submit's shares (merged with the previous run of the same source). */
function addShare(
  sources: SourceShare[],
  counter: SourceCounter,
  records: number,
  events: number,
  letters: number,
): void {
  const last = sources[sources.length - 1];
  if (last?.counter === counter) {
    last.records += records;
    last.events += events;
    last.letters += letters;
  } else {
    sources.push({ counter, records, events, letters });
  }
}

/** Cut text to at most `max` UTF-16 units without splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return text.slice(0, end);
}
