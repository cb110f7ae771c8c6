// Search requests and results for stored events. Types only.
import type { EcsEvent } from './event.ts';

export interface EventSearch {
  /** Query in Vigil's query language (`field:value`, wildcards, phrases, AND/OR/NOT, ranges). Empty = all. */
  readonly query: string;
  /** Time range, epoch milliseconds, inclusive start and exclusive end. */
  readonly from?: number;
  readonly to?: number;
  readonly limit: number;
  /** Opaque cursor from a previous page. */
  readonly cursor?: string;
  readonly order?: 'asc' | 'desc';
}

export interface StoredEvent {
  /** Store-assigned id, stable and unique. */
  readonly id: string;
  readonly event: EcsEvent;
}

export interface EventPage {
  readonly events: readonly StoredEvent[];
  /** Total matching events (may be capped for speed; `totalIsExact` says which). */
  readonly total: number;
  readonly totalIsExact: boolean;
  readonly nextCursor?: string;
}

export interface FieldValueCount {
  readonly value: string | number | boolean | null;
  readonly count: number;
}
