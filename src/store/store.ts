// The Store contract: everything Vigil keeps (events, dead letters, units, assets, API keys).
// Implementations: store/duckdb (embedded default) and, next, store/postgres (cluster).
// Every read takes the caller's UnitScope; writes carry the unit inside each record.
import type { DeadLetter, EcsEvent } from '../model/event.ts';
import type { EventPage, EventSearch, FieldValueCount } from '../model/query.ts';
import type { ApiKey, Asset, Unit, UnitScope } from '../model/unit.ts';

export interface EventToStore {
  /** Pipeline-assigned id (see newEventId), unique and roughly time-ordered. */
  readonly id: string;
  readonly event: EcsEvent;
}

export interface DeadLetterPage {
  readonly letters: readonly DeadLetter[];
  readonly nextCursor?: string;
}

export interface RetentionResult {
  readonly events: number;
  readonly deadLetters: number;
}

export interface Store {
  /** Append events; resolves only once they are durably committed (at-least-once ingest). */
  appendEvents(events: readonly EventToStore[]): Promise<void>;
  /** Append parse failures; resolves once committed. */
  appendDeadLetters(letters: readonly DeadLetter[]): Promise<void>;

  /** Search events with Vigil's query language; throws QuerySyntaxError (with position) on a bad query. */
  searchEvents(scope: UnitScope, search: EventSearch): Promise<EventPage>;
  /** Most frequent values of one field among the events matching a search. */
  topValues(
    scope: UnitScope,
    search: Omit<EventSearch, 'limit' | 'cursor' | 'order'>,
    field: string,
    limit: number,
  ): Promise<FieldValueCount[]>;
  /** Event counts per time bucket (for histograms). */
  histogram(
    scope: UnitScope,
    search: Omit<EventSearch, 'limit' | 'cursor' | 'order'>,
    bucketMs: number,
  ): Promise<{ start: number; count: number }[]>;
  getEvents(scope: UnitScope, ids: readonly string[]): Promise<EventToStore[]>;

  listDeadLetters(scope: UnitScope, options: { limit: number; cursor?: string }): Promise<DeadLetterPage>;
  countDeadLetters(scope: UnitScope): Promise<number>;

  /** Delete events and dead letters received before `cutoff` (epoch ms). */
  deleteOlderThan(cutoff: number): Promise<RetentionResult>;

  putUnit(unit: Unit): Promise<void>;
  listUnits(): Promise<Unit[]>;
  putAsset(asset: Asset): Promise<void>;
  listAssets(scope: UnitScope): Promise<Asset[]>;

  /** Store an API key; only a hash of its secret is kept. */
  putApiKey(key: ApiKey, secretHash: string): Promise<void>;
  findApiKeyBySecretHash(secretHash: string): Promise<ApiKey | undefined>;
  listApiKeys(scope: UnitScope): Promise<ApiKey[]>;
  deleteApiKey(id: string): Promise<boolean>;

  /** Flush pending writes and release the database. */
  close(): Promise<void>;
}
