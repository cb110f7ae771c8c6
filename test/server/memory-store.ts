// An in-memory Store for pipeline and server tests: honours unit scopes, understands a tiny
// query language (`field:value`, `*` wildcards, bare words, AND/NOT) and can delay or fail writes.
import type { DeadLetter, EcsEvent } from '../../src/model/event.ts';
import type { EventPage, EventSearch, FieldValueCount } from '../../src/model/query.ts';
import type { ApiKey, Asset, Unit, UnitScope } from '../../src/model/unit.ts';
import type { DeadLetterPage, EventToStore, RetentionResult, Store } from '../../src/store/store.ts';

export class QuerySyntaxError extends Error {
  readonly position: number;
  constructor(message: string, position: number) {
    super(message);
    this.name = 'QuerySyntaxError';
    this.position = position;
  }
}

function inScope(scope: UnitScope, unit: string): boolean {
  return scope.kind === 'all' || scope.units.includes(unit);
}

function fieldValue(event: EcsEvent, path: string): unknown {
  let value: unknown = event;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

type Term = { field?: string; pattern: RegExp; negate: boolean };

function compile(query: string): Term[] {
  const terms: Term[] = [];
  const quotes = query.split('"').length - 1;
  if (quotes % 2 === 1) throw new QuerySyntaxError('unterminated phrase', query.lastIndexOf('"'));
  const open = query.indexOf('(');
  if (open >= 0 && !query.includes(')')) throw new QuerySyntaxError("missing ')'", open);
  for (const raw of query.split(/\s+/)) {
    if (!raw || raw === 'AND') continue;
    let token = raw;
    let negate = false;
    if (token.startsWith('-')) {
      negate = true;
      token = token.slice(1);
    }
    const colon = token.indexOf(':');
    const field = colon > 0 ? token.slice(0, colon) : undefined;
    const value = (colon > 0 ? token.slice(colon + 1) : token).replace(/^"|"$/g, '');
    const escaped = value.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
    terms.push({ field, pattern: new RegExp(field ? `^${escaped}$` : escaped, 'i'), negate });
  }
  return terms;
}

function matches(event: EcsEvent, terms: Term[]): boolean {
  for (const term of terms) {
    const value = term.field ? fieldValue(event, term.field) : JSON.stringify(event);
    const hit = value !== undefined && value !== null && term.pattern.test(String(value));
    if (hit === term.negate) return false;
  }
  return true;
}

export class MemoryStore implements Store {
  readonly events: EventToStore[] = [];
  readonly deadLetters: DeadLetter[] = [];
  readonly units = new Map<string, Unit>();
  readonly assets = new Map<string, Asset>();
  readonly keys = new Map<string, { key: ApiKey; secretHash: string }>();
  /** Number of appendEvents calls and the size of each. */
  readonly eventWrites: number[] = [];
  /** When set, every write waits for this promise first (to test ack-after-commit). */
  writeGate: Promise<void> | undefined;
  /** When set, the next writes reject with this error. */
  failWrites: Error | undefined;
  closed = false;
  reachable = true;

  async appendEvents(events: readonly EventToStore[]): Promise<void> {
    if (this.writeGate) await this.writeGate;
    if (this.failWrites) throw this.failWrites;
    this.eventWrites.push(events.length);
    this.events.push(...events);
  }

  async appendDeadLetters(letters: readonly DeadLetter[]): Promise<void> {
    if (this.writeGate) await this.writeGate;
    if (this.failWrites) throw this.failWrites;
    this.deadLetters.push(...letters);
  }

  #select(scope: UnitScope, search: Omit<EventSearch, 'limit' | 'cursor' | 'order'>): EventToStore[] {
    const terms = compile(search.query);
    return this.events.filter(({ event }) => {
      if (!inScope(scope, event.unit)) return false;
      const time = Date.parse(event['@timestamp']);
      if (search.from !== undefined && time < search.from) return false;
      if (search.to !== undefined && time >= search.to) return false;
      return matches(event, terms);
    });
  }

  async searchEvents(scope: UnitScope, search: EventSearch): Promise<EventPage> {
    const selected = this.#select(scope, search).sort((a, b) => {
      const order = a.event['@timestamp'].localeCompare(b.event['@timestamp']) || a.id.localeCompare(b.id);
      return search.order === 'asc' ? order : -order;
    });
    const start = search.cursor ? Number(search.cursor) : 0;
    const page = selected.slice(start, start + search.limit);
    const next = start + search.limit < selected.length ? String(start + search.limit) : undefined;
    return {
      events: page.map(({ id, event }) => ({ id, event })),
      total: selected.length,
      totalIsExact: true,
      ...(next ? { nextCursor: next } : {}),
    };
  }

  async topValues(
    scope: UnitScope,
    search: Omit<EventSearch, 'limit' | 'cursor' | 'order'>,
    field: string,
    limit: number,
  ): Promise<FieldValueCount[]> {
    const counts = new Map<string, { value: FieldValueCount['value']; count: number }>();
    for (const { event } of this.#select(scope, search)) {
      const value = fieldValue(event, field);
      if (value === undefined || typeof value === 'object') continue;
      const key = JSON.stringify(value);
      const entry = counts.get(key) ?? { value: value as FieldValueCount['value'], count: 0 };
      entry.count++;
      counts.set(key, entry);
    }
    return [...counts.values()].sort((a, b) => b.count - a.count).slice(0, limit);
  }

  async histogram(
    scope: UnitScope,
    search: Omit<EventSearch, 'limit' | 'cursor' | 'order'>,
    bucketMs: number,
  ): Promise<{ start: number; count: number }[]> {
    const buckets = new Map<number, number>();
    for (const { event } of this.#select(scope, search)) {
      const start = Math.floor(Date.parse(event['@timestamp']) / bucketMs) * bucketMs;
      buckets.set(start, (buckets.get(start) ?? 0) + 1);
    }
    return [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([start, count]) => ({ start, count }));
  }

  async getEvents(scope: UnitScope, ids: readonly string[]): Promise<EventToStore[]> {
    return this.events.filter((stored) => ids.includes(stored.id) && inScope(scope, stored.event.unit));
  }

  async listDeadLetters(scope: UnitScope, options: { limit: number; cursor?: string }): Promise<DeadLetterPage> {
    const selected = this.deadLetters.filter((letter) => inScope(scope, letter.unit));
    const start = options.cursor ? Number(options.cursor) : 0;
    const next = start + options.limit < selected.length ? String(start + options.limit) : undefined;
    return { letters: selected.slice(start, start + options.limit), ...(next ? { nextCursor: next } : {}) };
  }

  async countDeadLetters(scope: UnitScope): Promise<number> {
    if (!this.reachable) throw new Error('database is gone');
    return this.deadLetters.filter((letter) => inScope(scope, letter.unit)).length;
  }

  async deleteOlderThan(cutoff: number): Promise<RetentionResult> {
    const before = this.events.length;
    const kept = this.events.filter(({ event }) => Date.parse(event['@timestamp']) >= cutoff);
    this.events.splice(0, this.events.length, ...kept);
    const lettersBefore = this.deadLetters.length;
    const keptLetters = this.deadLetters.filter((letter) => letter.receivedAt >= cutoff);
    this.deadLetters.splice(0, this.deadLetters.length, ...keptLetters);
    return { events: before - kept.length, deadLetters: lettersBefore - keptLetters.length };
  }

  async putUnit(unit: Unit): Promise<void> {
    this.units.set(unit.id, unit);
  }

  async listUnits(): Promise<Unit[]> {
    return [...this.units.values()];
  }

  async putAsset(asset: Asset): Promise<void> {
    this.assets.set(asset.id, asset);
  }

  async listAssets(scope: UnitScope): Promise<Asset[]> {
    return [...this.assets.values()].filter((asset) => inScope(scope, asset.unit));
  }

  async putApiKey(key: ApiKey, secretHash: string): Promise<void> {
    this.keys.set(key.id, { key, secretHash });
  }

  async findApiKeyBySecretHash(secretHash: string): Promise<ApiKey | undefined> {
    for (const entry of this.keys.values()) if (entry.secretHash === secretHash) return entry.key;
    return undefined;
  }

  async listApiKeys(scope: UnitScope): Promise<ApiKey[]> {
    return [...this.keys.values()].map((entry) => entry.key).filter((key) => inScope(scope, key.unit));
  }

  async deleteApiKey(id: string): Promise<boolean> {
    return this.keys.delete(id);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
