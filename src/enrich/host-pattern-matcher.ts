// Hostname patterns with `*` wildcards ("fin-*", "*.branch12.bank.local"), compiled once into a
// single anchored regular expression; the most specific pattern (most literal characters) wins.
// Matching is case-insensitive and ignores a trailing dot; results are cached per hostname.
import { LruCache } from './lru-cache.ts';

/** Longest hostname we try to match (DNS limit); longer names cannot be hostnames. */
const maxHostnameLength = 253;

/** Whether a pattern is acceptable: hostname characters and `*`, at least one literal character. */
export function hostPatternProblem(pattern: string): string | undefined {
  if (pattern.trim() === '') return 'empty hostname pattern';
  if (!/^[A-Za-z0-9_.*-]+$/.test(pattern))
    return `hostname pattern '${pattern}' has characters other than letters, digits, '.', '-', '_' and '*'`;
  if (!/[^*]/.test(pattern)) return `hostname pattern '${pattern}' matches every host`;
  // Each `*` multiplies the backtracking a failed match may do; three bound it to milliseconds.
  if ((pattern.replace(/\*+/g, '*').match(/\*/g)?.length ?? 0) > 3)
    return `hostname pattern '${pattern}' has more than 3 '*'`;
  if (pattern.length > maxHostnameLength)
    return `hostname pattern '${pattern}' is longer than ${maxHostnameLength} characters`;
  return undefined;
}

export class HostPatternMatcher<T> {
  readonly #regex: RegExp | undefined;
  /** Value of each capture group, in pattern order. */
  readonly #values: T[] = [];
  readonly #cache = new LruCache<string, { value: T | undefined }>(4096);

  /** Patterns must be valid (see hostPatternProblem); invalid ones are ignored. */
  constructor(patterns: readonly { pattern: string; value: T }[]) {
    const usable = patterns
      .filter((entry) => hostPatternProblem(entry.pattern) === undefined)
      .map((entry, order) => ({ ...entry, order, literal: entry.pattern.replace(/\*/g, '').length }))
      // Most literal characters first; equal specificity keeps the configured order.
      .sort((left, right) => right.literal - left.literal || left.order - right.order);
    const groups: string[] = [];
    for (const entry of usable) {
      // Consecutive stars collapse: "a**b" is "a*b" (fewer ways to backtrack).
      const source = entry.pattern
        .toLowerCase()
        .replace(/\.$/, '')
        .replace(/\*+/g, '*')
        .split('*')
        .map((literal) => literal.replace(/[.-]/g, '\\$&'))
        .join('.*');
      groups.push(`(${source})`);
      this.#values.push(entry.value);
    }
    this.#regex = groups.length > 0 ? new RegExp(`^(?:${groups.join('|')})$`, 'i') : undefined;
  }

  /** The value of the most specific pattern matching the hostname, if any. */
  match(hostname: string): T | undefined {
    if (!this.#regex || hostname.length === 0 || hostname.length > maxHostnameLength + 1) return undefined;
    const cached = this.#cache.get(hostname);
    if (cached) return cached.value;
    const name = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
    const found = this.#regex.exec(name);
    let value: T | undefined;
    if (found) {
      for (let index = 1; index < found.length; index++) {
        if (found[index] !== undefined) {
          value = this.#values[index - 1];
          break;
        }
      }
    }
    this.#cache.set(hostname, { value });
    return value;
  }
}
