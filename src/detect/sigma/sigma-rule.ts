// The Sigma rule model (specification v2.1) as loaded from YAML: detection rules, filter rules,
// and room for correlation rules (kind 'correlation', compiled by a later engine).
// Types only, plus the error type loaders throw with file and line.

export type SigmaLevel = 'informational' | 'low' | 'medium' | 'high' | 'critical';

export interface SigmaLogSource {
  readonly product?: string;
  readonly category?: string;
  readonly service?: string;
  readonly definition?: string;
}

/** One `Field|mod|mod: value(s)` entry of a detection map. `field` is undefined for keywords (`'|all'`). */
export interface SigmaFieldItem {
  readonly field: string | undefined;
  readonly modifiers: readonly string[];
  /** YAML scalars as written; `null` for the null value. */
  readonly values: readonly (string | number | boolean | null)[];
  readonly line: number;
}

/** A search identifier: an OR of alternatives; each alternative is an AND of items, or a keyword list. */
export type SigmaSearch =
  | { readonly kind: 'maps'; readonly alternatives: readonly (readonly SigmaFieldItem[])[] }
  | { readonly kind: 'keywords'; readonly item: SigmaFieldItem };

export interface SigmaDetection {
  readonly searches: ReadonlyMap<string, SigmaSearchDefinition>;
  /** One or more conditions (a list is OR-linked). */
  readonly conditions: readonly string[];
  readonly conditionLine: number;
}

/** A search identifier is a list of parts that are OR-linked (maps and/or keyword lists). */
export interface SigmaSearchDefinition {
  readonly name: string;
  readonly line: number;
  readonly parts: readonly SigmaSearch[];
}

interface SigmaRuleCommon {
  readonly id: string | undefined;
  readonly title: string;
  readonly name?: string;
  readonly status?: string;
  readonly description?: string;
  readonly author?: string;
  readonly references?: readonly string[];
  readonly tags: readonly string[];
  readonly level: SigmaLevel | undefined;
  readonly date?: string;
  readonly falsepositives?: readonly string[];
  /** Path of the rule file and 1-based line of the document. */
  readonly path: string;
  readonly line: number;
}

export interface SigmaDetectionRule extends SigmaRuleCommon {
  readonly kind: 'detection';
  readonly logsource: SigmaLogSource;
  readonly detection: SigmaDetection;
  readonly fields?: readonly string[];
}

/** A filter (spec "Sigma Filters"): excludes events from the rules it names. */
export interface SigmaFilterRule extends SigmaRuleCommon {
  readonly kind: 'filter';
  readonly logsource: SigmaLogSource;
  /** Rule ids or names the filter applies to. */
  readonly rules: readonly string[];
  readonly detection: SigmaDetection;
}

/** A correlation rule, kept as parsed data until the correlation engine compiles it. */
export interface SigmaCorrelationRule extends SigmaRuleCommon {
  readonly kind: 'correlation';
  readonly correlation: Readonly<Record<string, unknown>>;
}

export type SigmaRule = SigmaDetectionRule | SigmaFilterRule | SigmaCorrelationRule;

/** A rule file (or document) refused at load time, with the reason and where. */
export interface SigmaRejection {
  readonly path: string;
  readonly line: number;
  readonly reason: string;
  readonly ruleId?: string;
  readonly title?: string;
}

/**
 * A rule that loaded but is held back, e.g. `needs placeholder values: %admins%` (an unresolved
 * placeholder is configuration still to do, not a specification violation). Same shape as a rejection.
 */
export type SigmaWarning = SigmaRejection;

/** Thrown while building a rule; the loader turns it into a SigmaRejection. */
export class SigmaRuleError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.line = line;
  }
}
