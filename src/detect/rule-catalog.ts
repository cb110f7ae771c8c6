// The live rule set of a running node: what is loaded (and what was refused, with file:line),
// which rules are switched off globally or per unit, and the Sigma detector the pipeline runs.
// Reloading (after an import) swaps the compiled set in one step and carries correlation state
// over; switching a rule takes effect on the next batch, without a restart.
import type { Alert } from '../model/alert.ts';
import type { RuleOverride } from '../model/console-api.ts';
import type { Detector } from '../pipeline/detection-hook.ts';
import type { AttackCatalog } from './attack/attack-catalog.ts';
import type { CorrelationEngine } from './correlation/correlation-engine.ts';
import type { CorrelationRule } from './correlation/correlation-rule.ts';
import { sigmaDetector } from './detectors.ts';
import { loadRuleSet, type RuleSet } from './rule-set.ts';
import type { CompiledSigmaRule } from './sigma/sigma-engine.ts';
import type { SigmaRejection, SigmaWarning } from './sigma/sigma-rule.ts';

/** Everywhere: the unit of a global override. */
export const everyUnit = '*';

export interface CatalogRule {
  readonly id: string;
  readonly kind: 'detection' | 'correlation';
  readonly name?: string;
  readonly title: string;
  readonly level: Alert['rule']['level'];
  readonly status?: string;
  readonly author?: string;
  readonly description?: string;
  readonly references: readonly string[];
  readonly tags: readonly string[];
  readonly logsource?: { readonly product?: string; readonly category?: string; readonly service?: string };
  readonly path: string;
  readonly line: number;
  readonly attack: NonNullable<Alert['attack']>;
  /** The compiled rule, for hunts over a subset (detection rules only). */
  readonly compiled?: CompiledSigmaRule;
}

/** The id alerts carry for a rule (the detector's choice: id, else name, else file). */
export function ruleKey(rule: { id?: string; name?: string; path: string }): string {
  return rule.id ?? rule.name ?? rule.path;
}

export class RuleCatalog {
  readonly #paths: () => readonly string[];
  readonly #attack: () => AttackCatalog | undefined;
  #set: RuleSet | undefined;
  #rules: CatalogRule[] = [];
  #byId = new Map<string, CatalogRule>();
  #detector: Detector | undefined;
  #switchedCorrelation: CorrelationEngine | undefined;
  #loadedAt = 0;
  /** ruleId → unit ('*' = everywhere) → enabled. */
  #overrides = new Map<string, Map<string, RuleOverride>>();
  #reloading: Promise<void> = Promise.resolve();

  constructor(options: { paths: () => readonly string[]; attack: () => AttackCatalog | undefined }) {
    this.#paths = options.paths;
    this.#attack = options.attack;
  }

  /** Load (or reload) every rule under the configured paths; one reload at a time. */
  reload(): Promise<void> {
    const run = this.#reloading.then(async () => {
      const set = await loadRuleSet(this.#paths());
      // The event kinds the running set has seen get their rule buckets before the swap.
      if (this.#set) await set.sigma.warm(this.#set.sigma.bucketKeys());
      const previous = this.#set?.correlation;
      if (previous) set.correlation.restore(previous.snapshot());
      this.#install(set);
    });
    this.#reloading = run.catch(() => undefined);
    return run;
  }

  #install(set: RuleSet): void {
    const attack = this.#attack();
    const rules: CatalogRule[] = [];
    for (const compiled of set.sigma.rules) {
      const rule = compiled.rule;
      rules.push({
        id: ruleKey(rule),
        kind: 'detection',
        name: rule.name,
        title: rule.title,
        level: rule.level ?? 'medium',
        status: rule.status,
        author: rule.author,
        description: rule.description,
        references: rule.references ?? [],
        tags: rule.tags,
        logsource: {
          product: rule.logsource.product,
          category: rule.logsource.category,
          service: rule.logsource.service,
        },
        path: rule.path,
        line: rule.line,
        attack: attack?.resolveTags(rule.tags) ?? { tactics: [], techniques: [] },
        compiled,
      });
    }
    for (const correlation of set.correlations) rules.push(correlationEntry(correlation, attack));
    const byId = new Map<string, CatalogRule>();
    for (const rule of rules) if (!byId.has(rule.id)) byId.set(rule.id, rule);
    const detector = sigmaDetector({
      engine: set.sigma,
      attack,
      disabled: (unit, ruleId) => !this.isEnabled(unit, ruleId),
    });
    // One assignment each, read together by the next batch.
    this.#set = set;
    this.#rules = rules;
    this.#byId = byId;
    this.#detector = detector;
    this.#switchedCorrelation = this.#switched(set.correlation);
    this.#loadedAt = Date.now();
  }

  #switched(engine: CorrelationEngine): CorrelationEngine {
    const onMatch: CorrelationEngine['onMatch'] = (match) =>
      engine.onMatch(match).filter((hit) => this.isEnabled(hit.unit, correlationKey(hit.rule)));
    // A proxy, not a subclass: the engine keeps its private state; only onMatch is filtered.
    return new Proxy(engine, {
      get(target, property) {
        if (property === 'onMatch') return onMatch;
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  get loaded(): boolean {
    return this.#set !== undefined;
  }

  get loadedAt(): number {
    return this.#loadedAt;
  }

  get ruleSet(): RuleSet | undefined {
    return this.#set;
  }

  /**
   * The live correlation engine, seen through the switches: a correlation switched off for a
   * unit raises no alert there (its windows still count, so switching it back on loses nothing).
   */
  get correlation(): CorrelationEngine | undefined {
    return this.#switchedCorrelation;
  }

  get rejections(): readonly SigmaRejection[] {
    return this.#set?.rejections ?? [];
  }

  get warnings(): readonly SigmaWarning[] {
    return this.#set?.warnings ?? [];
  }

  get rules(): readonly CatalogRule[] {
    return this.#rules;
  }

  rule(id: string): CatalogRule | undefined {
    return this.#byId.get(id);
  }

  /** The pipeline's Sigma detector: always the current set, honouring the switches. */
  readonly detector: Detector = {
    name: 'sigma',
    detect: (events, now) => this.#detector?.detect(events, now) ?? { alerts: [] },
  };

  /** Replace the switches (at start, from the SOC store). */
  setOverrides(overrides: readonly RuleOverride[]): void {
    this.#overrides = new Map();
    for (const override of overrides) this.applyOverride(override.ruleId, override.unit, override);
  }

  /** Set or (with undefined) remove one switch. */
  applyOverride(ruleId: string, unit: string, override: RuleOverride | undefined): void {
    let units = this.#overrides.get(ruleId);
    if (!override) {
      units?.delete(unit);
      if (units?.size === 0) this.#overrides.delete(ruleId);
      return;
    }
    if (!units) {
      units = new Map();
      this.#overrides.set(ruleId, units);
    }
    units.set(unit, override);
  }

  /** The unit's own switch wins over the global one; no switch = enabled. */
  isEnabled(unit: string, ruleId: string): boolean {
    const units = this.#overrides.get(ruleId);
    if (!units) return true;
    return units.get(unit)?.enabled ?? units.get(everyUnit)?.enabled ?? true;
  }
}

/** The id correlation alerts carry (see correlationAlert). */
export function correlationKey(rule: CorrelationRule): string {
  return rule.id ?? rule.name ?? rule.title;
}

function correlationEntry(rule: CorrelationRule, attack: AttackCatalog | undefined): CatalogRule {
  const tags = rule.tags ?? [];
  return {
    id: correlationKey(rule),
    kind: 'correlation',
    name: rule.name,
    title: rule.title,
    level: rule.level,
    status: rule.status,
    author: rule.author,
    description: rule.description,
    references: rule.references ?? [],
    tags,
    path: rule.path ?? '',
    line: 0,
    attack: attack?.resolveTags(tags) ?? { tactics: [], techniques: [] },
  };
}
