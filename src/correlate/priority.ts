// Risk-based priority (0–100) of an incident from its alert groups: severity, volume (log-scaled),
// breadth of ATT&CK tactics and how far along the kill chain they reach, threat-intel confidence,
// asset criticality, and how common each rule is across the unit's hosts (rare behaviour weighs
// more; a rule firing on many hosts is usually administration, not an attack).
import type { AlertLevel } from '../model/alert.ts';
import type { AlertGroup } from '../model/incident.ts';
import type { AssetCriticality } from '../model/unit.ts';

export const levelWeight: Record<AlertLevel, number> = {
  informational: 0.5,
  low: 3,
  medium: 10,
  high: 22,
  critical: 36,
};
export const levelRank: Record<AlertLevel, number> = { informational: 0, low: 1, medium: 2, high: 3, critical: 4 };
const criticalityFactor: Record<AssetCriticality, number> = { low: 0.8, medium: 1, high: 1.2, critical: 1.4 };

/** Tactics whose presence means the attack got somewhere (TA ids). */
const lateTactics = new Set(['TA0006', 'TA0008', 'TA0009', 'TA0010', 'TA0011', 'TA0040', 'TA0004']);

export interface PriorityContext {
  /** Share (0–1) of the unit's active hosts on which a rule fired in the window. */
  readonly rulePrevalence: (ruleId: string) => number;
  readonly criticality?: AssetCriticality;
}

export interface PriorityPart {
  readonly factor: string;
  readonly text: string;
  readonly points: number;
}

export interface PriorityResult {
  readonly priority: number;
  readonly parts: readonly PriorityPart[];
}

/** Weight of a rule from its prevalence: full below 5% of hosts, down to 0.2 when everywhere. */
export function rarityWeight(prevalence: number): number {
  if (prevalence <= 0.05) return 1;
  return Math.max(0.2, 1 - (prevalence - 0.05) * 1.6);
}

export function computePriority(groups: readonly AlertGroup[], context: PriorityContext): PriorityResult {
  const parts: PriorityPart[] = [];
  let severity = 0;
  let common = 0;
  for (const group of groups) {
    const rarity = rarityWeight(context.rulePrevalence(group.ruleId));
    const points = levelWeight[group.level] * (1 + Math.log2(group.count) * 0.25) * rarity;
    severity += points;
    if (rarity < 1) common++;
  }
  parts.push({
    factor: 'severity',
    text: `${groups.length} rule(s) fired, weighted by level and volume`,
    points: severity,
  });
  if (common > 0)
    parts.push({
      factor: 'prevalence',
      text: `${common} rule(s) fire on many hosts of this unit (weighted down)`,
      points: 0,
    });

  const tactics = new Set<string>();
  for (const group of groups) for (const tactic of group.tactics) tactics.add(tactic.id);
  if (tactics.size > 1) {
    const points = (tactics.size - 1) * 7;
    parts.push({ factor: 'tactics', text: `${tactics.size} ATT&CK tactics (an attack progressing)`, points });
  }
  const late = [...tactics].filter((tactic) => lateTactics.has(tactic));
  if (late.length > 0 && tactics.size > 1) {
    parts.push({ factor: 'kill-chain', text: `reaches ${late.join(', ')} (late kill-chain stage)`, points: 8 });
  }
  const intel = Math.max(0, ...groups.map((group) => group.intelConfidence ?? 0));
  if (intel > 0)
    parts.push({ factor: 'intel', text: `threat-intel match (confidence ${intel})`, points: (intel / 100) * 20 });
  const correlated = groups.filter((group) => group.kind === 'sigma-correlation').length;
  if (correlated > 0)
    parts.push({ factor: 'correlation', text: `${correlated} correlation rule(s) matched`, points: 10 * correlated });

  let total = parts.reduce((sum, part) => sum + part.points, 0);
  if (context.criticality && context.criticality !== 'medium') {
    const factor = criticalityFactor[context.criticality];
    parts.push({
      factor: 'asset',
      text: `asset criticality ${context.criticality} (×${factor})`,
      points: total * (factor - 1),
    });
    total *= factor;
  }
  // Saturating scale: 25 points ≈ 46, 50 ≈ 71, 100 ≈ 92.
  const priority = Math.round(100 * (1 - Math.exp(-total / 40)));
  return { priority: Math.min(100, Math.max(0, priority)), parts };
}
