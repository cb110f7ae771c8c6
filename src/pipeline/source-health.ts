// Ingest health per (source, unit) for GET /api/v1/sources: totals since start, a one-minute ring
// of per-second counters for the rate and the failure share, and a status. The pipeline feeds it
// once per run of records, not per record; memory is bounded (fixed ring, at most maxSources).
import type { SourceHealthResponse, SourceHealthRow, SourceHealthThresholds } from '../model/source-health.ts';
import type { UnitScope } from '../model/unit.ts';

export interface SourceHealthOptions {
  /** A source with no record for this long is `idle` (default 5 minutes). */
  readonly idleAfterMs?: number;
  /** Failure share within the last minute at or above which a source is `failing` (default 0.2). */
  readonly failingShare?: number;
  /** Sources kept; beyond it the least recently active is forgotten (default 1000). */
  readonly maxSources?: number;
  /** When counting started (default now). */
  readonly since?: number;
}

export const sourceHealthDefaults = {
  idleAfterMs: 5 * 60_000,
  failingShare: 0.2,
  maxSources: 1000,
} as const;

/** The ring: one slot per second over the last minute. */
const slotMs = 1000;
const slotCount = 60;
const windowMs = slotMs * slotCount;
/** Failure reasons are kept to this length (parser reasons can quote the record). */
const maxReasonLength = 300;

/** The counters of one source for one unit. Handles stay valid (and harmless) after eviction. */
export class SourceCounter {
  readonly kind: string;
  readonly name: string;
  readonly unit: string;
  eventsIn = 0;
  eventsStored = 0;
  failures = 0;
  deadLetters = 0;
  lastEventAt: number | null = null;
  lastFailureAt: number | null = null;
  lastFailureReason: string | null = null;
  /** Which second each slot currently counts (-1: none yet). */
  readonly #slotSecond = new Float64Array(slotCount).fill(-1);
  readonly #slotIn = new Uint32Array(slotCount);
  readonly #slotFailed = new Uint32Array(slotCount);

  constructor(kind: string, name: string, unit: string) {
    this.kind = kind;
    this.name = name;
    this.unit = unit;
  }

  /** `count` records arrived. */
  received(count: number, now: number): void {
    if (count <= 0) return;
    this.eventsIn += count;
    this.#slotIn[this.#slot(now)]! += count;
    if (this.lastEventAt === null || now > this.lastEventAt) this.lastEventAt = now;
  }

  /** One record no parser could read (it becomes a dead letter). */
  parseFailed(reason: string, now: number): void {
    this.deadLetters++;
    this.#failed(1, reason, now);
  }

  /** `count` events were committed. */
  stored(count: number): void {
    this.eventsStored += count;
  }

  /** `count` records were lost to a failed store write (their sender was told to retry). */
  writeFailed(count: number, reason: string, now: number): void {
    if (count > 0) this.#failed(count, reason, now);
  }

  /** Records received and failed within the window ending at `now`. */
  window(now: number): { eventsIn: number; failures: number } {
    const current = Math.floor(now / slotMs);
    let eventsIn = 0;
    let failures = 0;
    for (let index = 0; index < slotCount; index++) {
      const second = this.#slotSecond[index]!;
      if (second > current - slotCount && second <= current) {
        eventsIn += this.#slotIn[index]!;
        failures += this.#slotFailed[index]!;
      }
    }
    return { eventsIn, failures };
  }

  row(now: number, thresholds: SourceHealthThresholds): SourceHealthRow {
    const window = this.window(now);
    // Write failures are counted when the write fails, possibly after the records' own second.
    const judged = Math.max(window.eventsIn, window.failures);
    const status =
      window.failures > 0 && window.failures >= thresholds.failingShare * judged
        ? 'failing'
        : this.lastEventAt === null || now - this.lastEventAt >= thresholds.idleAfterMs
          ? 'idle'
          : 'ok';
    return {
      kind: this.kind,
      name: this.name,
      unit: this.unit,
      eventsIn: this.eventsIn,
      eventsStored: this.eventsStored,
      failures: this.failures,
      deadLetters: this.deadLetters,
      rate: Math.round((window.eventsIn / (windowMs / 1000)) * 100) / 100,
      window,
      lastEventAt: this.lastEventAt,
      lastFailureAt: this.lastFailureAt,
      lastFailureReason: this.lastFailureReason,
      status,
    };
  }

  #failed(count: number, reason: string, now: number): void {
    this.failures += count;
    this.#slotFailed[this.#slot(now)]! += count;
    if (this.lastFailureAt === null || now >= this.lastFailureAt) {
      this.lastFailureAt = now;
      this.lastFailureReason = reason.length > maxReasonLength ? `${reason.slice(0, maxReasonLength)}…` : reason;
    }
  }

  /** The slot for `now`, cleared when it last counted an older second. */
  #slot(now: number): number {
    const second = Math.floor(now / slotMs);
    const index = second % slotCount;
    if (this.#slotSecond[index] !== second) {
      this.#slotSecond[index] = second;
      this.#slotIn[index] = 0;
      this.#slotFailed[index] = 0;
    }
    return index;
  }
}

export class SourceHealth {
  readonly since: number;
  readonly thresholds: SourceHealthThresholds;
  readonly #maxSources: number;
  /** In order of last use (oldest first), so the first entry is the one to forget. */
  readonly #counters = new Map<string, SourceCounter>();

  constructor(options: SourceHealthOptions = {}) {
    this.since = options.since ?? Date.now();
    this.thresholds = {
      windowMs,
      idleAfterMs: options.idleAfterMs ?? sourceHealthDefaults.idleAfterMs,
      failingShare: options.failingShare ?? sourceHealthDefaults.failingShare,
    };
    this.#maxSources = Math.max(1, options.maxSources ?? sourceHealthDefaults.maxSources);
  }

  /** Number of (source, unit) pairs kept. */
  get size(): number {
    return this.#counters.size;
  }

  /** The counter of a source for a unit, created on first use and marked as the most recent. */
  counter(kind: string, name: string, unit: string): SourceCounter {
    const key = `${kind}\u0000${name}\u0000${unit}`;
    let counter = this.#counters.get(key);
    if (counter) {
      this.#counters.delete(key);
    } else {
      counter = new SourceCounter(kind, name, unit);
      if (this.#counters.size >= this.#maxSources) {
        const oldest = this.#counters.keys().next().value;
        if (oldest !== undefined) this.#counters.delete(oldest);
      }
    }
    this.#counters.set(key, counter);
    return counter;
  }

  /** The sources of the units in `scope`, most recently active first. */
  list(scope: UnitScope, now = Date.now()): SourceHealthResponse {
    const sources: SourceHealthRow[] = [];
    for (const counter of this.#counters.values()) {
      if (scope.kind === 'units' && !scope.units.includes(counter.unit)) continue;
      sources.push(counter.row(now, this.thresholds));
    }
    sources.sort((a, b) => (b.lastEventAt ?? 0) - (a.lastEventAt ?? 0));
    return { sources, thresholds: this.thresholds, since: this.since, now };
  }
}
