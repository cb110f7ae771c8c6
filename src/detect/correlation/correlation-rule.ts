// Sigma correlation meta-rules (specification v2): the rule model and its validation.
// A correlation refers to base rules (or other correlations) by id or name and says when their
// matches, grouped by fields within a sliding timespan, amount to a detection.
import type { AlertLevel } from '../../model/alert.ts';

export const correlationTypes = [
  'event_count',
  'value_count',
  'temporal',
  'temporal_ordered',
  'value_sum',
  'value_avg',
  'value_min',
  'value_max',
  'value_median',
  'value_percentile',
] as const;
export type CorrelationType = (typeof correlationTypes)[number];

/** Types that aggregate the values of `condition.field`. */
const fieldTypes = new Set<CorrelationType>([
  'value_count',
  'value_sum',
  'value_avg',
  'value_min',
  'value_max',
  'value_median',
  'value_percentile',
]);

export interface CorrelationCondition {
  readonly gt?: number;
  readonly gte?: number;
  readonly lt?: number;
  readonly lte?: number;
  readonly eq?: number;
  /** The field aggregated by value_* types (several fields: their values are combined). */
  readonly field?: readonly string[];
}

export interface CorrelationRule {
  readonly id?: string;
  readonly name?: string;
  readonly title: string;
  readonly type: CorrelationType;
  /** Referenced rules, by id or name, in the order given (the order matters for temporal_ordered). */
  readonly rules: readonly string[];
  readonly groupBy: readonly string[];
  readonly timespanMs: number;
  readonly condition: CorrelationCondition;
  /** alias → (rule name or id → field in that rule's events). */
  readonly aliases: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly generate: boolean;
  readonly level: AlertLevel;
  readonly status?: string;
  readonly author?: string;
  readonly description?: string;
  readonly references?: readonly string[];
  readonly tags?: readonly string[];
  readonly path?: string;
}

export class CorrelationRuleError extends Error {
  readonly location: string;
  constructor(location: string, message: string) {
    super(`${location}: ${message}`);
    this.name = 'CorrelationRuleError';
    this.location = location;
  }
}

const timespanUnits: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const levels = new Set(['informational', 'low', 'medium', 'high', 'critical']);

/** "90m" → 5,400,000 ms; undefined for anything else. */
export function parseTimespan(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const match = /^([1-9]\d{0,6})([smhdw])$/.exec(text.trim());
  return match ? Number(match[1]) * timespanUnits[match[2]!]! : undefined;
}

function strings(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  return undefined;
}

/**
 * Validate one YAML document that has a `correlation:` section. `location` is "file:line" for
 * error messages. Throws CorrelationRuleError naming the location and the violated requirement.
 */
export function parseCorrelationRule(document: Record<string, unknown>, location: string): CorrelationRule {
  const fail = (message: string): never => {
    throw new CorrelationRuleError(location, message);
  };
  const section = document.correlation;
  if (typeof section !== 'object' || section === null || Array.isArray(section)) fail('correlation must be a map');
  const correlation = section as Record<string, unknown>;
  if (typeof document.title !== 'string' || !document.title) fail('title is mandatory');
  const type = correlation.type as CorrelationType;
  if (!correlationTypes.includes(type)) fail(`correlation type must be one of ${correlationTypes.join(', ')}`);
  const rules = strings(correlation.rules);
  if (!rules || rules.length === 0) fail('correlation rules must list at least one rule id or name');
  const timespanMs = parseTimespan(correlation.timespan);
  if (timespanMs === undefined)
    fail(`timespan must be a number and a unit s/m/h/d (e.g. 5m), got ${JSON.stringify(correlation.timespan)}`);
  const groupBy = correlation['group-by'] === undefined ? [] : strings(correlation['group-by']);
  if (!groupBy) fail('group-by must be a list of field names');
  if (
    (type === 'temporal' || type === 'temporal_ordered') &&
    rules!.length < 2 &&
    correlation.condition === undefined
  ) {
    fail(`${type} needs at least two rules`);
  }

  const rawCondition = correlation.condition;
  let condition: CorrelationCondition = {};
  if (rawCondition !== undefined) {
    if (typeof rawCondition !== 'object' || rawCondition === null || Array.isArray(rawCondition))
      fail('condition must be a map');
    const entries = rawCondition as Record<string, unknown>;
    const result: { -readonly [K in keyof CorrelationCondition]: CorrelationCondition[K] } = {};
    for (const [key, value] of Object.entries(entries)) {
      if (key === 'field') {
        const fields = strings(value);
        if (!fields || fields.length === 0) fail('condition field must be a field name or a list of names');
        result.field = fields;
      } else if (key === 'gt' || key === 'gte' || key === 'lt' || key === 'lte' || key === 'eq') {
        if (typeof value !== 'number' || !Number.isFinite(value)) fail(`condition ${key} must be a number`);
        result[key] = value as number;
      } else fail(`unknown condition key '${key}' (allowed: gt, gte, lt, lte, eq, field)`);
    }
    condition = result;
  }
  const bounds = ['gt', 'gte', 'lt', 'lte', 'eq'].filter((key) => key in condition);
  if (bounds.length === 0) {
    // temporal types default to "all referenced rules"; the others must say what counts.
    if (type === 'temporal' || type === 'temporal_ordered') condition = { ...condition, gte: rules!.length };
    else fail(`${type} needs a condition with gt, gte, lt, lte or eq`);
  }
  if (fieldTypes.has(type) && !condition.field) fail(`${type} needs condition.field`);
  if (!fieldTypes.has(type) && condition.field) fail(`${type} does not take condition.field`);
  if (type === 'value_percentile') {
    for (const key of bounds) {
      const bound = condition[key as 'gt'];
      if (bound !== undefined && (bound < 0 || bound > 100))
        fail('value_percentile bounds are percentages from 0 to 100');
    }
  }

  const aliases: Record<string, Record<string, string>> = {};
  if (correlation.aliases !== undefined) {
    if (typeof correlation.aliases !== 'object' || correlation.aliases === null) fail('aliases must be a map');
    for (const [alias, mapping] of Object.entries(correlation.aliases as Record<string, unknown>)) {
      if (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping))
        fail(`alias ${alias} must map rule names to fields`);
      const fields: Record<string, string> = {};
      for (const [rule, field] of Object.entries(mapping as Record<string, unknown>)) {
        if (typeof field !== 'string') fail(`alias ${alias}: field for ${rule} must be a string`);
        if (!rules!.includes(rule))
          fail(`alias ${alias} names rule '${rule}', which the correlation does not reference`);
        fields[rule] = field as string;
      }
      aliases[alias] = fields;
    }
  }
  const level = document.level ?? 'medium';
  if (typeof level !== 'string' || !levels.has(level)) fail(`level must be one of ${[...levels].join(', ')}`);
  if (correlation.generate !== undefined && typeof correlation.generate !== 'boolean')
    fail('generate must be true or false');
  const generate = (correlation.generate ?? document.generate ?? false) === true;

  return {
    id: typeof document.id === 'string' ? document.id : undefined,
    name: typeof document.name === 'string' ? document.name : undefined,
    title: document.title as string,
    type,
    rules: rules!,
    groupBy: groupBy!,
    timespanMs: timespanMs!,
    condition,
    aliases,
    generate,
    level: level as AlertLevel,
    status: typeof document.status === 'string' ? document.status : undefined,
    author: typeof document.author === 'string' ? document.author : undefined,
    description: typeof document.description === 'string' ? document.description : undefined,
    references: strings(document.references),
    tags: strings(document.tags),
  };
}

/** Whether a value satisfies every bound of the condition. */
export function conditionHolds(condition: CorrelationCondition, value: number): boolean {
  if (condition.gt !== undefined && !(value > condition.gt)) return false;
  if (condition.gte !== undefined && !(value >= condition.gte)) return false;
  if (condition.lt !== undefined && !(value < condition.lt)) return false;
  if (condition.lte !== undefined && !(value <= condition.lte)) return false;
  if (condition.eq !== undefined && value !== condition.eq) return false;
  return true;
}

/** Aggregates that can only grow as matches arrive in a window, and those that can only shrink. */
const growing = new Set<CorrelationType>(['event_count', 'value_count', 'value_sum', 'value_max']);
const shrinking = new Set<CorrelationType>(['value_min']);

/**
 * Whether the condition can only be decided once the window has passed. "Fewer than 3 in 1h"
 * on a growing aggregate (a count) is not known until the hour is over; "at least 3" is known
 * the moment the third match arrives. Mirror case: "minimum at least 50" on a shrinking one.
 * Averages, medians, percentiles and temporal types are judged as each match arrives.
 */
export function decidedAtWindowEnd(type: CorrelationType, condition: CorrelationCondition): boolean {
  const lower = condition.gt !== undefined || condition.gte !== undefined;
  const upper = condition.lt !== undefined || condition.lte !== undefined;
  if (condition.eq !== undefined) return false;
  if (growing.has(type)) return upper && !lower;
  if (shrinking.has(type)) return lower && !upper;
  return false;
}
