// The threat intelligence a node has loaded: one entry per source (feed file, API import) with
// what it contributed, the live indicator index the pipeline matches against, and a sorted list
// for searching by value prefix. Adding a source takes effect on the next batch.
import type { IndicatorView, IntelSourceSummary } from '../../model/console-api.ts';
import { classifyValue, type Indicator, type IndicatorType } from './indicator.ts';
import { IndicatorIndex } from './indicator-index.ts';
import { type IntelImport, importIntel } from './intel-import.ts';

export interface IntelAddResult {
  readonly source: string;
  readonly format: IntelImport['format'];
  readonly indicators: number;
  /** Indicators not already known from this source (the ones a retro-match needs). */
  readonly added: readonly Indicator[];
  readonly skipped: IntelImport['skipped'];
}

export interface IndicatorSearch {
  /** Value prefix (case-insensitive). */
  readonly prefix?: string;
  readonly type?: IndicatorType;
  readonly source?: string;
  readonly limit: number;
  readonly offset: number;
}

const keyOf = (indicator: Indicator): string => `${indicator.source}\u0000${indicator.type}\u0000${indicator.value}`;

export class IntelCatalog {
  #current = new IndicatorIndex();
  /**
   * The live index, stable for everyone holding it (the pipeline's detector, the analyst's tools)
   * while a feed replacement swaps the index behind it.
   */
  readonly index: IndicatorIndex = new Proxy(this.#current, {
    get: (_target, property) => {
      const current = this.#current;
      const value = Reflect.get(current, property, current) as unknown;
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
  readonly #sources = new Map<string, IntelSourceSummary>();
  readonly #known = new Set<string>(); // source \0 type \0 value
  #all: Indicator[] = [];
  #sorted = true;

  /** Import a feed's text (STIX, MISP, IOC list) as a source; never throws on bad content. */
  addText(content: string, source: string, origin: string, now = Date.now()): IntelAddResult {
    return this.add(importIntel(content, source), source, origin, now);
  }

  add(imported: IntelImport, source: string, origin: string, now = Date.now()): IntelAddResult {
    const added: Indicator[] = [];
    for (const indicator of imported.indicators) {
      const key = keyOf(indicator);
      if (this.#known.has(key)) continue;
      this.#known.add(key);
      added.push(indicator);
    }
    this.index.add(added);
    if (added.length > 0) {
      this.#all.push(...added);
      this.#sorted = false;
    }
    const previous = this.#sources.get(source);
    const byType: Record<string, number> = { ...(previous?.byType ?? {}) };
    for (const indicator of added) byType[indicator.type] = (byType[indicator.type] ?? 0) + 1;
    this.#sources.set(source, {
      source,
      format: imported.format,
      indicators: (previous?.indicators ?? 0) + added.length,
      byType,
      skipped: (previous?.skipped ?? 0) + imported.skipped.length,
      importedAt: now,
      origin: previous?.origin ?? origin,
    });
    return {
      source,
      format: imported.format,
      indicators: imported.indicators.length,
      added,
      skipped: imported.skipped,
    };
  }

  /**
   * A new version of a source: its indicators become exactly the imported ones (dropped entries
   * stop matching). `added` are the ones the source did not have before.
   */
  replace(
    imported: IntelImport,
    source: string,
    origin: string,
    now = Date.now(),
  ): IntelAddResult & { removed: number } {
    const before = new Set(this.#all.filter((indicator) => indicator.source === source).map(keyOf));
    const fresh = new Map<string, Indicator>();
    for (const indicator of imported.indicators)
      if (!fresh.has(keyOf(indicator))) fresh.set(keyOf(indicator), indicator);
    const added = [...fresh].filter(([key]) => !before.has(key)).map(([, indicator]) => indicator);
    const removed = [...before].filter((key) => !fresh.has(key)).length;
    for (const key of before) this.#known.delete(key);
    for (const key of fresh.keys()) this.#known.add(key);
    this.#all = [...this.#all.filter((indicator) => indicator.source !== source), ...fresh.values()];
    this.#sorted = false;
    const index = new IndicatorIndex();
    index.add(this.#all);
    this.#current = index;
    const byType: Record<string, number> = {};
    for (const indicator of fresh.values()) byType[indicator.type] = (byType[indicator.type] ?? 0) + 1;
    this.#sources.set(source, {
      source,
      format: imported.format,
      indicators: fresh.size,
      byType,
      skipped: imported.skipped.length,
      importedAt: now,
      origin: this.#sources.get(source)?.origin ?? origin,
    });
    return {
      source,
      format: imported.format,
      indicators: imported.indicators.length,
      added,
      skipped: imported.skipped,
      removed,
    };
  }

  get size(): number {
    return this.#all.length;
  }

  sources(): IntelSourceSummary[] {
    return [...this.#sources.values()].sort((a, b) => a.source.localeCompare(b.source));
  }

  /** Indicators ordered by value; prefix search by binary search, then a short walk. */
  search(query: IndicatorSearch): { indicators: Indicator[]; total: number } {
    if (!this.#sorted) {
      const key = (indicator: Indicator) => indicator.value.toLowerCase();
      this.#all.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
      this.#sorted = true;
    }
    const prefix = query.prefix?.trim().toLowerCase() ?? '';
    let start = 0;
    if (prefix) {
      let low = 0;
      let high = this.#all.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if ((this.#all[middle] as Indicator).value.toLowerCase() < prefix) low = middle + 1;
        else high = middle;
      }
      start = low;
    }
    const matches: Indicator[] = [];
    let total = 0;
    for (let position = start; position < this.#all.length; position++) {
      const indicator = this.#all[position] as Indicator;
      if (prefix && !indicator.value.toLowerCase().startsWith(prefix)) break;
      if (query.type && indicator.type !== query.type) continue;
      if (query.source && indicator.source !== query.source) continue;
      if (total >= query.offset && matches.length < query.limit) matches.push(indicator);
      total++;
    }
    return { indicators: matches, total };
  }
}

/** Source names become file names in the data directory. */
export const intelSourcePattern = '^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$';
/** Suffix of feed files kept in DATA/intel (the source name is the file name without it). */
export const intelFileSuffix = '.intel';

export function indicatorView(indicator: Indicator): IndicatorView {
  return {
    type: indicator.type,
    value: indicator.value,
    source: indicator.source,
    confidence: indicator.confidence,
    ...(indicator.threatName ? { threatName: indicator.threatName } : {}),
    ...(indicator.description ? { description: indicator.description } : {}),
    ...(indicator.validUntil ? { validUntil: indicator.validUntil } : {}),
    ...(indicator.tags?.length ? { tags: indicator.tags } : {}),
  };
}

/** Indicators matching one observed value (the type guessed from its shape). */
export function lookupValue(index: IndicatorIndex, value: string): { type?: string; indicators: Indicator[] } {
  const classified = classifyValue(value);
  if (!classified) return { indicators: [] };
  if (classified.type === 'cidr') return { type: 'cidr', indicators: [] };
  const indicators = index.match(classified.type, classified.value);
  // A file name looks like a domain ("invoice.exe"): try both.
  if (indicators.length === 0 && classified.type === 'domain')
    return { type: 'filename', indicators: index.match('filename', classified.value) };
  return { type: classified.type, indicators };
}
