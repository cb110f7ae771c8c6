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
}

function fieldPath(dotted: string): FieldPath {
  const keys = dotted.split('.');
  return {
    keys,
    rests: keys.map((_, index) => keys.slice(index).join('.')),
    inherited: keys.map((key) => key in Object.prototype),
  };
}

export class FieldSlots {
  readonly paths: (readonly FieldPath[])[] = [];
  readonly names: string[] = [];
  readonly #byKey = new Map<string, number>();

  /** Slot for a list of candidate dotted paths (the first one present in an event wins). */
  slot(candidates: readonly string[]): number {
    const key = candidates.join('\u0000');
    let slot = this.#byKey.get(key);
    if (slot === undefined) {
      slot = this.paths.length;
      this.paths.push(candidates.map(fieldPath));
      this.names.push(candidates.join('|'));
      this.#byKey.set(key, slot);
    }
    return slot;
  }
}

function own(container: Record<string, unknown>, key: string, inherited: boolean): unknown {
  const value = container[key];
  if (value === undefined || !inherited) return value;
  return Object.hasOwn(container, key) ? value : undefined;
}

function resolvePath(event: Record<string, unknown>, path: FieldPath): unknown {
  const { keys, rests, inherited } = path;
  const last = keys.length - 1;
  let current: unknown = event;
  for (let index = 0; index <= last; index++) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    const container = current as Record<string, unknown>;
    const next = own(container, keys[index] as string, inherited[index] as boolean);
    if (next === undefined) {
      // Keys that themselves contain dots ("Initiated.By", flat documents).
      return index < last ? own(container, rests[index] as string, true) : undefined;
    }
    current = next;
  }
  return current;
}

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
      value = resolvePath(this.event as Record<string, unknown>, path);
      if (value !== undefined) break;
    }
    this.#rawStamp[slot] = this.#epoch;
    this.#raw[slot] = value === undefined ? absent : value;
    return value;
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
        collectStrings(event, texts, 0);
      }
      this.#keywordOriginal = texts;
      this.#keywordTexts = texts.map((text) => text.toLowerCase());
      this.#keywordStamp = this.#epoch;
    }
    return cased ? this.#keywordOriginal : this.#keywordTexts;
  }
}

function collectStrings(value: unknown, into: string[], depth: number): void {
  if (depth > 32) return;
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const entry of value) collectStrings(entry, into, depth + 1);
  else if (typeof value === 'object' && value !== null) {
    for (const key in value) {
      if (key === 'unit' && depth === 0) continue;
      collectStrings((value as Record<string, unknown>)[key], into, depth + 1);
    }
  }
}
