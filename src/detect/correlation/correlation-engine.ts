// Evaluates Sigma correlation rules over the stream of rule matches: per correlation and per
// group (unit + group-by values) it keeps a sliding window of matches, bounded in groups and
// entries, and reports a hit when the condition holds. Hits feed back in, so correlations chain.
// State can be snapshotted and restored, so a restart does not forget open windows.
import type { Alert } from '../../model/alert.ts';
import type { EcsEvent } from '../../model/event.ts';
import { newEventId } from '../../store/event-id.ts';
import { type CorrelationRule, conditionHolds, decidedAtWindowEnd } from './correlation-rule.ts';

/** One match of a base rule (or of a correlation, when chaining) on one event. */
export interface RuleMatch {
  readonly ruleId?: string;
  readonly ruleName?: string;
  readonly eventId: string;
  readonly event: EcsEvent;
  /** Event time, epoch ms. */
  readonly time: number;
}

export interface CorrelationHit {
  readonly rule: CorrelationRule;
  readonly unit: string;
  readonly groupBy: Readonly<Record<string, string>>;
  /** The aggregate that satisfied the condition (count, distinct count, sum, percentile …). */
  readonly value: number;
  readonly eventIds: readonly string[];
  readonly firstTime: number;
  readonly lastTime: number;
  /** The last event of the correlation (carries the group-by fields for chained rules). */
  readonly event: EcsEvent;
  readonly eventId: string;
}

/** Reads a (Sigma-named) field from an event; the Sigma engine's field mapping plugs in here. */
export type FieldReader = (event: EcsEvent, field: string) => unknown;

export interface CorrelationEngineOptions {
  readonly readField?: FieldReader;
  /** Groups kept per correlation; the least recently updated are evicted beyond it. */
  readonly maxGroups?: number;
  /** Matches kept per group (beyond it the oldest are dropped). */
  readonly maxEntriesPerGroup?: number;
  /** Event ids kept per hit as evidence. */
  readonly maxEventIds?: number;
}

interface Entry {
  time: number;
  value: string | number | undefined;
  eventId: string;
}

interface GroupState {
  entries: Entry[];
  /** temporal: per referenced rule, the last time seen. temporal_ordered: start of the chain reaching it. */
  marks: (number | undefined)[];
  windowStart?: number;
  lastEvent?: EcsEvent;
  lastEventId?: string;
  /** value_percentile: values already reported, with when. */
  reported?: Record<string, number>;
}

interface Compiled {
  readonly rule: CorrelationRule;
  readonly key: string;
  readonly groups: Map<string, GroupState>;
  readonly atWindowEnd: boolean;
}

/** Default field reader: dotted ECS path, then the original Windows event data. */
export function readDottedField(event: EcsEvent, field: string): unknown {
  let value: unknown = event;
  for (const part of field.split('.')) {
    if (typeof value !== 'object' || value === null) {
      value = undefined;
      break;
    }
    value = (value as Record<string, unknown>)[part];
  }
  if (value !== undefined) return value;
  const data = (event.winlog as Record<string, unknown> | undefined)?.event_data as Record<string, unknown> | undefined;
  return data?.[field];
}

function scalar(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.length ? value.map(String).join(',') : undefined;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export class CorrelationEngine {
  readonly #correlations: Compiled[];
  /** rule id or name → (correlation, position in its rules list, the reference as written). */
  readonly #byReference = new Map<string, { compiled: Compiled; index: number; reference: string }[]>();
  readonly #readField: FieldReader;
  readonly #maxGroups: number;
  readonly #maxEntries: number;
  readonly #maxEventIds: number;
  #evictions = 0;

  constructor(rules: readonly CorrelationRule[], options: CorrelationEngineOptions = {}) {
    this.#readField = options.readField ?? readDottedField;
    this.#maxGroups = options.maxGroups ?? 50_000;
    this.#maxEntries = options.maxEntriesPerGroup ?? 10_000;
    this.#maxEventIds = options.maxEventIds ?? 20;
    this.#correlations = rules.map((rule) => ({
      rule,
      key: rule.id ?? rule.name ?? rule.title,
      groups: new Map(),
      atWindowEnd: decidedAtWindowEnd(rule.type, rule.condition),
    }));
    for (const compiled of this.#correlations) {
      compiled.rule.rules.forEach((reference, index) => {
        const list = this.#byReference.get(reference) ?? [];
        list.push({ compiled, index, reference });
        this.#byReference.set(reference, list);
      });
    }
  }

  get evictions(): number {
    return this.#evictions;
  }

  /** References that name neither a known rule nor another correlation (for the validation report). */
  unresolvedReferences(knownRules: ReadonlySet<string>): { correlation: string; reference: string }[] {
    const known = new Set(knownRules);
    for (const { rule } of this.#correlations) {
      if (rule.id) known.add(rule.id);
      if (rule.name) known.add(rule.name);
    }
    const missing: { correlation: string; reference: string }[] = [];
    for (const { rule, key } of this.#correlations) {
      for (const reference of rule.rules) if (!known.has(reference)) missing.push({ correlation: key, reference });
    }
    return missing;
  }

  /**
   * Rule ids/names whose matches should not be alerted on their own: referenced only by
   * correlations with `generate: false` (the spec's default).
   */
  suppressedRules(): Set<string> {
    const generated = new Set<string>();
    const referenced = new Set<string>();
    for (const { rule } of this.#correlations) {
      for (const reference of rule.rules) (rule.generate ? generated : referenced).add(reference);
    }
    for (const reference of generated) referenced.delete(reference);
    return referenced;
  }

  /** Feed one rule match; returns the correlations it completed (including chained ones). */
  onMatch(match: RuleMatch): CorrelationHit[] {
    const hits: CorrelationHit[] = [];
    this.#feed(match, hits, 0);
    return hits;
  }

  /** Decide windows that have ended by `now` (for upper-bound conditions such as "lt: 3"). */
  advance(now: number): CorrelationHit[] {
    const hits: CorrelationHit[] = [];
    for (const compiled of this.#correlations) {
      if (!compiled.atWindowEnd) continue;
      for (const [groupKey, group] of compiled.groups) {
        if (group.windowStart !== undefined && now >= group.windowStart + compiled.rule.timespanMs) {
          const hit = this.#closeWindow(compiled, groupKey, group);
          if (hit) {
            hits.push(hit);
            this.#feed(this.#chained(hit), hits, 1);
          }
        }
      }
    }
    return hits;
  }

  #feed(match: RuleMatch, hits: CorrelationHit[], depth: number): void {
    if (depth > 8) return; // a reference cycle cannot loop forever
    const targets = [
      ...(match.ruleId ? (this.#byReference.get(match.ruleId) ?? []) : []),
      ...(match.ruleName && match.ruleName !== match.ruleId ? (this.#byReference.get(match.ruleName) ?? []) : []),
    ];
    for (const { compiled, index, reference } of targets) {
      const hit = this.#apply(compiled, index, reference, match);
      if (hit) {
        hits.push(hit);
        this.#feed(this.#chained(hit), hits, depth + 1);
      }
    }
  }

  #chained(hit: CorrelationHit): RuleMatch {
    return { ruleId: hit.rule.id, ruleName: hit.rule.name, eventId: hit.eventId, event: hit.event, time: hit.lastTime };
  }

  #groupValues(rule: CorrelationRule, reference: string, event: EcsEvent): Record<string, string> | undefined {
    const values: Record<string, string> = {};
    for (const field of rule.groupBy) {
      const source = rule.aliases[field]?.[reference] ?? field;
      const value = scalar(this.#readField(event, source));
      // An event without a group-by value belongs to no group: it cannot be correlated.
      if (value === undefined || value === '') return undefined;
      values[field] = value;
    }
    return values;
  }

  #apply(compiled: Compiled, index: number, reference: string, match: RuleMatch): CorrelationHit | undefined {
    const { rule } = compiled;
    const groupBy = this.#groupValues(rule, reference, match.event);
    if (!groupBy) return undefined;
    const groupKey = `${match.event.unit}\u0000${rule.groupBy.map((field) => groupBy[field]).join('\u0000')}`;
    let group = compiled.groups.get(groupKey);
    if (group) {
      compiled.groups.delete(groupKey); // re-insert: Map order is the LRU order
    } else {
      group = { entries: [], marks: new Array(rule.rules.length).fill(undefined) };
      if (compiled.groups.size >= this.#maxGroups) {
        const oldest = compiled.groups.keys().next().value as string;
        compiled.groups.delete(oldest);
        this.#evictions++;
      }
    }
    compiled.groups.set(groupKey, group);

    // A window decided at its end closes before a match beyond it opens the next one.
    let closed: CorrelationHit | undefined;
    if (compiled.atWindowEnd && group.windowStart !== undefined && match.time >= group.windowStart + rule.timespanMs) {
      closed = this.#closeWindow(compiled, groupKey, group);
    }

    const value = this.#entryValue(rule, reference, match.event);
    insertEntry(group.entries, { time: match.time, value, eventId: match.eventId }, this.#maxEntries);
    group.lastEvent = match.event;
    group.lastEventId = match.eventId;
    if (compiled.atWindowEnd) {
      group.windowStart ??= match.time;
      return closed;
    }
    const newest = group.entries[group.entries.length - 1]!.time;
    pruneBefore(group.entries, newest - rule.timespanMs);

    let aggregate: number | undefined;
    switch (rule.type) {
      case 'temporal':
      case 'temporal_ordered':
        aggregate = this.#temporal(rule, group, index, match.time);
        break;
      case 'value_percentile':
        aggregate = this.#percentile(rule, group, value, match.time);
        break;
      default:
        aggregate = aggregateEntries(rule, group.entries);
    }
    if (aggregate === undefined || !conditionHolds(rule.condition, aggregate)) return closed;
    const hit = this.#hit(rule, match.event.unit, groupBy, aggregate, group);
    if (rule.type !== 'value_percentile') {
      // Report once, then start counting afresh (no alert on every further match).
      group.entries = [];
      group.marks.fill(undefined);
    }
    return hit;
  }

  #entryValue(rule: CorrelationRule, reference: string, event: EcsEvent): string | number | undefined {
    const fields = rule.condition.field;
    if (!fields) return undefined;
    const parts: string[] = [];
    for (const field of fields) {
      const raw = this.#readField(event, rule.aliases[field]?.[reference] ?? field);
      if (raw === undefined || raw === null) continue;
      if (fields.length === 1 && rule.type !== 'value_count' && rule.type !== 'value_percentile') {
        const number = typeof raw === 'number' ? raw : Number(raw);
        return Number.isFinite(number) ? number : undefined;
      }
      parts.push(scalar(raw)!);
    }
    return parts.length ? parts.join('\u0000') : undefined;
  }

  #temporal(rule: CorrelationRule, group: GroupState, index: number, time: number): number {
    const span = rule.timespanMs;
    if (rule.type === 'temporal') {
      group.marks[index] = time;
      return group.marks.filter((seen) => seen !== undefined && time - seen <= span).length;
    }
    // temporal_ordered: marks[i] = start time of the latest chain that reached rule i in order.
    if (index === 0) group.marks[0] = time;
    else {
      const start = group.marks[index - 1];
      if (start !== undefined && time - start <= span) group.marks[index] = start;
    }
    let reached = 0;
    for (let position = 0; position < group.marks.length; position++) {
      const start = group.marks[position];
      if (start === undefined || time - start > span) break;
      reached = position + 1;
    }
    return reached;
  }

  #percentile(
    rule: CorrelationRule,
    group: GroupState,
    value: string | number | undefined,
    time: number,
  ): number | undefined {
    if (value === undefined) return undefined;
    let same = 0;
    let total = 0;
    for (const entry of group.entries) {
      if (entry.value === undefined) continue;
      total++;
      if (entry.value === value) same++;
    }
    const key = String(value);
    group.reported ??= {};
    const last = group.reported[key];
    const share = (same / total) * 100;
    if (last !== undefined && time - last <= rule.timespanMs) return undefined;
    if (conditionHolds(rule.condition, share)) group.reported[key] = time;
    return share;
  }

  #closeWindow(compiled: Compiled, groupKey: string, group: GroupState): CorrelationHit | undefined {
    const { rule } = compiled;
    const end = group.windowStart! + rule.timespanMs;
    const inside = group.entries.filter((entry) => entry.time < end);
    const aggregate =
      rule.type === 'temporal' || rule.type === 'temporal_ordered' ? inside.length : aggregateEntries(rule, inside);
    const unit = groupKey.slice(0, groupKey.indexOf('\u0000'));
    const values = groupKey.split('\u0000').slice(1);
    const groupBy = Object.fromEntries(rule.groupBy.map((field, index) => [field, values[index]!]));
    const hit =
      aggregate !== undefined && conditionHolds(rule.condition, aggregate) && inside.length > 0
        ? this.#hit(rule, unit, groupBy, aggregate, { ...group, entries: inside })
        : undefined;
    group.entries = group.entries.filter((entry) => entry.time >= end);
    group.windowStart = group.entries[0]?.time;
    if (group.entries.length === 0) compiled.groups.delete(groupKey);
    return hit;
  }

  #hit(
    rule: CorrelationRule,
    unit: string,
    groupBy: Record<string, string>,
    value: number,
    group: GroupState,
  ): CorrelationHit {
    const entries = group.entries;
    const eventIds = entries.slice(-this.#maxEventIds).map((entry) => entry.eventId);
    return {
      rule,
      unit,
      groupBy,
      value,
      eventIds: eventIds.length ? eventIds : [group.lastEventId!],
      firstTime: entries[0]?.time ?? 0,
      lastTime: entries[entries.length - 1]?.time ?? 0,
      event: group.lastEvent!,
      eventId: group.lastEventId!,
    };
  }

  /** JSON-safe copy of all open windows (persist it; restore after a restart). */
  snapshot(): CorrelationSnapshot {
    return {
      version: 1,
      correlations: this.#correlations.map((compiled) => ({
        key: compiled.key,
        groups: [...compiled.groups].map(([groupKey, group]) => ({
          key: groupKey,
          entries: group.entries.map((entry) => [entry.time, entry.value ?? null, entry.eventId] as const),
          marks: group.marks.map((mark) => mark ?? null),
          windowStart: group.windowStart ?? null,
          lastEvent: group.lastEvent ?? null,
          lastEventId: group.lastEventId ?? null,
          reported: group.reported ?? null,
        })),
      })),
    };
  }

  /** Load a snapshot; correlations that no longer exist (or changed length) are skipped. */
  restore(snapshot: CorrelationSnapshot): void {
    // Array.isArray would widen the readonly element types to any: check the version only.
    if (snapshot?.version !== 1 || typeof snapshot.correlations?.[Symbol.iterator] !== 'function') return;
    const byKey = new Map(this.#correlations.map((compiled) => [compiled.key, compiled]));
    for (const saved of snapshot.correlations) {
      const compiled = byKey.get(saved.key);
      if (!compiled) continue;
      for (const group of saved.groups) {
        if (group.marks.length !== compiled.rule.rules.length) continue;
        compiled.groups.set(group.key, {
          entries: group.entries.map(([time, value, eventId]) => ({ time, value: value ?? undefined, eventId })),
          marks: group.marks.map((mark) => mark ?? undefined),
          windowStart: group.windowStart ?? undefined,
          lastEvent: group.lastEvent ?? undefined,
          lastEventId: group.lastEventId ?? undefined,
          reported: group.reported ?? undefined,
        });
      }
    }
  }
}

export interface CorrelationSnapshot {
  readonly version: 1;
  readonly correlations: readonly {
    readonly key: string;
    readonly groups: readonly {
      readonly key: string;
      readonly entries: readonly (readonly [number, string | number | null, string])[];
      readonly marks: readonly (number | null)[];
      readonly windowStart: number | null;
      readonly lastEvent: EcsEvent | null;
      readonly lastEventId: string | null;
      readonly reported: Record<string, number> | null;
    }[];
  }[];
}

function insertEntry(entries: Entry[], entry: Entry, max: number): void {
  // Events mostly arrive in time order; a late one is placed where it belongs.
  let position = entries.length;
  while (position > 0 && entries[position - 1]!.time > entry.time) position--;
  entries.splice(position, 0, entry);
  if (entries.length > max) entries.splice(0, entries.length - max);
}

function pruneBefore(entries: Entry[], cutoff: number): void {
  let drop = 0;
  while (drop < entries.length && entries[drop]!.time < cutoff) drop++;
  if (drop) entries.splice(0, drop);
}

function aggregateEntries(rule: CorrelationRule, entries: readonly Entry[]): number | undefined {
  switch (rule.type) {
    case 'event_count':
      return entries.length;
    case 'value_count': {
      const distinct = new Set<string | number>();
      for (const entry of entries) if (entry.value !== undefined) distinct.add(entry.value);
      return distinct.size;
    }
    default: {
      const numbers: number[] = [];
      for (const entry of entries) if (typeof entry.value === 'number') numbers.push(entry.value);
      if (numbers.length === 0) return undefined;
      if (rule.type === 'value_sum') return numbers.reduce((sum, number) => sum + number, 0);
      if (rule.type === 'value_avg') return numbers.reduce((sum, number) => sum + number, 0) / numbers.length;
      if (rule.type === 'value_min') return Math.min(...numbers);
      if (rule.type === 'value_max') return Math.max(...numbers);
      numbers.sort((a, b) => a - b);
      const middle = numbers.length >> 1;
      return numbers.length % 2 ? numbers[middle]! : (numbers[middle - 1]! + numbers[middle]!) / 2;
    }
  }
}

/** The alert for a correlation hit. */
export function correlationAlert(hit: CorrelationHit, now = Date.now()): Alert {
  const { rule } = hit;
  return {
    id: newEventId(now),
    unit: hit.unit,
    kind: 'sigma-correlation',
    '@timestamp': new Date(hit.firstTime).toISOString(),
    createdAt: now,
    rule: {
      id: rule.id ?? rule.name ?? rule.title,
      title: rule.title,
      level: rule.level,
      status: rule.status,
      author: rule.author,
      description: rule.description,
      references: rule.references,
      tags: rule.tags,
      path: rule.path,
    },
    eventIds: hit.eventIds,
    event: hit.event,
    groupBy: hit.groupBy,
  };
}
