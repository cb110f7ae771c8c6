// Risk-based priority (0–100) of an incident from its alert groups. Each distinct rule adds the
// risk of its level once (the strongest rule counts fully, further rules less and less, so a busy
// host does not add up to an attack), weighted down when the behaviour is routine — it recurs on
// the host all day, is habitual on other hosts, is one account's sweep over many hosts, or is seen
// on a large share of all hosts. Breadth of ATT&CK tactics, a late kill-chain stage,
// threat-intel confidence, correlation rules and asset criticality add to it.
import type { AlertLevel } from '../model/alert.ts';
import type { AlertGroup } from '../model/incident.ts';
import type { AssetCriticality } from '../model/unit.ts';

/**
 * Risk points of one rule by level. A lone medium rule that is not routine reaches the default
 * attention threshold (40 on the 0–100 scale, i.e. about 20.4 points); a lone low rule never does.
 */
export const levelWeight: Record<AlertLevel, number> = {
  informational: 0.5,
  low: 4,
  medium: 21,
  high: 30,
  critical: 40,
};
export const levelRank: Record<AlertLevel, number> = { informational: 0, low: 1, medium: 2, high: 3, critical: 4 };
const criticalityFactor: Record<AssetCriticality, number> = { low: 0.8, medium: 1, high: 1.2, critical: 1.4 };

/** What routine behaviour keeps of its risk. */
export const routineWeight = 0.1;
/** Weights of the 1st, 2nd, … strongest rule of an incident (the rest count as the last). */
const rankWeights = [1, 0.5, 0.25];

/** Tactics whose presence means the attack got somewhere (TA ids). */
const lateTactics = new Set(['TA0006', 'TA0008', 'TA0009', 'TA0010', 'TA0011', 'TA0040', 'TA0004']);

/** Why a group's behaviour counts as routine (undefined: it does not). */
export type RoutineReason = 'recurs-on-host' | 'habitual' | 'user-sweep' | 'prevalent';

export const routineText: Record<RoutineReason, string> = {
  'recurs-on-host': 'recurs on its host through the day',
  habitual: 'recurs through the day on other hosts too',
  'user-sweep': "is one account's routine across many hosts",
  prevalent: 'is seen on a large share of all hosts',
};

/** What priority reads of an alert group (an AlertGroup, or the engine's working copy). */
export type PriorityGroup = Pick<AlertGroup, 'id' | 'ruleId' | 'level' | 'count' | 'kind' | 'intelConfidence'> & {
  readonly tactics: readonly { readonly id: string }[];
};

export interface PriorityContext {
  /**
   * Share (0–1) of hosts on which the group's behaviour (its rule, tripped by the same programs)
   * was seen: the same rule tripped by other programs is other behaviour and keeps its weight.
   */
  readonly prevalence: (group: PriorityGroup) => number;
  /** Whether (and why) a group's behaviour is routine. */
  readonly routine?: (group: PriorityGroup) => RoutineReason | undefined;
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
  /** Groups whose behaviour is not routine, at medium level or above: what can make an incident need attention. */
  readonly significantGroups: number;
}

/** Weight of a rule from its prevalence: full below 5% of hosts, down to 0.2 when everywhere. */
export function rarityWeight(prevalence: number): number {
  if (prevalence <= 0.05) return 1;
  return Math.max(0.2, 1 - (prevalence - 0.05) * 1.6);
}

export function computePriority(groups: readonly PriorityGroup[], context: PriorityContext): PriorityResult {
  const parts: PriorityPart[] = [];
  // The strongest group of each rule stands for the rule (the same rule on several hosts or users is one behaviour).
  const ruleRisk = new Map<string, number>();
  const routineCount = new Map<RoutineReason, number>();
  const tactics = new Set<string>();
  let significantGroups = 0;
  for (const group of groups) {
    const reason = context.routine?.(group);
    if (reason) routineCount.set(reason, (routineCount.get(reason) ?? 0) + 1);
    else {
      for (const tactic of group.tactics) tactics.add(tactic.id);
      if (levelRank[group.level] >= levelRank.medium) significantGroups++;
    }
    const rarity = rarityWeight(context.prevalence(group));
    const volume = 1 + Math.min(Math.log2(group.count), 6) * 0.05;
    const risk = levelWeight[group.level] * volume * rarity * (reason ? routineWeight : 1);
    ruleRisk.set(group.ruleId, Math.max(ruleRisk.get(group.ruleId) ?? 0, risk));
  }
  const ranked = [...ruleRisk.values()].sort((a, b) => b - a);
  const severity = ranked.reduce(
    (sum, risk, index) => sum + risk * (rankWeights[index] ?? rankWeights[rankWeights.length - 1]!),
    0,
  );
  parts.push({
    factor: 'severity',
    text: `${ruleRisk.size} rule(s) fired; the strongest counts fully, the others less`,
    points: severity,
  });
  for (const [reason, count] of routineCount)
    parts.push({
      factor: 'routine',
      text: `${count} detection(s) weighted down: the behaviour ${routineText[reason]}`,
      points: 0,
    });

  if (tactics.size > 1) {
    const points = (Math.min(tactics.size, 6) - 1) * 4;
    parts.push({ factor: 'tactics', text: `${tactics.size} ATT&CK tactics (an attack progressing)`, points });
    const late = [...tactics].filter((tactic) => lateTactics.has(tactic));
    if (late.length > 0)
      parts.push({ factor: 'kill-chain', text: `reaches ${late.join(', ')} (late kill-chain stage)`, points: 4 });
  }
  const intel = Math.max(0, ...groups.map((group) => group.intelConfidence ?? 0));
  if (intel > 0)
    parts.push({ factor: 'intel', text: `threat-intel match (confidence ${intel})`, points: (intel / 100) * 20 });
  const correlated = groups.filter((group) => group.kind === 'sigma-correlation' && !context.routine?.(group)).length;
  if (correlated > 0)
    parts.push({
      factor: 'correlation',
      text: `${correlated} correlation rule(s) matched`,
      points: 10 * Math.min(correlated, 3),
    });

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
  // Saturating scale: 20 points ≈ 39, 30 ≈ 53, 50 ≈ 71, 100 ≈ 92.
  const priority = Math.round(100 * (1 - Math.exp(-total / 40)));
  return { priority: Math.min(100, Math.max(0, priority)), parts, significantGroups };
}
