// Per-event field access for compiled rules: each distinct field (a list of candidate ECS paths
// after mapping) gets a slot; a slot's value and its lower-cased text are resolved at most once
// per event, so a thousand rules testing `Image` read and lower-case it once.
import type { EcsEvent } from '../../model/event.ts';

/** A dotted path, split once, with what resolving it needs precomputed (no allocation per event). */
export interface FieldPath {
  readonly keys: readonly string[];
  /** keys.slice(index).join('.'): a flat key holding the rest of the path ("Initiated.By"). */
  readonly rests: readonly string[];
  /** Keys that name an Object.prototype member ("constructor"): only own properties count. */
  readonly inherited: readonly boolean[];
  /** Id of the path without its last key (shared by e.g. every `winlog.event_data.*`), or -1. */
  readonly prefix: number;
}

export class FieldSlots {
  readonly paths: (readonly FieldPath[])[] = [];
  readonly names: string[] = [];
  /** Number of distinct path prefixes (EventView resolves each at most once per event). */
  prefixes = 0;
  readonly #byKey = new Map<string, number>();
  readonly #prefixIds = new Map<string, number>();

  /** Slot for a list of candidate dotted paths (the first one present in an event wins). */
  slot(candidates: readonly string[]): number {
    const key = candidates.join('\u0000');
    let slot = this.#byKey.get(key);
    if (slot === undefined) {
      slot = this.paths.length;
      this.paths.push(candidates.map((candidate) => this.#fieldPath(candidate)));
      this.names.push(candidates.join('|'));
      this.#byKey.set(key, slot);
    }
    return slot;
  }

  #fieldPath(dotted: string): FieldPath {
    const keys = dotted.split('.');
    let prefix = -1;
    if (keys.length > 1) {
      const prefixKey = keys.slice(0, -1).join('.');
      prefix = this.#prefixIds.get(prefixKey) ?? this.prefixes++;
      this.#prefixIds.set(prefixKey, prefix);
    }
    return {
      keys,
      rests: keys.map((_, index) => keys.slice(index).join('.')),
      inherited: keys.map((name) => name in Object.prototype),
      prefix,
    };
  }
}

function own(container: Record<string, unknown>, key: string, inherited: boolean): unknown {
  const value = container[key];
  if (value === undefined || !inherited) return value;
  return Object.hasOwn(container, key) ? value : undefined;
}

function isContainer(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How a path prefix resolved in the current event. */
const prefixFound = -1;
const prefixBlocked = -2;

/** Text of a scalar as rules compare it; undefined for absent, null, objects and arrays. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

const absent = Symbol('absent');

/** Pseudo-slot of keyword needles: they are looked for in the event's keyword haystack. */
export const keywordSlot = -1;

export class EventView {
  event: EcsEvent = { '@timestamp': '', unit: '' };
  readonly #slots: FieldSlots;
  #epoch = 0;
  #rawStamp: number[] = [];
  #raw: unknown[] = [];
  #lowerStamp: number[] = [];
  #lower: (string | undefined)[] = [];
  #prefixStamp: number[] = [];
  /** prefixFound, prefixBlocked (a non-object on the way), or the level of the first missing key. */
  #prefixState: number[] = [];
  /** The prefix's object when found; the object missing the key otherwise. */
  #prefixContainer: (Record<string, unknown> | undefined)[] = [];
  #keywordStamp = -1;
  #keywordTexts: string[] = [];
  #keywordOriginal: string[] = [];

  constructor(slots: FieldSlots) {
    this.#slots = slots;
  }

  reset(event: EcsEvent): void {
    this.event = event;
    this.#epoch++;
  }

  /** The raw value of a slot; undefined when no candidate path is present. */
  raw(slot: number): unknown {
    if (this.#rawStamp[slot] === this.#epoch) {
      const cached = this.#raw[slot];
      return cached === absent ? undefined : cached;
    }
    const candidates = this.#slots.paths[slot] as readonly FieldPath[];
    let value: unknown;
    for (const path of candidates) {
      value = this.#resolve(path);
      if (value !== undefined) break;
    }
    this.#rawStamp[slot] = this.#epoch;
    this.#raw[slot] = value === undefined ? absent : value;
    return value;
  }

  /**
   * A path's value: nested keys, or at the first missing key a flat key holding the rest of the
   * path ("Initiated.By", flat documents). The part before the last key is resolved once per
   * event for all paths that share it.
   */
  #resolve(path: FieldPath): unknown {
    const event = this.event as Record<string, unknown>;
    const { keys, inherited } = path;
    const prefix = path.prefix;
    if (prefix < 0) return own(event, keys[0] as string, inherited[0] as boolean);
    if (this.#prefixStamp[prefix] !== this.#epoch) this.#resolvePrefix(path);
    const state = this.#prefixState[prefix] as number;
    const container = this.#prefixContainer[prefix];
    const last = keys.length - 1;
    if (state === prefixFound)
      return own(container as Record<string, unknown>, keys[last] as string, inherited[last] as boolean);
    if (state === prefixBlocked) return undefined;
    return own(container as Record<string, unknown>, path.rests[state] as string, true);
  }

  #resolvePrefix(path: FieldPath): void {
    const { keys, inherited, prefix } = path;
    let current: unknown = this.event;
    let state = prefixFound;
    let container: Record<string, unknown> | undefined;
    for (let index = 0; index < keys.length - 1; index++) {
      if (!isContainer(current)) {
        state = prefixBlocked;
        break;
      }
      const next = own(current, keys[index] as string, inherited[index] as boolean);
      if (next === undefined) {
        state = index;
        container = current;
        break;
      }
      current = next;
    }
    if (state === prefixFound) {
      if (isContainer(current)) container = current;
      else state = prefixBlocked;
    }
    this.#prefixStamp[prefix] = this.#epoch;
    this.#prefixState[prefix] = state;
    this.#prefixContainer[prefix] = container;
  }

  /** Original text of a scalar slot value. */
  text(slot: number): string | undefined {
    return scalarText(this.raw(slot));
  }

  /** Lower-cased text of a scalar slot value (cached per event). */
  lower(slot: number): string | undefined {
    if (this.#lowerStamp[slot] === this.#epoch) return this.#lower[slot];
    const text = scalarText(this.raw(slot));
    const lowered = text === undefined ? undefined : text.toLowerCase();
    this.#lowerStamp[slot] = this.#epoch;
    this.#lower[slot] = lowered;
    return lowered;
  }

  /**
   * String values a keyword search looks at (cached per event), lower-cased unless `cased`:
   * `message`, `event.original`, and every string under `winlog.event_data` / `winlog.user_data`
   * for Windows events, or every string value of the event otherwise.
   */
  keywordTexts(cased = false): readonly string[] {
    if (this.#keywordStamp !== this.#epoch) {
      const texts: string[] = [];
      const event = this.event as Record<string, unknown>;
      const winlog = event.winlog;
      if (typeof winlog === 'object' && winlog !== null && !Array.isArray(winlog)) {
        if (typeof event.message === 'string') texts.push(event.message);
        const original = (event.event as Record<string, unknown> | undefined)?.original;
        if (typeof original === 'string') texts.push(original);
        const record = winlog as Record<string, unknown>;
        collectStrings(record.event_data, texts, 1);
        collectStrings(record.user_data, texts, 1);
      } else {
        // The log's own content, not the labels Vigil adds while parsing: `log.level:
        // informational` holds "format", `log.file.path` the reader's folder names, `event.*`
        // enumerations words like "delete"; keywords ("erase", "format") must not match those.
        for (const key in event) {
          if (keywordSkippedKeys.has(key)) continue;
          const value = event[key];
          if (key === 'event' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
            for (const kept of keywordEventKeys) collectStrings((value as Record<string, unknown>)[kept], texts, 1);
          } else collectStrings(value, texts, 1);
        }
      }
      this.#keywordOriginal = texts;
      this.#keywordTexts = texts.map((text) => text.toLowerCase());
      this.#keywordStamp = this.#epoch;
    }
    return cased ? this.#keywordOriginal : this.#keywordTexts;
  }
}

/** Top-level keys of non-Windows events that are Vigil's bookkeeping, not log content. */
const keywordSkippedKeys = new Set(['unit', '@timestamp', 'log', 'labels', 'related', 'ecs']);
/** Of `event.*`, only the original record and a stated reason are content. */
const keywordEventKeys = ['original', 'reason'] as const;

function collectStrings(value: unknown, into: string[], depth: number): void {
  if (depth > 32) return;
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const entry of value) collectStrings(entry, into, depth + 1);
  else if (typeof value === 'object' && value !== null) {
    for (const key in value) {
      collectStrings((value as Record<string, unknown>)[key], into, depth + 1);
    }
  }
}
