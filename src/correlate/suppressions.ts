// Suppression matching: the active suppressions of every unit compiled into a lookup by unit and
// rule id, so an alert costs one map probe plus the field checks of that rule's suppressions.
// Expiry is checked at match time (no restart, no refresh timer needed for it to end). Field
// values compare case-insensitively; `*` in a value matches any run of characters, done by
// ordered substring search (no RegExp built from analyst text, no backtracking).
import type { Alert } from '../model/alert.ts';
import type { JsonValue } from '../model/event.ts';
import type { Suppression } from '../model/suppression.ts';

interface CompiledField {
  readonly path: readonly string[];
  readonly field: string;
  /** Lower-cased; a single part = exact comparison; several = the value split at `*`. */
  readonly parts: readonly string[];
}

interface Compiled {
  readonly suppression: Suppression;
  readonly fields: readonly CompiledField[];
}

/** Whether `value` matches `pattern` split at `*` into `parts` (both already lower-cased). */
export function wildcardParts(parts: readonly string[], value: string): boolean {
  if (parts.length === 1) return parts[0] === value;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (value.length < first.length + last.length) return false;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;
  // Leftmost placement of each middle part is always safe: it leaves the most room for the rest.
  let position = first.length;
  const end = value.length - last.length;
  for (let index = 1; index < parts.length - 1; index++) {
    const part = parts[index]!;
    if (part === '') continue;
    const found = value.indexOf(part, position);
    if (found < 0 || found + part.length > end) return false;
    position = found + part.length;
  }
  return true;
}

/** Case-insensitive `*` wildcard match of a whole value. */
export function wildcardMatch(pattern: string, value: string): boolean {
  return wildcardParts(pattern.toLowerCase().split('*'), value.toLowerCase());
}

function lookup(root: unknown, path: readonly string[], field: string): unknown {
  // Events are nested ECS, but a flattened key ("winlog.event_data.User") is honoured too.
  if (root && typeof root === 'object' && Object.hasOwn(root, field)) {
    return (root as Record<string, unknown>)[field];
  }
  let current = root;
  for (const key of path) {
    if (!current || typeof current !== 'object' || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function scalarValues(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return (value as JsonValue[]).flatMap((item) => scalarValues(item));
  if (typeof value === 'object') return [];
  return [String(value).toLowerCase()];
}

function fieldMatches(alert: Alert, field: CompiledField): boolean {
  let values = scalarValues(lookup(alert.event, field.path, field.field));
  // Correlation alerts carry no single event: their group-by values stand in.
  if (values.length === 0 && alert.groupBy) values = scalarValues(alert.groupBy[field.field]);
  return values.some((value) => wildcardParts(field.parts, value));
}

function compile(suppression: Suppression): Compiled {
  return {
    suppression,
    fields: Object.entries(suppression.match).map(([field, value]) => ({
      field,
      path: field.split('.'),
      parts: value.toLowerCase().split('*'),
    })),
  };
}

/** Whether a suppression is in force at `now`. */
export function isActive(suppression: Suppression, now: number): boolean {
  return suppression.expiresAt > now;
}

export class SuppressionMatcher {
  /** unit → rule id → suppressions, oldest first (the first match is reported). */
  readonly #byUnit = new Map<string, Map<string, Compiled[]>>();
  readonly size: number;

  constructor(suppressions: readonly Suppression[]) {
    const ordered = [...suppressions].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    for (const suppression of ordered) {
      let byRule = this.#byUnit.get(suppression.unit);
      if (!byRule) {
        byRule = new Map();
        this.#byUnit.set(suppression.unit, byRule);
      }
      const list = byRule.get(suppression.ruleId) ?? [];
      list.push(compile(suppression));
      byRule.set(suppression.ruleId, list);
    }
    this.size = ordered.length;
  }

  /** The suppression holding this alert back at `now`, if any. */
  match(alert: Alert, now: number): Suppression | undefined {
    const candidates = this.#byUnit.get(alert.unit)?.get(alert.rule.id);
    if (!candidates) return undefined;
    for (const { suppression, fields } of candidates) {
      if (!isActive(suppression, now)) continue;
      if (fields.every((field) => fieldMatches(alert, field))) return suppression;
    }
    return undefined;
  }
}

/** The live set: swapped whole when an analyst adds or removes one (reads never see a half-update). */
export class LiveSuppressions {
  #matcher = new SuppressionMatcher([]);

  replace(suppressions: readonly Suppression[]): void {
    this.#matcher = new SuppressionMatcher(suppressions);
  }

  /** Reload from a source (the SOC store), keeping the current set if that fails. */
  async reload(load: () => Promise<readonly Suppression[]>): Promise<void> {
    this.replace(await load());
  }

  match(alert: Alert, now: number): Suppression | undefined {
    return this.#matcher.match(alert, now);
  }

  get size(): number {
    return this.#matcher.size;
  }
}
