// The Sigma engine: compiles detection rules (and applies filter rules to them), indexes them
// by Windows channel/event id and by required literals, and matches events. An event is tested
// only against the rules of its logsource bucket whose literal needles occur in it.
import type { EcsEvent } from '../../model/event.ts';
import { AhoCorasick } from './aho-corasick.ts';
import {
  type CompileContext,
  compileDetection,
  type Matcher,
  type Needle,
  type SigmaPlaceholders,
} from './compile-sigma-rule.ts';
import { EventView, FieldSlots, keywordSlot, scalarText } from './event-view.ts';
import {
  defaultFieldPaths,
  type LogSourceMapping,
  logSourceIdentity,
  otherLogSourceMapping,
  productIdentityFields,
  type WindowsChannelFilter,
  windowsCategories,
  windowsServices,
  windowsSystemFields,
} from './logsource-mappings.ts';
import {
  type SigmaDetectionRule,
  type SigmaFilterRule,
  type SigmaLogSource,
  type SigmaRejection,
  type SigmaRule,
  SigmaRuleError,
  type SigmaWarning,
} from './sigma-rule.ts';

export interface CompiledSigmaRule {
  readonly rule: SigmaDetectionRule;
  test: Matcher;
  readonly needles: readonly Needle[] | undefined;
  /** Windows rules: channel filters, or 'any' for every Windows event. Undefined for other products. */
  readonly windows: readonly WindowsChannelFilter[] | 'any' | undefined;
}

export interface SigmaEngineOptions {
  readonly placeholders?: SigmaPlaceholders;
  /** Skip rules whose literal needles are absent from an event (default true; false tests every rule of the bucket). */
  readonly prefilter?: boolean;
}

interface Bucket {
  readonly rules: readonly CompiledSigmaRule[];
  readonly scanners: readonly { readonly slot: number; readonly automaton: AhoCorasick }[];
  /** Per rule: true when it has needles (so it runs only if one was found). */
  readonly gated: readonly boolean[];
  readonly marks: Int32Array;
  epoch: number;
}

const windowsProducts = new Set(['windows']);

function isWindowsLogSource(logsource: SigmaLogSource): boolean {
  if (logsource.product) return windowsProducts.has(logsource.product);
  return (
    (logsource.service !== undefined && Object.hasOwn(windowsServices, logsource.service)) ||
    (logsource.category !== undefined && Object.hasOwn(windowsCategories, logsource.category) && !logsource.service)
  );
}

/**
 * Windows channel filters of a logsource (category ∧ service), or 'any' (`product: windows` and
 * nothing else). A service we have no channel for means the channel of that name (`service: foo`
 * → channel `foo`, case-insensitive); a category we do not know means no event at all.
 */
function windowsFilters(logsource: SigmaLogSource): readonly WindowsChannelFilter[] | 'any' {
  if (logsource.category !== undefined && !Object.hasOwn(windowsCategories, logsource.category)) return [];
  const category = logsource.category ? windowsCategories[logsource.category]?.windows : undefined;
  const serviceChannels =
    logsource.service === undefined
      ? undefined
      : Object.hasOwn(windowsServices, logsource.service)
        ? windowsServices[logsource.service]
        : [logsource.service];
  if (category && serviceChannels) {
    const wanted = new Set(serviceChannels.map((c) => c.toLowerCase()));
    const kept = category.filter((filter) => wanted.has(filter.channel.toLowerCase()));
    return kept.length > 0 ? kept : serviceChannels.map((channel) => ({ channel }));
  }
  if (category) return category;
  if (serviceChannels) return serviceChannels.map((channel) => ({ channel }));
  return 'any';
}

export class SigmaEngine {
  readonly rules: readonly CompiledSigmaRule[];
  readonly rejections: readonly SigmaRejection[];
  /** Rules loaded but held back (unresolved placeholders, a logsource that reaches no event). */
  readonly warnings: readonly SigmaWarning[];
  readonly slots: FieldSlots;
  readonly #view: EventView;
  readonly #windowsByChannel = new Map<
    string,
    { byEventId: Map<string, CompiledSigmaRule[]>; anyEventId: CompiledSigmaRule[] }
  >();
  readonly #windowsAny: CompiledSigmaRule[] = [];
  readonly #other: CompiledSigmaRule[] = [];
  /** Buckets memoised by raw channel then event id. */
  readonly #bucketCache = new Map<string, Map<string, Bucket>>();
  /** Buckets by their rule set (rule indices), so equal rule sets share automata. */
  readonly #bucketsByRules = new Map<string, Bucket>();
  #otherBucket: Bucket | undefined;
  readonly #prefilter: boolean;
  readonly #order = new Map<CompiledSigmaRule, number>();

  private constructor(
    rules: CompiledSigmaRule[],
    rejections: SigmaRejection[],
    warnings: SigmaWarning[],
    slots: FieldSlots,
    prefilter: boolean,
  ) {
    this.#prefilter = prefilter;
    this.rules = rules;
    this.rejections = rejections;
    this.warnings = warnings;
    this.slots = slots;
    for (const [index, rule] of rules.entries()) this.#order.set(rule, index);
    this.#view = new EventView(slots);
    for (const compiled of rules) {
      if (compiled.windows === undefined) this.#other.push(compiled);
      else if (compiled.windows === 'any') this.#windowsAny.push(compiled);
      else {
        for (const filter of compiled.windows) {
          const key = filter.channel.toLowerCase();
          let entry = this.#windowsByChannel.get(key);
          if (!entry) {
            entry = { byEventId: new Map(), anyEventId: [] };
            this.#windowsByChannel.set(key, entry);
          }
          if (!filter.eventIds) entry.anyEventId.push(compiled);
          else
            for (const eventId of filter.eventIds) {
              const list = entry.byEventId.get(String(eventId)) ?? [];
              if (!list.includes(compiled)) list.push(compiled);
              entry.byEventId.set(String(eventId), list);
            }
        }
      }
    }
  }

  /**
   * Compile rules; rules that cannot be compiled come back as rejections (with file:line), rules
   * that load but cannot fire yet (placeholders without values, an unmapped Windows category) as
   * warnings.
   */
  static build(rules: readonly SigmaRule[], options: SigmaEngineOptions = {}): SigmaEngine {
    const steps = SigmaEngine.#steps(rules, options);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /**
   * The same as build, for a running node: compiling thousands of rules takes a few hundred
   * milliseconds, so the work is cut into slices of about `sliceMs`, with the event loop free in
   * between (ingest, API requests and timers keep going while the rules reload).
   */
  static async buildInSlices(
    rules: readonly SigmaRule[],
    options: SigmaEngineOptions = {},
    sliceMs = 10,
  ): Promise<SigmaEngine> {
    const steps = SigmaEngine.#steps(rules, options);
    let sliceStarted = performance.now();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      if (performance.now() - sliceStarted >= sliceMs) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStarted = performance.now();
      }
    }
  }

  /** Compiles one rule (or applies one filter) per step; the last step returns the engine. */
  static *#steps(rules: readonly SigmaRule[], options: SigmaEngineOptions): Generator<void, SigmaEngine> {
    const slots = new FieldSlots();
    const compiled: CompiledSigmaRule[] = [];
    const rejections: SigmaRejection[] = [];
    const warnings: SigmaWarning[] = [];
    const warn = (rule: SigmaRule, reason: string): void => {
      warnings.push({ path: rule.path, line: rule.line, reason, ruleId: rule.id, title: rule.title });
    };
    const warnPlaceholders = (rule: SigmaRule, names: readonly string[]): void => {
      if (names.length > 0) warn(rule, `needs placeholder values: ${names.map((name) => `%${name}%`).join(', ')}`);
    };
    const reject = (rule: SigmaRule, error: unknown): void => {
      rejections.push({
        path: rule.path,
        line: error instanceof SigmaRuleError ? error.line : rule.line,
        reason: (error as Error).message,
        ruleId: rule.id,
        title: rule.title,
      });
    };
    const filters: SigmaFilterRule[] = [];
    for (const rule of rules) {
      if (rule.kind === 'filter') {
        filters.push(rule);
        continue;
      }
      if (rule.kind !== 'detection') continue;
      try {
        const windows = isWindowsLogSource(rule.logsource);
        const context = compileContext(rule.logsource, windows, slots, options.placeholders);
        const detection = compileDetection(rule.detection, context);
        let test = detection.test;
        if (!windows) {
          const guard = guardFor(rule.logsource, slots);
          if (guard) {
            const inner = test;
            test = (view) => guard(view) && inner(view);
          }
        }
        const filters = windows ? windowsFilters(rule.logsource) : undefined;
        warnPlaceholders(rule, detection.unresolvedPlaceholders);
        if (filters !== undefined && filters !== 'any' && filters.length === 0) {
          warn(
            rule,
            `logsource category '${rule.logsource.category}' is not mapped for Windows: the rule matches no event`,
          );
        }
        compiled.push({ rule, test, needles: detection.needles, windows: filters });
      } catch (error) {
        reject(rule, error);
      }
      yield;
    }
    const byReference = new Map<string, CompiledSigmaRule[]>();
    for (const entry of compiled) {
      for (const key of [entry.rule.id, entry.rule.name, entry.rule.title]) {
        if (!key) continue;
        const list = byReference.get(key) ?? [];
        list.push(entry);
        byReference.set(key, list);
      }
    }
    for (const filter of filters) {
      try {
        const windows = isWindowsLogSource(filter.logsource);
        const filterDetection = compileDetection(
          filter.detection,
          compileContext(filter.logsource, windows, slots, options.placeholders),
        );
        warnPlaceholders(filter, filterDetection.unresolvedPlaceholders);
        const condition = filterDetection.test;
        for (const reference of filter.rules) {
          for (const target of byReference.get(reference) ?? []) {
            const inner = target.test;
            target.test = (view) => inner(view) && condition(view);
          }
        }
      } catch (error) {
        reject(filter, error);
      }
      yield;
    }
    return new SigmaEngine(compiled, rejections, warnings, slots, options.prefilter ?? true);
  }

  /** Match one event; calls onMatch for each rule that matches. Returns the number of matches. */
  match(event: EcsEvent, onMatch: (rule: CompiledSigmaRule) => void): number {
    const view = this.#view;
    view.reset(event);
    const bucket = this.#bucketFor(event);
    if (bucket.rules.length === 0) return 0;
    const epoch = ++bucket.epoch;
    const marks = bucket.marks;
    for (const scanner of bucket.scanners) {
      if (scanner.slot === keywordSlot) {
        // Needles never contain the separator of keyword texts, so each text is scanned on its own.
        for (const text of view.keywordTexts()) scanner.automaton.mark(text, marks, epoch);
        continue;
      }
      const text = view.lower(scanner.slot);
      if (text !== undefined) scanner.automaton.mark(text, marks, epoch);
      else {
        const raw = view.raw(scanner.slot);
        if (Array.isArray(raw))
          for (const element of raw) {
            const elementText = scalarText(element);
            if (elementText !== undefined) scanner.automaton.mark(elementText.toLowerCase(), marks, epoch);
          }
      }
    }
    let matches = 0;
    const rules = bucket.rules;
    const gated = bucket.gated;
    for (let index = 0; index < rules.length; index++) {
      if (gated[index] && marks[index] !== epoch) continue;
      const rule = rules[index] as CompiledSigmaRule;
      if (rule.test(view)) {
        matches++;
        onMatch(rule);
      }
    }
    return matches;
  }

  #bucketFor(event: EcsEvent): Bucket {
    const winlog = event.winlog;
    const channel =
      typeof winlog === 'object' && winlog !== null && !Array.isArray(winlog) ? winlog.channel : undefined;
    if (typeof channel !== 'string') return this.#bucketForKey(undefined, '');
    const rawEventId = (winlog as Record<string, unknown>).event_id;
    const eventId = typeof rawEventId === 'string' ? rawEventId : String(rawEventId ?? '');
    return this.#bucketForKey(channel, eventId);
  }

  /** The (channel, event id) pairs this engine has built rule buckets for; no channel = other events. */
  bucketKeys(): { channel?: string; eventId: string }[] {
    const keys: { channel?: string; eventId: string }[] = [];
    if (this.#otherBucket) keys.push({ eventId: '' });
    for (const [channel, byEventId] of this.#bucketCache) {
      for (const eventId of byEventId.keys()) keys.push({ channel, eventId });
    }
    return keys;
  }

  /**
   * Builds the rule buckets (and their prefilter automata) for these keys before any event asks
   * for them, a bucket at a time with the event loop free in between: a reloaded rule set warmed
   * with the previous one's keys does not stall the first batches after the swap.
   */
  async warm(keys: readonly { channel?: string; eventId: string }[], sliceMs = 10): Promise<void> {
    let sliceStarted = performance.now();
    const pause = async (): Promise<void> => {
      if (performance.now() - sliceStarted < sliceMs) return;
      await new Promise((resolve) => setImmediate(resolve));
      sliceStarted = performance.now();
    };
    for (const key of keys) {
      // The automata are built one at a time (an event arriving in between builds what it needs).
      const bucket = this.#bucketForKey(key.channel, key.eventId, false);
      await pause();
      for (const scanner of bucket.scanners) {
        if (scanner.automaton.built) continue;
        scanner.automaton.build();
        await pause();
      }
    }
  }

  #bucketForKey(channel: string | undefined, eventId: string, buildAutomata = true): Bucket {
    if (channel === undefined) {
      this.#otherBucket ??= makeBucket(this.#other, this.#prefilter, buildAutomata);
      return this.#otherBucket;
    }
    let byEventId = this.#bucketCache.get(channel);
    if (!byEventId) {
      byEventId = new Map();
      this.#bucketCache.set(channel, byEventId);
    }
    let bucket = byEventId.get(eventId);
    if (!bucket) {
      const entry = this.#windowsByChannel.get(channel.toLowerCase());
      const rules = new Set<CompiledSigmaRule>([
        ...(entry?.byEventId.get(eventId) ?? []),
        ...(entry?.anyEventId ?? []),
        ...this.#windowsAny,
      ]);
      const sorted = [...rules].sort((a, b) => (this.#order.get(a) as number) - (this.#order.get(b) as number));
      // Event ids no rule names specifically share one bucket (and its automata) per rule set.
      const key = sorted.map((rule) => this.#order.get(rule)).join(',');
      bucket = this.#bucketsByRules.get(key);
      if (!bucket) {
        bucket = makeBucket(sorted, this.#prefilter, buildAutomata);
        this.#bucketsByRules.set(key, bucket);
      }
      byEventId.set(eventId, bucket);
    }
    return bucket;
  }
}

/** Needles are cut to this many characters for the prefilter automata. */
const maxNeedleLength = 12;

/** A bucket of rules with their prefilter automata (built now, or by their first scan). */
function makeBucket(rules: readonly CompiledSigmaRule[], prefilter: boolean, buildAutomata: boolean): Bucket {
  const automata = new Map<number, AhoCorasick>();
  const gated: boolean[] = [];
  rules.forEach((rule, index) => {
    gated.push(prefilter && rule.needles !== undefined);
    if (!prefilter) return;
    for (const needle of rule.needles ?? []) {
      let automaton = automata.get(needle.slot);
      if (!automaton) {
        automaton = new AhoCorasick();
        automata.set(needle.slot, automaton);
      }
      // A needle's prefix occurring is necessary too; long needles (hashes, paths) only grow the table.
      automaton.add(needle.text.slice(0, maxNeedleLength), index);
    }
  });
  const scanners = [...automata].map(([slot, automaton]) => {
    if (buildAutomata) automaton.build();
    return { slot, automaton };
  });
  return { rules, scanners, gated, marks: new Int32Array(rules.length), epoch: 0 };
}

function compileContext(
  logsource: SigmaLogSource,
  windows: boolean,
  slots: FieldSlots,
  placeholders: SigmaPlaceholders | undefined,
): CompileContext {
  if (windows) {
    const category = logsource.category ? windowsCategories[logsource.category] : undefined;
    return {
      slots,
      placeholders,
      resolveField: (field) =>
        category?.fields?.[field] ??
        windowsSystemFields[field] ?? [`winlog.event_data.${field}`, `winlog.user_data.${field}`, field],
    };
  }
  const mapping: LogSourceMapping | undefined = otherLogSourceMapping(
    logsource.product,
    logsource.category,
    logsource.service,
  );
  return {
    slots,
    placeholders,
    resolveField: (field) => mapping?.fields?.[field] ?? defaultFieldPaths(field, logsource.product, logsource.service),
  };
}

/**
 * Non-Windows rules only run on events of their logsource (never on Windows events, which go to
 * the channel buckets): a mapped logsource needs one of its key fields (Zeek: the service's
 * `zeek.<service>` object); an unmapped one needs an event that names its product (see
 * `productIdentityFields`). Only a rule with an empty logsource runs on every non-Windows event.
 */
function guardFor(logsource: SigmaLogSource, slots: FieldSlots): Matcher | undefined {
  const mapping = otherLogSourceMapping(logsource.product, logsource.category, logsource.service);
  const required =
    mapping?.serviceNamespace && logsource.service
      ? [`${mapping.serviceNamespace}.${logsource.service}`]
      : mapping?.requireAny;
  if (required) {
    const slotIds = required.map((path) => slots.slot([path]));
    return (view) => {
      for (const slot of slotIds) if (view.raw(slot) !== undefined) return true;
      return false;
    };
  }
  const names = logSourceIdentity(logsource.product, logsource.category, logsource.service);
  if (names.length === 0) return undefined;
  const wanted = new Set(names);
  const identitySlots = productIdentityFields.map((path) => slots.slot([path]));
  const datasetSlot = slots.slot(['event.dataset']);
  const namespaceSlots = names.map((name) => slots.slot([name]));
  return (view) => {
    for (const slot of namespaceSlots) {
      const value = view.raw(slot);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return true;
    }
    for (const slot of identitySlots) {
      const text = view.lower(slot);
      if (text !== undefined && wanted.has(text)) return true;
    }
    const dataset = view.lower(datasetSlot);
    return dataset !== undefined && wanted.has(dataset.split('.')[0] as string);
  };
}
