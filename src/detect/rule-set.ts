// A loaded rule set, compiled: the Sigma engine for detection and filter rules, and the
// correlation engine for correlation rules (validated per the correlation specification).
// Used by the live pipeline, offline checks of our own content, and evaluations.
import { CorrelationEngine } from './correlation/correlation-engine.ts';
import { type CorrelationRule, parseCorrelationRule } from './correlation/correlation-rule.ts';
import { loadSigmaRules } from './sigma/load-sigma-rules.ts';
import { SigmaEngine } from './sigma/sigma-engine.ts';
import type { SigmaRejection, SigmaRule, SigmaWarning } from './sigma/sigma-rule.ts';

export interface RuleSet {
  readonly sigma: SigmaEngine;
  readonly correlation: CorrelationEngine;
  readonly correlations: readonly CorrelationRule[];
  readonly rejections: readonly SigmaRejection[];
  /** Rules loaded but held back (e.g. placeholders without values). */
  readonly warnings: readonly SigmaWarning[];
  readonly files: number;
}

/** The correlation rules among loaded Sigma rules; those that do not validate become rejections. */
export function correlationRulesOf(rules: readonly SigmaRule[], rejections: SigmaRejection[]): CorrelationRule[] {
  const correlations: CorrelationRule[] = [];
  for (const rule of rules) {
    if (rule.kind !== 'correlation') continue;
    try {
      const document = { ...rule, correlation: rule.correlation } as unknown as Record<string, unknown>;
      correlations.push({ ...parseCorrelationRule(document, `${rule.path}:${rule.line}`), path: rule.path });
    } catch (error) {
      rejections.push({
        path: rule.path,
        line: rule.line,
        reason: (error as Error).message,
        ruleId: rule.id,
        title: rule.title,
      });
    }
  }
  return correlations;
}

export async function loadRuleSet(paths: readonly string[]): Promise<RuleSet> {
  const loaded = await loadSigmaRules(paths);
  const sigma = await SigmaEngine.buildInSlices(loaded.rules);
  const rejections: SigmaRejection[] = [...loaded.rejections, ...sigma.rejections];
  const correlations = correlationRulesOf(loaded.rules, rejections);
  const correlation = new CorrelationEngine(correlations);
  const known = new Set(
    loaded.rules.flatMap((rule) => [rule.id, rule.name].filter((key): key is string => key !== undefined)),
  );
  for (const missing of correlation.unresolvedReferences(known)) {
    rejections.push({
      path: missing.correlation,
      line: 0,
      reason: `correlation refers to unknown rule '${missing.reference}'`,
    });
  }
  return { sigma, correlation, correlations, rejections, warnings: sigma.warnings, files: loaded.files };
}
